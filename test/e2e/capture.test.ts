/// <reference lib="dom" />
// Live capture in browser mode: the start screen lists the interfaces with sparklines, the
// capture filter is checked by libpcap as you type, a capture on the loopback interface with
// filter `icmp` shows rows while packets arrive, stops, and is saved as pcapng; the saved file
// opens with the packets seen. ICMP on 127.0.0.1 only: echo requests (`ping`, or a raw socket
// from python3), otherwise UDP datagrams to a closed port answered with ICMP port unreachable.
// Needs root (or a helper with CAP_NET_RAW/CAP_NET_ADMIN) and a capture backend: skipped with
// the reason otherwise.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, ensureRenderer, launchChromium, results } from './support.ts';
import { serve, type RunningServer } from '../../electron/server.ts';
import { captureBackend } from '../../electron/capture/index.ts';
import { CaptureEngine } from '../../electron/engine/engine.ts';

function skipReason(): string | null {
  const c = chromiumMissing();
  if (c) return c;
  if (process.platform !== 'linux') return 'live capture e2e runs on Linux (loopback interface lo)';
  if (process.getuid?.() !== 0) return 'not root: capturing on lo needs CAP_NET_RAW (run as root, or setcap the capture helper)';
  const b = captureBackend();
  if (!b.backend) return `no capture backend: ${b.reason}`;
  return null;
}

const skip = skipReason();
if (skip) console.log(`# e2e capture specs skipped: ${skip}`);

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
/**
 * How probes are made: `ping`; else ICMP echo requests from a raw socket in python3 (root);
 * else UDP datagrams to a closed port, which the kernel answers with ICMP port unreachable
 * (those answers are rate-limited system-wide, so the last resort).
 */
const METHOD: 'ping' | 'python' | 'udp' = has('ping') ? 'ping' : has('python3') ? 'python' : 'udp';
/** ICMP packets each probe gives on lo: echo request + reply, or one port unreachable. */
const PER_PROBE = METHOD === 'udp' ? 1 : 2;

const PY_ECHO = `
import socket, struct, sys, time
n, gap = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
def csum(b):
    b += b'\\0' * (len(b) % 2)
    t = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xffff)
    t += t >> 16
    return ~t & 0xffff
for i in range(n):
    body = b'pktscope e2e %02d' % i
    head = struct.pack('!BBHHH', 8, 0, 0, 0x7053, i + 1)
    s.sendto(struct.pack('!BBHHH', 8, 0, csum(head + body), 0x7053, i + 1) + body, ('127.0.0.1', 0))
    time.sleep(gap)
`;

/** Runs a command without blocking the event loop (the server runs in this process). */
function run(cmd: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: 'ignore' });
    p.once('error', () => resolve(null));
    p.once('exit', (code) => resolve(code));
  });
}

/** Sends `n` ICMP-producing probes to 127.0.0.1, `gapMs` apart. */
async function probe(n: number, gapMs: number): Promise<void> {
  if (METHOD === 'ping') {
    await run('ping', ['-n', '-q', '-c', String(n), '-i', String(Math.max(0.2, gapMs / 1000)), '-W', '1', '127.0.0.1']);
    return;
  }
  if (METHOD === 'python') {
    await run('python3', ['-c', PY_ECHO, String(n), String(gapMs / 1000)]);
    return;
  }
  const sock = createSocket('udp4');
  try {
    for (let k = 0; k < n; k++) {
      // Port 9 (discard) has no listener here: the kernel answers with ICMP port unreachable.
      await new Promise<void>((r) => sock.send(`pktscope e2e ${k}`, 9, '127.0.0.1', () => r()));
      await new Promise((r) => setTimeout(r, gapMs));
    }
  } finally {
    sock.close();
  }
}

