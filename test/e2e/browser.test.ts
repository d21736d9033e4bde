/// <reference lib="dom" />
// Browser mode end to end: `pktscope serve` on the sample HTTP capture, driven in Debian
// Chromium through its accessibility roles (the same names a screen reader user hears).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, ensureRenderer, launchChromium, results, root, startServe, type Served } from './support.ts';

const sample = join(root, 'fixtures/captures/sample-http.pcap');
const missing = chromiumMissing();
if (missing) console.log(`# e2e browser specs skipped: ${missing}`);

describe('browser mode', { skip: missing ?? false }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ensureRenderer();
    served = await startServe([sample]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
    await page.goto(served.url);
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  const grid = () => page.getByRole('grid', { name: 'Packet list' });
  const row = (n: number) => grid().locator(`[role=row][aria-rowindex="${n + 1}"]`);

  test('open a capture: rows appear', async () => {
    await row(1).getByRole('gridcell').first().filter({ hasText: '1' }).waitFor();
    assert.equal(await grid().getAttribute('aria-rowcount'), '101');
    assert.match((await row(4).textContent()) ?? '', /GET \/ HTTP\/1\.1/);
    await page.screenshot({ path: join(results, 'ui-list.png') });
  });

  test('select a row: tree and bytes', async () => {
    await row(4).click();
    assert.equal(await row(4).getAttribute('aria-selected'), 'true');
    const tree = page.getByRole('tree');
    await tree.getByRole('treeitem').filter({ hasText: 'Hypertext Transfer Protocol' }).waitFor();
    const bytes = page.getByRole('region', { name: 'Packet bytes' });
    assert.equal(await bytes.locator('.hb[data-off]').count(), 420);
  });

  test('select a tree field: its bytes are highlighted', async () => {
    const tree = page.getByRole('tree');
    const tcp = tree.getByRole('treeitem').filter({ hasText: /^.?Transmission Control Protocol/ });
    assert.equal(await tcp.getAttribute('aria-expanded'), 'false');
    await tcp.locator('.twisty').click();
    assert.equal(await tcp.getAttribute('aria-expanded'), 'true');
    const dport = tree.locator('[role=treeitem][data-field="tcp.dstport"]');
    await dport.click();
    assert.equal(await dport.getAttribute('aria-selected'), 'true');
    // raw IPv6 link: IPv6 header 40 bytes, TCP dst port at 42..43
    const sel = page.getByRole('region', { name: 'Packet bytes' }).locator('.hb[aria-selected=true]');
    assert.deepEqual(await sel.evaluateAll((els) => els.map((e) => e.getAttribute('data-off'))), ['42', '43']);
    assert.deepEqual(await sel.allTextContents(), ['00', '50']);
    await page.screenshot({ path: join(results, 'ui-field.png') });
  });

  test('click a byte: the deepest field covering it is selected', async () => {
    const bytes = page.getByRole('region', { name: 'Packet bytes' });
    // offset 80 is inside "HTTP/1.1" of the request line "GET / HTTP/1.1\r\n" (72..87)
    await bytes.locator('.hb[data-off="80"]').click();
    const selected = page.getByRole('tree').locator('[role=treeitem][aria-selected=true]');
    assert.equal(await selected.getAttribute('data-field'), 'http.request.version');
    assert.match((await selected.textContent()) ?? '', /Request Version: HTTP\/1\.1/);
    const hl = await bytes.locator('.hb[aria-selected=true]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-off'))));
    assert.deepEqual(hl, [78, 79, 80, 81, 82, 83, 84, 85], 'the field bytes are highlighted');
    const title = await bytes.locator('.hb[data-off="80"]').getAttribute('title');
    assert.match(title ?? '', /^0x.. {2}\d+ {2}0b[01]{8} {2}/);
  });

  test('a bad filter turns red with the error message', async () => {
    const input = page.getByLabel('Display filter', { exact: true });
    await input.fill('tcp.port == ');
    await page.waitForFunction(() => document.querySelector('#display-filter')?.classList.contains('invalid'));
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    const msg = (await page.locator('#filter-error').textContent()) ?? '';
    assert.ok(msg.length > 3, `error text shown: "${msg}"`);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('#display-filter')!).backgroundColor), 'rgb(255, 196, 196)');
    await input.press('Enter');
    assert.equal(await grid().getAttribute('aria-rowcount'), '101', 'a bad filter is not applied');
    await page.screenshot({ path: join(results, 'ui-bad-filter.png') });
  });

  test('a good filter: fewer rows and the right count', async () => {
    const input = page.getByLabel('Display filter', { exact: true });
    await input.fill('dns');
    await page.waitForFunction(() => document.querySelector('#display-filter')?.classList.contains('valid'));
    await input.press('Enter');
    await page.getByText('Displayed: 6 of 100').waitFor();
    assert.equal(await grid().getAttribute('aria-rowcount'), '7');
    await row(1).filter({ hasText: 'DNS' }).waitFor();
    const protos = await grid().locator('[role=row][aria-rowindex] [aria-colindex="5"]').allTextContents();
    assert.deepEqual(protos.slice(1).filter(Boolean), ['DNS', 'DNS', 'DNS', 'DNS', 'DNS', 'DNS']);
    await page.screenshot({ path: join(results, 'ui-filter.png') });
    await input.fill('');
    await input.press('Enter');
    await page.getByText('Displayed: 100 of 100').waitFor();
  });

  test('keyboard: End selects the last packet, Home the first', async () => {
    await grid().focus();
    await page.keyboard.press('End');
    await row(100).waitFor();
    assert.equal(await row(100).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    assert.equal(await row(2).getAttribute('aria-selected'), 'true');
  });

  test('tree context menu: Apply as filter', async () => {
    await row(4).click();
    const tree = page.getByRole('tree');
    const tcp = tree.getByRole('treeitem').filter({ hasText: /^.?Transmission Control Protocol/ });
    if ((await tcp.getAttribute('aria-expanded')) === 'false') await tcp.locator('.twisty').click();
    await tree.locator('[role=treeitem][data-field="tcp.stream"]').click({ button: 'right' });
    await page.getByRole('menu', { name: 'Field actions' }).getByRole('menuitem', { name: 'Apply as filter' }).click();
    assert.equal(await page.getByLabel('Display filter', { exact: true }).inputValue(), 'tcp.stream == 0');
    await page.getByText(/^Displayed: \d+ of 100$/).filter({ hasNotText: '100 of' }).waitFor();
    const count = Number(await grid().getAttribute('aria-rowcount')) - 1;
    assert.ok(count > 1 && count < 100, `tcp.stream == 0 shows ${count} packets`);
    await page.getByLabel('Display filter', { exact: true }).fill('');
    await page.getByLabel('Display filter', { exact: true }).press('Enter');
    await page.getByText('Displayed: 100 of 100').waitFor();
  });

  test('Ctrl+G goes to a packet; the Time header cycles formats', async () => {
    await grid().focus();
    await page.keyboard.press('Control+g');
    const goto = page.getByLabel('Go to packet');
    await goto.fill('57');
    await goto.press('Enter');
    await row(57).waitFor();
    assert.equal(await row(57).getAttribute('aria-selected'), 'true');
    const timeCell = () => row(57).locator('[aria-colindex="2"]').textContent();
    const relative = await timeCell();
    const format = page.getByLabel('Time format');
    await format.selectOption('absolute');
    assert.match((await timeCell()) ?? '', /^\d\d:\d\d:\d\d\.\d{6}$/);
    await format.selectOption('epoch');
    assert.match((await timeCell()) ?? '', /^\d{9,}\.\d{6}$/, 'epoch');
    await format.selectOption('relative');
    assert.equal(await timeCell(), relative);
  });

  test('sort by a column header: ascending, descending, capture order', async () => {
    const header = grid().getByRole('columnheader', { name: /Length/ });
    const lengthOf = async (n: number) => Number(await row(n).locator('[aria-colindex="6"]').textContent());
    const firstThree = async () => [await lengthOf(1), await lengthOf(2), await lengthOf(3)];
    const poll = async (ok: () => Promise<boolean>, what: string) => {
      const until = Date.now() + 15_000;
      while (!(await ok())) {
        if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
        await page.waitForTimeout(100);
      }
    };
    await header.getByRole('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    await poll(async () => {
      const a = await firstThree();
      return a[0]! <= a[1]! && a[1]! <= a[2]! && a[0]! <= 60;
    }, 'the shortest packets first');
    await header.getByRole('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    await poll(async () => {
      const a = await firstThree();
      return a[0]! >= a[1]! && a[1]! >= a[2]! && a[0]! >= 1400;
    }, 'the largest packets first');
    await header.getByRole('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'none');
    await row(1).locator('[aria-colindex="1"]').filter({ hasText: /^1$/ }).waitFor();
  });

  test('follow an HTTP stream: request and response in two colors', async () => {
    await grid().focus();
    await page.keyboard.press('Home');
    await row(4).click();
    await page.getByRole('button', { name: 'Follow TCP stream' }).click();
    const dialog = page.getByRole('dialog', { name: 'Follow TCP stream' });
    await dialog.waitFor();
    const client = dialog.locator('[data-side=client]').first();
    const server = dialog.locator('[data-side=server]').first();
    assert.match((await client.textContent()) ?? '', /GET \/ HTTP\/1\.1/);
    assert.match((await server.textContent()) ?? '', /HTTP\/1\.1 200 OK/);
    const c1 = await client.evaluate((e) => getComputedStyle(e).color);
    const c2 = await server.evaluate((e) => getComputedStyle(e).color);
    assert.notEqual(c1, c2);
    await page.screenshot({ path: join(results, 'ui-follow.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // also from the row's context menu
    await row(7).click({ button: 'right' });
    await page.getByRole('menu', { name: 'Packet actions' }).getByRole('menuitem', { name: 'Follow TCP stream' }).click();
    await dialog.waitFor();
    assert.match((await dialog.getByRole('heading').textContent()) ?? '', /tcp\.stream eq 0/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  test('follow dialog search: matches highlighted, counted, Enter / Shift+Enter step', async () => {
    await row(4).click();
    await page.getByRole('button', { name: 'Follow TCP stream' }).click();
    const dialog = page.getByRole('dialog', { name: 'Follow TCP stream' });
    await dialog.waitFor();
    const text = (await dialog.locator('.follow-text').textContent()) ?? '';
    // "Connection: Keep-Alive" in the request, "Keep-Alive: timeout" in the response
    const expected = text.toLowerCase().split('keep-alive').length - 1;
    assert.ok(expected >= 3, `keep-alive occurs ${expected} times`);
    const box = dialog.getByRole('searchbox', { name: 'Search stream' });
    await box.fill('KEEP-alive');
    await dialog.getByRole('status').filter({ hasText: `${expected} matches` }).waitFor();
    const marks = dialog.locator('mark.match');
    assert.equal(await marks.count(), expected);
    assert.match((await marks.first().textContent()) ?? '', /^keep-alive$/i);
    assert.ok((await dialog.locator('[data-side=client] mark.match').count()) >= 1, 'a match in the request');
    assert.ok((await dialog.locator('[data-side=server] mark.match').count()) >= 1, 'a match in the response');
    const bg = await marks.first().evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.notEqual(bg, 'rgba(0, 0, 0, 0)');
    const current = dialog.locator('mark.match.current');
    assert.equal(await current.getAttribute('data-match'), '0');
    await box.press('Enter');
    await dialog.locator('mark.match.current[data-match="1"]').waitFor();
    await box.press('Shift+Enter');
    await dialog.locator('mark.match.current[data-match="0"]').waitFor();
    await box.press('Shift+Enter');
    const last = dialog.locator(`mark.match.current[data-match="${expected - 1}"]`);
    await last.waitFor();
    // the last match is scrolled into the text pane's view
    const inView = await last.evaluate((e) => {
      const pane = e.closest('.follow-text')!.getBoundingClientRect();
      const r = e.getBoundingClientRect();
      return r.top >= pane.top - 1 && r.bottom <= pane.bottom + 1;
    });
    assert.ok(inView, 'current match scrolled into view');
    await page.screenshot({ path: join(results, 'ui-follow-search.png') });
    await box.fill('no-such-text-here');
    await dialog.getByRole('status').filter({ hasText: '0 matches' }).waitFor();
    assert.equal(await marks.count(), 0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  test('reassembled PDU: the hex pane has a second tab with the reassembled bytes', async () => {
    // frame 7 completes the first HTTP response (2291 bytes reassembled from two segments)
    await row(7).click();
    const bytes = page.getByRole('region', { name: 'Packet bytes' });
    const tabs = bytes.getByRole('tab');
    await tabs.nth(1).waitFor();
    assert.equal(await tabs.count(), 2);
    assert.match((await tabs.nth(1).textContent()) ?? '', /Reassembled.*\(2291 bytes\)/i);
    await tabs.nth(1).click();
    assert.equal(await tabs.nth(1).getAttribute('aria-selected'), 'true');
    await bytes.locator('.hb[data-off="2290"]').waitFor();
    assert.equal(await bytes.locator('.hb[data-off]').count(), 2291);
    const head = await bytes.locator('.hb[data-off]').evaluateAll((els) => els.slice(0, 8).map((e) => e.textContent).join(''));
    assert.equal(head, Buffer.from('HTTP/1.1').toString('hex'));
    await tabs.nth(0).click();
    assert.equal(await tabs.nth(0).getAttribute('aria-selected'), 'true');
  });

  test('columns resize by dragging; dark theme follows the OS', async () => {
    const header = grid().getByRole('columnheader', { name: 'Source' });
    const before = (await header.boundingBox())!.width;
    const handle = grid().getByRole('separator', { name: 'Resize Source' });
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + 3, box.y + 5);
    await page.mouse.down();
    await page.mouse.move(box.x + 83, box.y + 5, { steps: 4 });
    await page.mouse.up();
    const after = (await header.boundingBox())!.width;
    assert.ok(after > before + 60, `Source column ${before}px -> ${after}px`);
    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(27, 28, 31)');
    await row(4).click();
    await page.screenshot({ path: join(results, 'ui-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
