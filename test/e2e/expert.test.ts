/// <reference lib="dom" />
// Expert Info view end to end, in browser mode on a generated capture with a retransmission,
// resets, an HTTP 404, a DNS NXDOMAIN and an ICMP port unreachable: open it from the Views menu,
// see the severity groups and counts, read an explanation, click an item -> the packet list
// shows exactly its packets, step through them; Chinese UI and the dark theme.
// Screenshots: test-results/expert-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, ensureRenderer, launchChromium, results, startServe, type Served } from './support.ts';
import { writeExpertCapture } from '../support/expert-capture.ts';

const missing = chromiumMissing();
if (missing) console.log(`# e2e expert specs skipped: ${missing}`);

describe('Expert Info view', { skip: missing ?? false }, () => {
  let dir: string;
  let served: Served;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ensureRenderer();
    dir = mkdtempSync(join(tmpdir(), 'pktscope-expert-e2e-'));
    const capture = join(dir, 'expert.pcap');
    writeExpertCapture(capture);
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
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const grid = () => page.getByRole('grid', { name: 'Packet list' });
  const frameAt = (row: number) => grid().locator(`[role=row][aria-rowindex="${row + 1}"] [role=gridcell]`).first().textContent();
  const selectedRow = () => page.waitForFunction(() => document.querySelector('[role=grid] [role=row][aria-selected=true]')?.getAttribute('aria-rowindex'));
  const block = (sev: string) => page.locator(`.expert-group-block[data-severity="${sev}"]`);

  test('severity groups with counts and items, explanations on demand', async () => {
    await grid().locator('[role=row][aria-rowindex="13"]').waitFor();
    await page.getByRole('button', { name: /^Views/ }).click();
    await page.getByRole('menuitem', { name: 'Expert Info' }).click();
    await block('warn').waitFor();
    const groups = await page.locator('.expert-group-block').evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-severity'), e.querySelector('.expert-sev-name')?.textContent, e.querySelector('.expert-sev-count')?.textContent]),
    );
    assert.deepEqual(groups, [
      ['warn', 'Warnings', '5'],
      ['note', 'Notes', '1'],
      ['chat', 'Chats', '5'],
    ]);
    const warn = await block('warn').locator('.expert-item').evaluateAll((els) => els.map((e) => [e.getAttribute('data-kind'), e.querySelector('.expert-count')?.textContent, e.querySelector('.expert-summary')?.textContent]));
    assert.deepEqual(warn, [
      ['tcp.rst', '2', 'Connection reset (RST)'],
      ['http.clientError', '1', 'HTTP 404 Not Found'],
      ['dns.nxdomain', '1', 'DNS response: No such name (NXDOMAIN)'],
      ['icmp.unreachable', '1', 'Destination unreachable (Port unreachable)'],
    ]);
    assert.equal(await block('warn').locator('.expert-badge').count(), 3);
    assert.match((await page.locator('.expert-head').textContent()) ?? '', /10 items over 12 packets/);
    // The retransmission's explanation.
    const retrans = block('note').locator('.expert-item[data-kind="tcp.retransmission"]');
    await retrans.getByRole('button', { name: 'What does this mean?' }).click();
    assert.match((await block('note').locator('.expert-explain').textContent()) ?? '', /did not see an ACK in time/);
    await page.screenshot({ path: join(results, 'expert-view.png') });
  });

  test('clicking an item shows exactly its packets; previous/next step through them', async () => {
    const rst = block('warn').locator('.expert-item[data-kind="tcp.rst"]');
    await rst.locator('.expert-link').click();
    await page.waitForFunction(() => document.querySelector('[role=grid][aria-label="Packet list"]')?.getAttribute('aria-rowcount') === '3');
    assert.equal(await page.locator('#display-filter').inputValue(), 'frame.number in {7 9}');
    assert.deepEqual([await frameAt(1), await frameAt(2)], ['7', '9']);
    // The first packet of the item is selected.
    assert.equal(await (await selectedRow()).jsonValue(), '2');
    await rst.getByRole('button', { name: 'Next packet' }).click();
    await page.waitForFunction(() => document.querySelector('[role=grid] [role=row][aria-rowindex="3"]')?.getAttribute('aria-selected') === 'true');
    assert.equal(await rst.locator('.expert-pos').textContent(), '2 of 2');
    await page.screenshot({ path: join(results, 'expert-filtered.png') });

    // Stepping to a packet the current filter hides shows that item's packets.
    const nx = block('warn').locator('.expert-item[data-kind="dns.nxdomain"]');
    await nx.getByRole('button', { name: 'Next packet' }).click();
    await page.waitForFunction(() => (document.querySelector('#display-filter') as HTMLInputElement | null)?.value === 'frame.number in {11}');
    await page.waitForFunction(() => document.querySelector('[role=grid] [role=row][aria-rowindex="2"]')?.getAttribute('aria-selected') === 'true');
    assert.equal(await frameAt(1), '11');
  });

  test('Chinese UI and dark theme', async () => {
    await page.locator('.lang-select select').selectOption('zh-CN');
    await page.getByRole('tab', { name: '专家信息' }).waitFor();
    assert.equal(await block('warn').locator('.expert-sev-name').textContent(), '警告');
    assert.match((await block('note').locator('.expert-explain').textContent()) ?? '', /重新发送/);
    await page.screenshot({ path: join(results, 'expert-zh-CN.png') });
    await page.locator('.lang-select select').selectOption('en');
    const light = await block('warn').locator('.expert-sev').evaluate((e) => getComputedStyle(e).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await block('warn').locator('.expert-sev').evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.notEqual(dark, light);
    await page.screenshot({ path: join(results, 'expert-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
