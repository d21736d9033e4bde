// One measurement in a fresh process (so memory and JIT state are its own), printed as JSON.
// Usage: node --import tsx electron/bench/measure.ts open|rows|follow|filter FILE [ARG]

import { CaptureEngine } from '../engine/engine.ts';
import { followTcpStream } from '../engine/follow.ts';
import { formatFollow } from '../engine/follow-format.ts';

const [what, file, arg] = process.argv.slice(2);
if (!what || !file) {
  console.error('usage: measure.ts open|rows|follow|filter FILE [STREAM|FILTER]');
  process.exit(2);
}

globalThis.gc?.();
const base = process.memoryUsage().rss;
const t0 = performance.now();
const engine = CaptureEngine.open([file]);

if (what === 'rows') {
  // First screen: rows served while indexing is still going on.
  let rows = engine.rows(0, 50);
  while (rows.length < 50 && engine.count < 50) {
    await new Promise((r) => setImmediate(r));
    rows = engine.rows(0, 50);
  }
  const ms = performance.now() - t0;
  engine.close();
  console.log(JSON.stringify({ ms, rows: rows.length }));
} else if (what === 'open') {
  const p = await engine.indexed;
  const ms = performance.now() - t0;
  // Memory held once open: collect, let V8 free dead array buffers (a background task), again.
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  globalThis.gc?.();
  const rss = process.memoryUsage().rss;
  console.log(JSON.stringify({ ms, packets: p.packets, bytesPerPacket: (rss - base) / p.packets, indexBytesPerPacket: engine.index.byteSize() / p.packets }));
  engine.close();
} else if (what === 'follow') {
  await engine.indexed;
  const t1 = performance.now();
  const text = formatFollow(followTcpStream(engine, Number(arg ?? 0)), 'ascii');
  const ms = performance.now() - t1;
  console.log(JSON.stringify({ ms, bytes: text.length }));
  engine.close();
} else if (what === 'filter') {
  // Display filter set as the file opens: it filters what is indexed and follows the index to the end.
  const run = engine.setFilter(arg ?? '');
  const r = await run.done;
  const ms = performance.now() - t0;
  const p = await engine.indexed;
  // The same filter again over the finished index.
  const again = await engine.setFilter(arg ?? '').done;
  console.log(JSON.stringify({ ms, packets: p.packets, matched: r.matched, decoded: r.decoded, indexedMs: again.ms }));
  engine.close();
}