describe('live capture (browser mode)', { skip: skip ?? false }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const work = mkdtempSync(join(tmpdir(), 'pktscope-e2e-capture-'));
  const started = Date.now();

  before(async () => {
    ensureRenderer();
    server = await serve({ files: [], port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
    page.on('dialog', (d) => void d.accept());
    await page.goto(server.url);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(work, { recursive: true, force: true });
    // The temporary capture files this run made (kept by design when a session just goes away).
    for (const d of readdirSync(tmpdir())) {
      const p = join(tmpdir(), d);
      if (d.startsWith('pktscope-capture-') && statSync(p).mtimeMs >= started) rmSync(p, { recursive: true, force: true });
    }
  });

  const grid = () => page.getByRole('grid', { name: 'Packet list' });
  const bodyRows = () => grid().locator('[role=row][aria-rowindex]:not([aria-rowindex="1"])');

  test('start screen: interfaces with sparklines, capture filter checked by libpcap', async () => {
    const list = page.getByRole('listbox', { name: 'Interfaces' });
    const lo = list.locator('[role=option][data-iface="lo"]');
    await lo.waitFor({ timeout: 10_000 });
    assert.match((await lo.textContent()) ?? '', /127\.0\.0\.1/);
    assert.match((await lo.textContent()) ?? '', /loopback/);
    // Counters are sampled once a second: after two samples the sparkline has a line.
    await lo.locator('svg.sparkline polyline').waitFor({ timeout: 5000 });

    const filter = page.getByLabel('Capture filter');
    await filter.fill('icmp and');
    await page.locator('#capture-filter.invalid').waitFor({ timeout: 5000 });
    assert.match((await page.locator('#capture-filter-error').textContent()) ?? '', /syntax error|parse/i);
    assert.equal(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled(), true);
    await filter.fill('icmp');
    await page.locator('#capture-filter.valid').waitFor({ timeout: 5000 });
    await lo.click();
    assert.equal(await lo.getAttribute('aria-selected'), 'true');
    await page.screenshot({ path: join(results, 'capture-start.png') });
  });

  test('capture on lo: rows arrive while packets flow, stop, save as pcapng', async () => {
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const stop = page.getByRole('button', { name: /Stop/ });
    await stop.waitFor({ timeout: 10_000 });
    await page.getByRole('status', { name: 'Capture' }).filter({ hasText: 'Capturing on lo' }).waitFor();

    // The first probe's packets show up within two seconds.
    const t0 = Date.now();
    await probe(1, 50);
    await bodyRows().first().filter({ hasText: 'ICMP' }).waitFor({ timeout: 2000 });
    const firstMs = Date.now() - t0;
    await probe(3, 200);
    const want = 4 * PER_PROBE;
    await page.waitForFunction((n) => document.querySelector('[role=grid][aria-label="Packet list"]')?.getAttribute('aria-rowcount') === String(n + 1), want, { timeout: 3000 });
    const texts = await bodyRows().allTextContents();
    assert.equal(texts.length, want);
    for (const t of texts) assert.match(t, /127\.0\.0\.1.*127\.0\.0\.1.*ICMP.*(Echo \(ping\)|unreachable)/);
    await page.getByRole('status', { name: 'Capture' }).filter({ hasText: `Captured: ${want}` }).waitFor({ timeout: 3000 });
    assert.match((await page.getByRole('status', { name: 'Capture' }).textContent()) ?? '', /Dropped: 0 \(buffer\) · 0 \(interface\)/);
    await page.screenshot({ path: join(results, 'capture-live.png') });
    console.log(`# first rows ${firstMs} ms after the probe; ${want} ICMP packets (${METHOD})`);

    await stop.click();
    await page.getByRole('status', { name: 'Capture' }).filter({ hasText: 'Capture on lo stopped' }).waitFor({ timeout: 10_000 });
    await page.getByText('Unsaved capture').waitFor();
    assert.equal(await page.getByRole('button', { name: /Restart/ }).count(), 0);

    // Save as pcapng to a path on the server.
    const out = join(work, 'saved.pcapng');
    await page.getByRole('button', { name: 'Save as…' }).click();
    const form = page.getByRole('form', { name: 'Save as…' });
    await form.getByLabel('Format').selectOption('pcapng');
    await form.getByLabel('File (on the server)').fill(out);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`Saved ${want} packets to ${out}`).waitFor({ timeout: 10_000 });
    assert.equal(await page.getByText('Unsaved capture').count(), 0);
    await page.screenshot({ path: join(results, 'capture-saved.png') });

    // Export displayed as pcap: only the packets passing the display filter.
    const filterBox = page.locator('#display-filter');
    await filterBox.fill('frame.number <= 2');
    await filterBox.press('Enter');
    await page.waitForFunction(() => document.querySelector('[role=grid][aria-label="Packet list"]')?.getAttribute('aria-rowcount') === '3', null, { timeout: 5000 });
    const ex = join(work, 'displayed.pcap');
    await page.getByRole('button', { name: 'Export displayed…' }).click();
    const exForm = page.getByRole('form', { name: 'Export displayed…' });
    await exForm.getByLabel('Format').selectOption('pcap');
    await exForm.getByLabel('File (on the server)').fill(ex);
    await exForm.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`Saved 2 packets to ${ex}`).waitFor({ timeout: 10_000 });
    const exEngine = CaptureEngine.open([ex]);
    await exEngine.indexed;
    assert.deepEqual(exEngine.rows(0, 10).map((r) => r.protocol), ['ICMP', 'ICMP']);
    exEngine.close();

    // The saved file opens with the packets seen: the same rows.
    const e = CaptureEngine.open([out]);
    const end = await e.indexed;
    try {
      assert.deepEqual(end.errors, []);
      assert.equal(e.count, want);
      const rows = e.rows(0, e.count);
      for (const r of rows) assert.equal(r.protocol, 'ICMP');
      assert.deepEqual(rows.map((r) => `${r.number} ${r.source} ${r.destination}`), Array.from({ length: want }, (_, k) => `${k + 1} 127.0.0.1 127.0.0.1`));
    } finally {
      e.close();
    }
  });

  test('an unsaved capture: leaving the page is questioned until it is saved', async () => {
    await page.getByRole('button', { name: /New capture/ }).click();
    await page.getByRole('listbox', { name: 'Interfaces' }).locator('[role=option][data-iface="lo"]').click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: /Stop/ }).waitFor({ timeout: 10_000 });
    await probe(1, 50);
    await bodyRows().first().filter({ hasText: 'ICMP' }).waitFor({ timeout: 2000 });
    await page.getByRole('button', { name: /Stop/ }).click();
    await page.getByText('Unsaved capture').waitFor({ timeout: 10_000 });
    // The page's beforeunload handler cancels leaving (the browser then asks; headless Chromium
    // under Playwright shows no such dialog, so the handler's verdict is what is checked).
    const cancels = () =>
      page.evaluate(() => {
        const e = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(e);
        return e.defaultPrevented;
      });
    assert.equal(await cancels(), true);
    const out = join(work, 'second.pcapng');
    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByRole('form', { name: 'Save as…' }).getByLabel('File (on the server)').fill(out);
    await page.getByRole('form', { name: 'Save as…' }).getByRole('button', { name: 'Save' }).click();
    await page.getByText(`Saved ${PER_PROBE} packets to ${out}`).waitFor({ timeout: 10_000 });
    assert.equal(await cancels(), false, 'nothing to lose once saved');
  });
});
