/// <reference lib="dom" />
// Statistics and I/O graph views end to end, in browser mode on three_http_streams.pcap (28
// packets, three HTTP streams): open them from the Views menu, check the protocol hierarchy,
// conversations and endpoints against the numbers tshark 4.0 prints for this capture, click
// through to packets; in the I/O graph add a filter, see two series (values checked against
// tshark -z io,stat), click a point and see a packet selected.
// Screenshots: test-results/statistics-*.png, io-graph-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, ensureRenderer, launchChromium, results, root, startServe, type Served } from './support.ts';

const capture = join(root, 'fixtures/captures/three_http_streams.pcap');
const missing = chromiumMissing();
if (missing) console.log(`# e2e statistics specs skipped: ${missing}`);

describe('Statistics and I/O graph views', { skip: missing ?? false }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ensureRenderer();
    served = await startServe([capture]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
    await page.addInitScript(() => localStorage.setItem('pktscope.locale', 'en'));
    await page.goto(served.url);
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  const grid = () => page.getByRole('grid', { name: 'Packet list' });
  const openView = async (name: string) => {
    await page.getByRole('button', { name: /^Views/ }).click();
    await page.getByRole('menuitem', { name, exact: true }).click();
  };
  const waitRows = (n: number) => page.waitForFunction((n) => document.querySelector('[role=grid]')?.getAttribute('aria-rowcount') === String(n + 1), n);

  test('protocol hierarchy: the rows tshark -z io,phs gives', async () => {
    await waitRows(28);
    await openView('Statistics');
    const view = page.locator('.stats-view');
    const phs = view.getByRole('treegrid', { name: 'Protocol hierarchy' });
    await phs.locator('tr[data-proto=tcp]').waitFor();
    const rowOf = async (proto: string) => {
      const r = phs.locator(`tr[data-proto="${proto}"]`).first();
      return { depth: Number(await r.getAttribute('data-depth')), frames: Number(await r.getAttribute('data-frames')), bytes: Number(await r.getAttribute('data-bytes')), text: (await r.textContent()) ?? '' };
    };
    // tshark: eth frames:28 bytes:4763 > ip frames:28 bytes:4763 > tcp frames:28 bytes:4763
    assert.deepEqual(await rowOf('frame'), { ...(await rowOf('frame')), depth: 0, frames: 28, bytes: 4763 });
    const eth = await rowOf('eth');
    assert.deepEqual([eth.depth, eth.frames, eth.bytes], [1, 28, 4763]);
    assert.match(eth.text, /^Ethernet II.*100\.0.*28.*100\.0.*4,763/);
    const ip = await rowOf('ip');
    assert.deepEqual([ip.depth, ip.frames, ip.bytes], [2, 28, 4763]);
    const tcp = await rowOf('tcp');
    assert.deepEqual([tcp.depth, tcp.frames, tcp.bytes], [3, 28, 4763]);
    assert.match(tcp.text, /Transmission Control Protocol/);
    // tshark:   http frames:4 bytes:2193 > image-gif frames:1 bytes:507; tcp.segments frames:2 bytes:126 > http frames:2 bytes:126
    const http = await rowOf('http');
    assert.deepEqual([http.depth, http.frames, http.bytes], [4, 4, 2193]);
    const seg = await rowOf('tcp.segments');
    assert.deepEqual([seg.depth, seg.frames, seg.bytes], [4, 2, 126]);
    assert.equal(await phs.locator('tbody tr').count(), 10);
    await page.screenshot({ path: join(results, 'statistics-phs.png') });
  });

  test('conversations: Ethernet and TCP rows as tshark -z conv gives them; a click filters to the conversation', async () => {
    const view = page.locator('.stats-view');
    await view.getByRole('tab', { name: 'Conversations' }).click();
    await view.getByRole('radio', { name: 'Ethernet' }).click();
    const table = view.getByRole('table', { name: 'Conversations' });
    await table.locator('tbody tr').first().waitFor();
    // tshark: 00:50:43:01:4d:d4 <-> 00:90:7f:3e:02:d0  13 2279 bytes  15 2484 bytes  28 4763 bytes
    const eth = table.locator('tbody tr').first();
    const cell = async (r: typeof eth, col: string) => ((await r.locator(`td[data-col=${col}]`).textContent()) ?? '').replace(/,/g, '');
    assert.deepEqual(
      [await cell(eth, 'a'), await cell(eth, 'b'), await cell(eth, 'packets'), await cell(eth, 'bytes'), await cell(eth, 'packetsAB'), await cell(eth, 'bytesAB'), await cell(eth, 'packetsBA'), await cell(eth, 'bytesBA')],
      ['00:50:43:01:4d:d4', '00:90:7f:3e:02:d0', '28', '4763', '15', '2484', '13', '2279'],
    );
    assert.equal(await eth.getAttribute('data-filter'), 'eth.addr == 00:50:43:01:4d:d4 && eth.addr == 00:90:7f:3e:02:d0');

    await view.getByRole('radio', { name: 'TCP' }).click();
    await table.locator('tbody tr td[data-col=aPort]').first().waitFor();
    assert.equal(await table.getAttribute('data-rows'), '3');
    // Sorted by packets: 172.16.133.132:44305 <-> 98.138.19.88:80  5 948 bytes  5 733 bytes  10 1681 bytes  0.015827000  0.1885
    const top = table.locator('tbody tr').first();
    assert.deepEqual(
      [await cell(top, 'a'), await cell(top, 'aPort'), await cell(top, 'b'), await cell(top, 'bPort'), await cell(top, 'packets'), await cell(top, 'bytes'), await cell(top, 'packetsAB'), await cell(top, 'bytesAB'), await cell(top, 'bytesBA'), await cell(top, 'start'), await cell(top, 'duration')],
      ['172.16.133.132', '44305', '98.138.19.88', '80', '10', '1681', '5', '733', '948', '0.015827', '0.1885'],
    );
    // Bytes: 1681 is the largest, 1428 the smallest.
    await table.locator('th button[data-col=bytes]').click();
    assert.equal(await cell(table.locator('tbody tr').first(), 'bytes'), '1681');
    await table.locator('th button[data-col=bytes]').click();
    assert.equal(await cell(table.locator('tbody tr').first(), 'bytes'), '1428');
    await page.screenshot({ path: join(results, 'statistics-conversations.png') });

    // Click through: the filter selects the conversation's 10 packets and the first one.
    const conv = table.locator('tbody tr').filter({ hasText: '44305' });
    const filter = await conv.getAttribute('data-filter');
    assert.match(filter ?? '', /^tcp\.stream == \d+$/);
    await conv.click();
    await waitRows(10);
    await page.waitForFunction(() => document.querySelector('[role=row][aria-rowindex="2"]')?.getAttribute('aria-selected') === 'true');
    assert.equal(await page.locator('#display-filter').inputValue(), filter);
    await page.screenshot({ path: join(results, 'statistics-click-through.png') });
  });

  test('endpoints: IPv4 endpoints as tshark -z endpoints,ip gives them', async () => {
    const view = page.locator('.stats-view');
    await view.getByRole('tab', { name: 'Endpoints' }).click();
    await view.getByRole('radio', { name: 'IPv4' }).click();
    const table = view.getByRole('table', { name: 'Endpoints' });
    await table.locator('tbody tr td[data-col=addr]').first().waitFor();
    assert.equal(await table.getAttribute('data-rows'), '4');
    // tshark: 172.16.133.132  28 4763  15 2484 (Tx)  13 2279 (Rx)
    const top = table.locator('tbody tr').first();
    const texts = await top.locator('td').allTextContents();
    assert.deepEqual(texts.map((s) => s.replace(/,/g, '')), ['172.16.133.132', '28', '4763', '15', '2484', '13', '2279']);
    assert.equal(await top.getAttribute('data-filter'), 'ip.addr == 172.16.133.132');
    await page.screenshot({ path: join(results, 'statistics-endpoints.png') });
  });

  test('I/O graph: two filters overlaid, values as tshark -z io,stat; a click selects a packet', async () => {
    await openView('I/O graph');
    const view = page.locator('.io-view');
    const plot = view.locator('.io-plot');
    await plot.locator('canvas').waitFor();
    // Automatic interval for a 0.2 s capture: 1 ms, 205 intervals, one series of all 28 packets.
    assert.equal(await plot.getAttribute('data-series'), '1');
    assert.equal(await plot.getAttribute('data-interval'), '1');
    assert.equal(await plot.getAttribute('data-buckets'), '205');
    assert.equal(await plot.getAttribute('data-totals'), '[28]');

    // 10 ms intervals and a second graph for "http" (tshark -z io,stat,0.01,,http).
    await view.locator('select.io-interval').selectOption('10');
    await view.getByRole('button', { name: 'Add graph' }).click();
    const second = view.getByRole('textbox', { name: 'Display filter of graph 2' });
    await second.fill('http.request ==');
    await page.waitForFunction(() => document.querySelectorAll('.io-filter input[type=text]')[1]?.getAttribute('data-state') === 'invalid');
    assert.match((await view.locator('.io-error').textContent()) ?? '', /^Invalid filter: /);
    await second.fill('http');
    await page.waitForFunction(() => document.querySelector('.io-plot')?.getAttribute('data-series') === '2');
    assert.equal(await second.getAttribute('data-state'), 'valid');
    assert.equal(await plot.getAttribute('data-buckets'), '21');
    const data = await plot.evaluate((el) => (el as unknown as { uplot: { data: number[][] } }).uplot.data.map((s) => Array.from(s)));
    assert.equal(data.length, 3, 'x and two series');
    // tshark frames per 10 ms: all packets / http
    assert.deepEqual(data[1], [1, 1, 0, 1, 3, 0, 0, 2, 8, 0, 0, 0, 5, 0, 5, 0, 0, 1, 0, 0, 1]);
    assert.deepEqual(data[2], [0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    assert.match((await plot.getAttribute('aria-label')) ?? '', /2 graphs over 21 intervals of 10 ms/);
    assert.equal(await plot.locator('canvas').count(), 1);
    await page.screenshot({ path: join(results, 'io-graph-two-series.png') });

    // Click the all-packets point of interval 8 (8 packets): its first packet, frame 9, gets selected
    // (frame 9 is in the conversation filtered above, so it is in the list).
    const at = await plot.evaluate((el) => {
      const u = (el as unknown as { uplot: { valToPos(v: number, s: string): number; over: HTMLElement } }).uplot;
      const r = u.over.getBoundingClientRect();
      return { x: r.left + u.valToPos(0.08, 'x'), y: r.top + u.valToPos(8, 'y') };
    });
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction(() => document.querySelector('[role=row][aria-selected=true]') !== null);
    const selected = grid().locator('[role=row][aria-selected=true]');
    const number = Number(((await selected.locator('[role=gridcell]').first().textContent()) ?? '').trim());
    assert.equal(number, 9);
    await page.screenshot({ path: join(results, 'io-graph-click.png') });
  });

  test('in Chinese: the views speak zh-CN', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.locator('.view-tabs').getByRole('tab', { name: '统计' }).click();
    const view = page.locator('.stats-view');
    await view.getByRole('tab', { name: '协议分级' }).click();
    await view.getByRole('treegrid', { name: '协议分级' }).locator('th', { hasText: '数据包百分比' }).waitFor();
    await view.getByRole('tab', { name: '会话' }).click();
    await view.getByRole('radio', { name: '以太网' }).waitFor();
    await page.screenshot({ path: join(results, 'statistics-zh-CN.png') });
    await page.locator('.view-tabs').getByRole('tab', { name: 'I/O 图表' }).click();
    await page.locator('.io-view').getByRole('button', { name: '添加图形' }).waitFor();
    // The graphs set up before are still there.
    await page.waitForFunction(() => document.querySelector('.io-plot')?.getAttribute('data-series') === '2');
    assert.equal(await page.locator('.io-view').getByRole('textbox', { name: '图形 2 的显示过滤器' }).inputValue(), 'http');
    await page.screenshot({ path: join(results, 'io-graph-zh-CN.png') });
    await page.getByLabel('语言').selectOption('en');
  });
});
