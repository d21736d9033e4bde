/// <reference lib="dom" />
// Layers view end to end (browser mode) on a GRE capture (fixtures/captures/gre-tunnels.pcapng,
// a copy of the corpus GrePackets.pcap): packet 7 is Ethernet over GRE (with a key) carrying
// TCP. Open Layers from the Views menu, read the bands in order with their key fields, hover a
// band (its bytes light up in the hex pane, its node in the tree), click one (the tree selects
// it), show the Outer source/destination list columns, and read the packet's tcpdump line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, ensureRenderer, launchChromium, results, root, startServe, type Served } from './support.ts';

const capture = join(root, 'fixtures/captures/gre-tunnels.pcapng');
const missing = chromiumMissing();
if (missing) console.log(`# e2e layers specs skipped: ${missing}`);

describe('layers view', { skip: missing ?? false }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ensureRenderer();
    served = await startServe([capture]);
    browser = await launchChromium();
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(served.url).origin });
    page = await ctx.newPage();
    page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
    await page.goto(served.url);
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  const grid = () => page.getByRole('grid', { name: 'Packet list' });
  const row = (n: number) => grid().locator(`[role=row][aria-rowindex="${n + 1}"]`);
  const bands = () => page.locator('.layers-bands .layer-band');

  test('select the GRE packet, open Layers: the bands in order with their key fields', async () => {
    await row(7).getByRole('gridcell').first().filter({ hasText: '7' }).waitFor();
    await row(7).click();
    await page.getByRole('tree').getByRole('treeitem').filter({ hasText: 'Generic Routing Encapsulation' }).waitFor();
    await page.getByRole('button', { name: /^Views/ }).click();
    await page.getByRole('menuitem', { name: 'Layers' }).click();
    await bands().first().waitFor();
    const abbrevs = await bands().evaluateAll((els) => els.map((e) => e.getAttribute('data-abbrev')));
    assert.deepEqual(abbrevs, ['eth', 'ip', 'gre', 'eth', 'ip', 'tcp']);
    const names = await page.locator('.layers-bands .layer-name').allTextContents();
    assert.deepEqual(names, ['Ethernet', 'IPv4', 'GRE', 'Ethernet', 'IPv4', 'TCP']);
    // key fields: outer and inner addresses, the GRE key, ports
    const text = await page.locator('.layers-view').textContent();
    for (const v of ['1.2.3.4', '4.3.2.1', '0x0000fde8', '10.0.0.4', '10.0.0.5', '00:01:23:45:56:78', 'gre.key', '1232']) assert.ok(text?.includes(v), `layers view shows ${v}`);
    assert.match(text ?? '', /Tunnelled: 1 level/);
    // with the view open the hex pane tints each layer's bytes in its band color
    const tinted = (cls: string) => page.getByRole('region', { name: 'Packet bytes' }).locator(`.hb.${cls}`).count();
    assert.deepEqual([await tinted('tint-link'), await tinted('tint-network'), await tinted('tint-tunnel'), await tinted('tint-transport')], [28, 40, 8, 20]);
    // the bands are sized by their bytes: the 20-byte IPv4 header is wider than the 8-byte GRE one
    const widths = await bands().evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    assert.ok(widths[1]! > widths[2]!, `IPv4 band ${widths[1]} wider than GRE band ${widths[2]}`);
    await page.screenshot({ path: join(results, 'layers-view.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await bands().nth(2).hover();
    await page.screenshot({ path: join(results, 'layers-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.mouse.move(5, 5);
  });

  test('hover a band: its bytes light up in the hex pane and its node in the tree', async () => {
    const gre = bands().nth(2);
    await gre.hover();
    const hex = page.getByRole('region', { name: 'Packet bytes' });
    const lit = hex.locator('.hb.hov');
    await lit.first().waitFor();
    const offs = await lit.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-off'))));
    assert.equal(offs.length, Number(await gre.getAttribute('data-length')), 'as many bytes as the layer');
    assert.deepEqual(offs, [34, 35, 36, 37, 38, 39, 40, 41]);
    assert.ok(await lit.first().evaluate((e) => e.classList.contains('layer-tunnel')), 'hex bytes in the band color');
    assert.equal(await page.locator('.tree-item.hovered').getAttribute('data-field'), 'gre');
    await page.screenshot({ path: join(results, 'layers-hover.png') });
    // the inner TCP header: 20 bytes
    const tcp = bands().nth(5);
    await tcp.hover();
    await hex.locator('.hb.hov[data-off="76"]').waitFor();
    assert.equal(await hex.locator('.hb.hov').count(), 20);
    // leaving the bands clears the marks
    await page.mouse.move(5, 5);
    await page.waitForFunction(() => document.querySelectorAll('.hb.hov').length === 0);
  });

  test('click a band: the tree selects its node', async () => {
    await bands().nth(4).click();
    const sel = page.getByRole('tree').locator('[role=treeitem][aria-selected=true]');
    assert.equal(await sel.getAttribute('data-field'), 'ip');
    assert.match((await sel.textContent()) ?? '', /Src: 10\.0\.0\.4, Dst: 10\.0\.0\.5/);
  });

  test('Outer source / Outer destination columns', async () => {
    assert.equal(await grid().getByRole('columnheader', { name: 'Outer source' }).count(), 0, 'hidden by default');
    await grid().locator('.pl-header').click({ button: 'right' });
    await page.getByRole('menu', { name: 'Columns' }).getByRole('menuitemcheckbox').click();
    await grid().getByRole('columnheader', { name: 'Outer source' }).waitFor();
    const cells = await row(7).getByRole('gridcell').allTextContents();
    // No., Time, Source, Destination, Outer source, Outer destination, Protocol ...
    assert.deepEqual([cells[2], cells[3], cells[4], cells[5]], ['10.0.0.4', '10.0.0.5', '1.2.3.4', '4.3.2.1']);
    // nested GRE (packet 5): the outermost pair; PPP over GRE (packet 1) is no tunnel: empty
    const c5 = await row(5).getByRole('gridcell').allTextContents();
    assert.deepEqual([c5[2], c5[4], c5[5]], ['3.3.3.2', '86.106.164.150', '72.205.54.70']);
    const c1 = await row(1).getByRole('gridcell').allTextContents();
    assert.deepEqual([c1[4], c1[5]], ['', '']);
    assert.equal(await page.locator('.layers-outer-toggle input').isChecked(), true, 'the Layers switch follows');
    await page.screenshot({ path: join(results, 'layers-outer-columns.png') });
  });

  test('Copy as tcpdump line', async () => {
    const line = page.locator('[data-testid=tcpdump-line]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=tcpdump-line]')?.textContent ?? '…') !== '…');
    const text = (await line.textContent()) ?? '';
    assert.match(text, /^\d\d:\d\d:\d\d\.\d{6} 00:02:15:37:a2:44 > 00:ae:f3:52:aa:d1, ethertype IPv4 \(0x0800\), length 96: 1\.2\.3\.4 > 4\.3\.2\.1: GREv0, key=0xfde8, proto TEB \(0x6558\), length 62: 00:01:23:45:56:78 > 00:01:02:03:04:05, ethertype IPv4 \(0x0800\), length 54: 10\.0\.0\.4\.1232 > 10\.0\.0\.5\.80: Flags \[S\], seq 0, win 8192, length 0$/);
    await page.locator('.layers-tcpdump').getByRole('button', { name: 'Copy as tcpdump line' }).click();
    await page.locator('.layers-tcpdump').getByRole('button', { name: 'Copied' }).waitFor();
    const clip = await page.evaluate(() => navigator.clipboard.readText().catch(() => null));
    if (clip !== null) assert.equal(clip, text);
    // the same from the packet list's row menu
    await row(7).click({ button: 'right' });
    await page.getByRole('menu', { name: 'Packet actions' }).getByRole('menuitem', { name: 'Copy as tcpdump line' }).click();
    await page.screenshot({ path: join(results, 'layers-tcpdump.png') });
  });
});
