/// <reference lib="dom" />
// Connections view end to end, in browser mode on fixtures/captures/connections.pcap (one flow
// per state: unanswered SYN, refused, reset by server, closed, half-open, NXDOMAIN ...): open it
// from the Views menu, see the rows and their state words, narrow and sort them, click a row
// (the packet list shows tcp.stream == N), Follow a TCP row, read it in Chinese.
// Screenshots: test-results/connections-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, ensureRenderer, launchChromium, results, root, startServe, type Served } from './support.ts';

const fixture = join(root, 'fixtures/captures/connections.pcap');
const missing = chromiumMissing();
if (missing) console.log(`# e2e connections specs skipped: ${missing}`);

describe('Connections view', { skip: missing ?? false }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ensureRenderer();
    served = await startServe([fixture]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
    await page.addInitScript(() => localStorage.setItem('pktscope.locale', 'en'));
    await page.goto(served.url);
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  const packets = () => page.getByRole('grid', { name: 'Packet list' });
  const table = () => page.getByRole('grid', { name: 'Connections' });
  const flow = (proto: string, stream: number) => table().locator(`[role=row][data-proto=${proto}][data-stream="${stream}"]`);
  const bodyRows = () => table().locator('[role=row][data-state]');

  test('open from the Views menu: every flow with its state in words', async () => {
    await packets().locator('[role=row][aria-rowindex="2"]').getByRole('gridcell').first().filter({ hasText: '1' }).waitFor();
    await page.getByRole('button', { name: /^Views/ }).click();
    await page.getByRole('menuitem', { name: 'Connections' }).click();
    await flow('tcp', 0).waitFor();
    assert.equal(await page.locator('.conn-count').textContent(), '17 of 17 connections');
    assert.equal(await table().getAttribute('aria-rowcount'), '18');
    assert.match((await flow('tcp', 0).textContent()) ?? '', /10\.0\.0\.1:40001.*10\.0\.0\.10:80.*SYN sent, no answer \(2 retries\)/);
    assert.match((await flow('tcp', 1).textContent()) ?? '', /refused \(RST to SYN\)/);
    assert.match((await flow('tcp', 3).textContent()) ?? '', /10\.0\.0\.1:40004.*10\.0\.0\.4:22.*reset by server after 2\.5 s/);
    assert.match((await flow('udp', 0).textContent()) ?? '', /DNS NXDOMAIN: nosuch\.example/);
    assert.equal(await flow('tcp', 3).getAttribute('data-state'), 'reset-by-server');
    await page.screenshot({ path: join(results, 'connections-view.png') });
  });

  test('the text filter narrows the rows; a header click sorts them', async () => {
    const box = page.getByRole('searchbox', { name: 'Filter connections' });
    await box.fill('refused');
    await page.locator('.conn-count', { hasText: '1 of 17 connections' }).waitFor();
    assert.deepEqual(await bodyRows().evaluateAll((rs) => rs.map((r) => r.getAttribute('data-state'))), ['refused']);
    await box.fill('udp dns');
    await page.locator('.conn-count', { hasText: '3 of 17 connections' }).waitFor();
    await box.fill('');
    // Bytes B→A, descending (second click): the closed HTTP flow (202 bytes) first.
    const header = table().getByRole('columnheader', { name: /Bytes B→A/ });
    await header.getByRole('button').click();
    await header.getByRole('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    const first = bodyRows().first();
    assert.equal(await first.getAttribute('data-state'), 'closed');
    assert.match((await first.textContent()) ?? '', /10\.0\.0\.1:40003/);
    await header.getByRole('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'none');
  });

  test('click a row: the packet list shows tcp.stream == N', async () => {
    await flow('tcp', 3).click();
    await page.waitForFunction(() => document.querySelector('[role=grid][aria-label="Packet list"]')?.getAttribute('aria-rowcount') === '6');
    assert.equal(await page.locator('#display-filter').inputValue(), 'tcp.stream == 3');
    assert.equal(await flow('tcp', 3).getAttribute('aria-selected'), 'true');
    // Still the whole capture's flows in the view.
    assert.equal(await page.locator('.conn-count').textContent(), '17 of 17 connections');
    const numbers = await packets().locator('[role=row][data-number]').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-number'))));
    assert.deepEqual(numbers, [18, 19, 20, 21, 37]);
    await page.screenshot({ path: join(results, 'connections-filtered.png') });
    // UDP rows filter by udp.stream.
    await flow('udp', 0).click();
    await page.waitForFunction(() => document.querySelector('[role=grid][aria-label="Packet list"]')?.getAttribute('aria-rowcount') === '3');
    assert.equal(await page.locator('#display-filter').inputValue(), 'udp.stream == 0');
  });

  test('Follow on a TCP row opens Follow TCP stream', async () => {
    await flow('tcp', 3).getByRole('button', { name: 'Follow' }).click();
    const dialog = page.getByRole('dialog', { name: 'Follow TCP stream' });
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /SSH-2\.0-OpenSSH_9\.2/);
    assert.equal(await flow('udp', 0).locator('.conn-follow').count(), 0, 'no Follow on UDP rows');
    await page.screenshot({ path: join(results, 'connections-follow.png') });
    await page.keyboard.press('Escape');
    if (await dialog.isVisible()) await dialog.getByRole('button').first().click();
  });

  test('in Chinese: states and headings are translated', async () => {
    await page.locator('.lang-select select').selectOption('zh-CN');
    const zh = page.getByRole('grid', { name: '连接' });
    await zh.getByRole('columnheader', { name: '状态' }).waitFor();
    const zhFlow = (proto: string, stream: number) => zh.locator(`[role=row][data-proto=${proto}][data-stream="${stream}"]`);
    assert.match((await zhFlow('tcp', 3).textContent()) ?? '', /2\.5 秒后被服务器重置/);
    assert.match((await zhFlow('tcp', 1).textContent()) ?? '', /连接被拒绝（SYN 收到 RST）/);
    assert.match((await zhFlow('udp', 0).textContent()) ?? '', /DNS 域名不存在（NXDOMAIN）：nosuch\.example/);
    await page.getByRole('searchbox', { name: '筛选连接' }).fill('unreachable');
    assert.match((await zhFlow('udp', 4).textContent()) ?? '', /无应答：ICMP 端口不可达/);
    assert.match((await zhFlow('tcp', 7).textContent()) ?? '', /无应答：ICMP 主机不可达/);
    assert.match((await page.locator('.conn-count').textContent()) ?? '', /显示 4 个，共 17 个连接/);
    await page.screenshot({ path: join(results, 'connections-zh.png') });
    await page.locator('.lang-select select').selectOption('en');
  });
});
