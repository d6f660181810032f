/**
 * @module bench/tunnel/child: the entry point of the benchmark's child processes.
 * `child.ts guacd <flood|stream|idle> <corpusMB> [sliceBytes tickMs]` runs the fake guacd;
 * `child.ts server <kind> <guacdPort>` runs one server under test (and watches its event loop and GC).
 * Both report their port, then answer the parent (see ipc.ts).
 */
import { loadCorpus } from '../corpus.js';
import { asciiOnly, startGuacd, type GuacdMode } from './guacd.js';
import { ownStats, serveParent, watchLoop } from './ipc.js';
import { startServer, type ServerKind } from './servers.js';

const [role, what, param, slice, tick] = process.argv.slice(2);

if (role === 'guacd') {
  const corpus = what === 'idle' ? Buffer.alloc(0) : loadCorpus(Number(param)).full;
  const guacd = await startGuacd({
    mode: what as GuacdMode,
    corpus,
    ...(what === 'idle' ? {} : { asciiCorpus: asciiOnly(corpus) }),
    ...(slice === undefined ? {} : { sliceBytes: Number(slice) }),
    ...(tick === undefined ? {} : { tickMs: Number(tick) }),
  });
  serveParent(
    guacd.port,
    (request) => {
      if (request.op === 'latencies') return { latencies: guacd.takeLatencies() };
      if (request.op === 'count') return { count: guacd.ready() };
      return { stats: ownStats(false) };
    },
    () => guacd.close(),
  );
} else if (role === 'server') {
  const server = await startServer(what as ServerKind, Number(param));
  const loop = watchLoop();
  serveParent(
    server.port,
    (request) => {
      if (request.op === 'loop') return { loop: loop() };
      return { stats: ownStats(request.op === 'stats' && request.collect === true) };
    },
    () => server.close(),
  );
} else {
  console.error(`usage: child.ts guacd <mode> <corpusMB> | server <kind> <guacdPort>`);
  process.exit(2);
}
