/**
 * @module Benchmark entry point: `npm run bench [-- name…]`. Prints a Markdown table per benchmark with the
 * same-run ratio against its baseline; BENCHMARKS.md records these outputs.
 */
import { runParserBench } from './parser.js';
import { runProxyBench } from './proxy.js';
import { formatExtras, formatRatio, type BenchResult } from './stats.js';
import { runTunnelBench } from './tunnel.js';

const BENCHES: Record<string, () => Promise<BenchResult>> = {
  parser: () => runParserBench(),
  proxy: () => runProxyBench(),
  tunnel: () => runTunnelBench(),
};

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`Unknown benchmark "${name}". Known: ${Object.keys(BENCHES).join(', ')}.`);
    process.exit(2);
  }
  const result = await bench();
  console.log(`\n## ${result.name}\n\n${result.corpus}\n`);
  console.log('| contender | result |\n|---|---|');
  for (const row of result.rows)
    console.log(
      `| ${row.name} | ${row.value >= 100 ? row.value.toFixed(0) : row.value.toPrecision(3)} ${row.unit} |`,
    );
  console.log(`\n${formatRatio(result.ratio)}`);
  const extras = formatExtras(result);
  if (extras !== '') console.log(extras);
}
