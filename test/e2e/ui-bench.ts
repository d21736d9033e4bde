/// <reference lib="dom" />
// UI benchmark (not a test): time from `pktscope serve FILE` to the first row visible, and
// frame times while scrolling through the whole packet list, in headless Debian Chromium.
// Usage: npx tsx test/e2e/ui-bench.ts [PACKETS=1000000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchCapture } from '../../electron/bench/generate-capture.ts';
import { ensureRenderer, launchChromium, startServe } from './support.ts';

const packets = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'pktscope-uibench-'));
const file = join(dir, 'bench.pcap');
try {
  ensureRenderer();
  writeBenchCapture(file, packets);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const t0 = performance.now();
  const served = await startServe([file]);
  await page.goto(served.url);
  await page.locator('[role=grid] [role=row][aria-rowindex="2"] [aria-colindex="1"]').filter({ hasText: /^1$/ }).waitFor({ timeout: 120_000 });
  const firstRow = performance.now() - t0;
  await page.getByText(`Displayed: ${packets} of ${packets}`).waitFor({ timeout: 600_000 });
  const indexed = performance.now() - t0;
  // Scroll the list from top to bottom in 600 animation frames. Two measures per frame:
  // - interval: requestAnimationFrame to requestAnimationFrame (never below the 16.7 ms vsync
  //   period at 60 Hz, so it cannot show a frame that is cheaper than the budget);
  // - work: main-thread busy time (top-level tasks in a DevTools trace: scroll handling, React,
  //   style, layout, paint) between one frame's mark and the next, i.e. what each frame costs.
  await page.waitForTimeout(500);
  // PKTSCOPE_BENCH_TRACE=FILE keeps the trace (open it in DevTools' Performance panel).
  await browser.startTracing(page, { ...(process.env.PKTSCOPE_BENCH_TRACE ? { path: process.env.PKTSCOPE_BENCH_TRACE } : {}), categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink.user_timing'] });
  const scroll = await page.evaluate(async () => {
    const body = document.querySelector('.pl-body') as HTMLElement;
    const long: number[] = [];
    let observer: PerformanceObserver | null = null;
    if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
      observer = new PerformanceObserver((l) => l.getEntries().forEach((e) => long.push(e.duration)));
      observer.observe({ type: 'long-animation-frame' });
    }
    const times: number[] = [];
    const steps = 600;
    let last = performance.now();
    for (let k = 1; k <= steps; k++) {
      performance.mark(`pkt-frame-${k}`);
      body.scrollTop = (body.scrollHeight - body.clientHeight) * (k / steps);
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    performance.mark(`pkt-frame-${steps + 1}`);
    await new Promise((r) => setTimeout(r, 100));
    observer?.disconnect();
    return { times, long, loafSupported: observer !== null };
  });
  const work = frameWork(await browser.stopTracing());
  const stats = (xs: number[]) => {
    const a = [...xs].sort((x, y) => x - y);
    const at = (p: number) => a[Math.min(a.length - 1, Math.floor(a.length * p))]!.toFixed(1);
    return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`;
  };
  console.log(`packets: ${packets}`);
  console.log(`serve -> first row visible: ${firstRow.toFixed(0)} ms; fully indexed: ${indexed.toFixed(0)} ms`);
  console.log(`scroll frame interval (rAF to rAF) over ${scroll.times.length} frames: ${stats(scroll.times)}`);
  console.log(`scroll frame work (main thread busy per frame, DevTools trace) over ${work.length} frames: ${stats(work)}`);
  if (scroll.loafSupported) console.log(`long animation frames (> 50 ms): ${scroll.long.length}${scroll.long.length ? `, longest ${Math.max(...scroll.long).toFixed(0)} ms` : ''}`);
  await browser.close();
  await served.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  cat?: string;
  args?: { name?: string };
}

/**
 * Main-thread busy time per frame from a Chromium trace: the renderer main thread's top-level
 * tasks (RunTask, merged where nested) summed between consecutive `pkt-frame-N` marks.
 */
function frameWork(trace: Buffer): number[] {
  const parsed = JSON.parse(trace.toString('utf8')) as TraceEvent[] | { traceEvents: TraceEvent[] };
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const marks = events.filter((e) => /^pkt-frame-\d+$/.test(e.name) && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || e.ph === 'b'));
  if (marks.length < 2) return [];
  const key = (e: TraceEvent) => `${e.pid}:${e.tid}`;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && marks[0]!.pid === e.pid));
  const mainKey = main ? key(main) : key(marks[0]!);
  const byMark = new Map<number, number>();
  for (const m of marks) byMark.set(Number(m.name.slice('pkt-frame-'.length)), m.ts);
  const bounds = [...byMark.entries()].sort((a, b) => a[0] - b[0]).map(([, ts]) => ts);
  // Top-level tasks of the main thread as merged [start, end) intervals (microseconds).
  const tasks = events
    .filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && key(e) === mainKey && e.dur !== undefined)
    .map((e) => [e.ts, e.ts + e.dur!] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const t of tasks) {
    const top = merged[merged.length - 1];
    if (top && t[0] <= top[1]) top[1] = Math.max(top[1], t[1]);
    else merged.push([t[0], t[1]]);
  }
  const out: number[] = [];
  let j = 0;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const a = bounds[k]!;
    const b = bounds[k + 1]!;
    while (j < merged.length && merged[j]![1] <= a) j++;
    let busy = 0;
    for (let i = j; i < merged.length && merged[i]![0] < b; i++) busy += Math.min(b, merged[i]![1]) - Math.max(a, merged[i]![0]);
    out.push(busy / 1000);
  }
  return out;
}
