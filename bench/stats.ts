/** @module Small statistics and result types shared by the benchmarks. */

/** One measured contender. */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** A same-run comparison against a goal; `atMost` goals are upper bounds (e.g. a latency in ms). */
export interface BenchRatio {
  readonly name: string;
  readonly value: number;
  readonly goal: number;
  /** Unit printed after value and goal. Default: `×`. */
  readonly unit?: string;
  /** The goal is met when value ≤ goal rather than ≥. Default: false. */
  readonly atMost?: boolean;
}

/** An extra Markdown table (e.g. one per part of a multi-part benchmark). */
export interface BenchTable {
  readonly title: string;
  readonly note?: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** One benchmark's results. */
export interface BenchResult {
  readonly name: string;
  readonly corpus: string;
  readonly rows: readonly BenchRow[];
  readonly ratio: BenchRatio;
  /** More tables, printed after the main one. */
  readonly tables?: readonly BenchTable[];
  /** More ratios, printed after the main one. */
  readonly ratios?: readonly BenchRatio[];
}

/**
 * @param ratio a comparison
 * @returns one Markdown line with the value, the goal and whether it is met
 */
export function formatRatio(ratio: BenchRatio): string {
  const unit = ratio.unit ?? '×';
  const met = ratio.atMost === true ? ratio.value <= ratio.goal : ratio.value >= ratio.goal;
  const digits = Math.abs(ratio.value) >= 100 ? 0 : 2;
  return `**${ratio.name}: ${ratio.value.toFixed(digits)}${unit}** (goal ${ratio.atMost === true ? '≤' : '≥'} ${ratio.goal}${unit}, ${met ? 'meets' : 'MISSES'} it)`;
}

/**
 * @param result a benchmark's results
 * @returns its extra tables and ratios as Markdown (empty when it has none)
 */
export function formatExtras(result: BenchResult): string {
  const out: string[] = [];
  for (const table of result.tables ?? []) {
    out.push(`\n### ${table.title}\n`);
    if (table.note !== undefined) out.push(`${table.note}\n`);
    out.push(`| ${table.columns.join(' | ')} |`, `|${table.columns.map(() => '---').join('|')}|`);
    for (const row of table.rows) out.push(`| ${row.join(' | ')} |`);
  }
  if ((result.ratios ?? []).length > 0) out.push('');
  for (const ratio of result.ratios ?? []) out.push(`${formatRatio(ratio)}  `);
  return out.join('\n');
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
