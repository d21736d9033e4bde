/// <reference lib="dom" />
// TCP stream graph and flow graph views end to end, in browser mode on the sample HTTP capture:
// open them from the Views menu for the selected TCP packet, check what is plotted against the
// engine, click a point / a row and see the packet selected. Screenshots: test-results/tcp-graph-*.png, flow-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, ensureRenderer, launchChromium, results, root, startServe, type Served } from './support.ts';
import { CaptureEngine } from '../../electron/engine/engine.ts';
import { tcpGraph } from '../../electron/engine/tcp-graph.ts';
import { flowGraphOfStream } from '../../electron/engine/flow-graph.ts';

const sample = join(root, 'fixtures/captures/sample-http.pcap');
const missing = chromiumMissing();
if (missing) console.log(`# e2e graph specs skipped: ${missing}`);

describe('TCP graph and flow graph views', { skip: missing ?? false }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let engine: CaptureEngine;

  before(async () => {
    ensureRenderer();
    served = await startServe([sample]);
    engine = CaptureEngine.open([sample]);
    await engine.indexed;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
    await page.addInitScript(() => localStorage.setItem('pktscope.locale', 'en'));
    await page.goto(served.url);
  });
  after(async () => {
    engine?.close();
    await browser?.close();
    await served?.stop();
  });

  const grid = () => page.getByRole('grid', { name: 'Packet list' });
  const row = (n: number) => grid().locator(`[role=row][aria-rowindex="${n + 1}"]`);
  const openView = async (name: string) => {
    await page.getByRole('button', { name: /^Views/ }).click();
    await page.getByRole('menuitem', { name }).click();
  };

  test('TCP stream graph of the selected packet: one point per segment, a click selects its packet', async () => {
    await row(4).click();
    assert.equal(await row(4).getAttribute('aria-selected'), 'true');
    await openView('TCP Stream Graph');
    const plot = page.locator('.tcp-graph-plot');
    await plot.locator('canvas').waitFor();
    const want = tcpGraph(engine, 0);
    // The data direction (server -> client) is graphed by default.
    assert.equal(want.direction, 1);
    assert.equal(Number(await plot.getAttribute('data-segments')), want.segments.length);
    assert.equal(Number(await plot.getAttribute('data-acks')), want.acks.length);
    const plotted = await plot.evaluate((el) => {
      const u = (el as unknown as { uplot: { data: (number | null)[][] } }).uplot;
      return { seq: u.data[1]!.filter((v) => v !== null).length, ack: u.data[3]!.filter((v) => v !== null).length };
    });
    assert.deepEqual(plotted, { seq: want.segments.length, ack: want.acks.length });
    assert.match((await page.locator('.tcp-graph-view [role=status]').textContent()) ?? '', new RegExp(`^${want.segments.length} segments, ${want.bytes[1]} bytes`));
    await page.screenshot({ path: join(results, 'tcp-graph-stream0.png') });

    // Click the point of the third server segment (frame 7).
    const target = want.segments[2]!;
    assert.equal(target.frame, 7);
    const at = await plot.evaluate(
      (el, p) => {
        const u = (el as unknown as { uplot: { valToPos(v: number, s: string): number; over: HTMLElement } }).uplot;
        const r = u.over.getBoundingClientRect();
        return { x: r.left + u.valToPos(p.time, 'x'), y: r.top + u.valToPos(p.seq, 'y') };
      },
      { time: target.time - want.start, seq: target.seq },
    );
    assert.ok(Number.isFinite(at.x) && Number.isFinite(at.y), `point of frame 7 at ${JSON.stringify(at)}`);
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction(() => document.querySelector('[role=row][aria-rowindex="8"]')?.getAttribute('aria-selected') === 'true');
    assert.equal(await row(7).getAttribute('aria-selected'), 'true');

    // The other direction: the client's request segments.
    await page.locator('.tcp-graph-view select').selectOption('0');
    const up = tcpGraph(engine, 0, 0);
    await page.waitForFunction((n) => document.querySelector('.tcp-graph-plot')?.getAttribute('data-segments') === String(n), up.segments.length);
    await page.screenshot({ path: join(results, 'tcp-graph-client.png') });
  });

  test('flow graph of the TCP stream: two hosts, one arrow per segment, a click selects the packet', async () => {
    await row(4).click();
    await openView('Flow Graph');
    const flow = page.getByRole('grid', { name: 'Flow graph' });
    await flow.locator('.flow-row').first().waitFor();
    const want = flowGraphOfStream(engine, 0);
    assert.equal(await flow.getAttribute('aria-rowcount'), String(want.items.length));
    assert.deepEqual(await flow.locator('.flow-host').allTextContents(), want.nodes);
    const rows = flow.locator('.flow-row');
    const shown = await rows.count();
    assert.ok(shown > 5 && shown <= want.items.length);
    assert.equal(await flow.locator('.flow-row .flow-arrow').count(), shown);
    assert.deepEqual(await rows.locator('.flow-label').evaluateAll((els) => els.slice(0, 3).map((e) => e.textContent)), want.items.slice(0, 3).map((i) => i.label));
    // The selected packet's row is highlighted.
    assert.equal(await flow.locator('.flow-row[data-frame="4"]').getAttribute('aria-selected'), 'true');
    await page.screenshot({ path: join(results, 'flow-stream0.png') });

    await flow.locator('.flow-row[data-frame="5"]').click();
    await page.waitForFunction(() => document.querySelector('[role=row][aria-rowindex="6"]')?.getAttribute('aria-selected') === 'true');
    assert.equal(await flow.locator('.flow-row[data-frame="5"]').getAttribute('aria-selected'), 'true');
    assert.equal(await flow.locator('.flow-row[data-frame="4"]').getAttribute('aria-selected'), 'false');
  });

  test('flow graph of the displayed packets: host columns and Info labels', async () => {
    await page.locator('.flow-view select.flow-mode').selectOption('displayed');
    const flow = page.getByRole('grid', { name: 'Flow graph' });
    await page.waitForFunction((n) => document.querySelector('.flow-scroll')?.getAttribute('aria-rowcount') === String(n), engine.count);
    const hosts = await flow.locator('.flow-host').allTextContents();
    assert.ok(hosts.length > 2, `hosts ${hosts.join(', ')}`);
    assert.equal(hosts[0], '2001:618:400::5199:cc70');
    const label4 = await flow.locator('.flow-row[data-frame="4"] .flow-label').textContent();
    assert.equal(label4, 'GET / HTTP/1.1 ');
    await page.screenshot({ path: join(results, 'flow-displayed.png') });
    // Chinese UI.
    await page.locator('.lang-select select').selectOption('zh-CN');
    await page.getByRole('tab', { name: '流量图' }).waitFor();
    await page.screenshot({ path: join(results, 'flow-zh-CN.png') });
    await page.getByRole('tab', { name: 'TCP 流图形' }).click();
    await page.locator('.tcp-graph-plot canvas').waitFor();
    assert.match((await page.locator('.tcp-graph-view [role=status]').textContent()) ?? '', /个报文段/);
    await page.screenshot({ path: join(results, 'tcp-graph-zh-CN.png') });
    await page.locator('.lang-select select').selectOption('en');
  });
});
