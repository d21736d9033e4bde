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
  // Scroll the list from top to bottom in 600 animation frames, recording each frame's time.
  const frames = await page.evaluate(async () => {
    const body = document.querySelector('.pl-body') as HTMLElement;
    const times: number[] = [];
    const steps = 600;
    let last = performance.now();
    for (let k = 1; k <= steps; k++) {
      body.scrollTop = (body.scrollHeight - body.clientHeight) * (k / steps);
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    return times;
  });
  frames.sort((a, b) => a - b);
  const pct = (p: number) => frames[Math.min(frames.length - 1, Math.floor(frames.length * p))]!.toFixed(1);
  console.log(`packets: ${packets}`);
  console.log(`serve -> first row visible: ${firstRow.toFixed(0)} ms; fully indexed: ${indexed.toFixed(0)} ms`);
  console.log(`scroll frame time over ${frames.length} frames: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`);
  await browser.close();
  await served.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
