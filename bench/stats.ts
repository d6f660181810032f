/** @module Small statistics and result types shared by the benchmarks. */

/** One measured contender. */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** One benchmark's results. */
export interface BenchResult {
  readonly name: string;
  readonly corpus: string;
  readonly rows: readonly BenchRow[];
  readonly ratio: { readonly name: string; readonly value: number; readonly goal: number };
}

/**
 * @param values samples
 * @returns their median (0 for none)
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
