/// <reference lib="dom" />
// Languages in browser mode: the UI starts in English (the test browser runs with --lang=en-US),
// the toolbar's language switch turns the toolbar, the filter bar, the column headers, the
// status bar and the panes into Simplified Chinese, the choice survives a reload, and
// switching back gives English again. Screenshot: test-results/i18n-zh-CN.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, ensureRenderer, launchChromium, results, root, startServe, type Served } from './support.ts';

const sample = join(root, 'fixtures/captures/sample-http.pcap');
const missing = chromiumMissing();
if (missing) console.log(`# e2e i18n specs skipped: ${missing}`);

describe('languages', { skip: missing ?? false }, () => {
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

  const headers = () => page.getByRole('columnheader').evaluateAll((hs) => hs.map((h) => h.textContent?.replace(/[▴▾]/g, '').trim()));

  test('English by default', async () => {
    await page.getByRole('grid', { name: 'Packet list' }).locator('[role=row][aria-rowindex="2"]').waitFor();
    assert.equal(await page.evaluate(() => navigator.language), 'en-US');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.deepEqual((await headers()).slice(0, 7), ['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info']);
    await page.getByRole('button', { name: 'Follow TCP stream' }).waitFor();
    await page.getByRole('contentinfo').getByText('Packets: 100').waitFor();
  });

  test('switch to 简体中文: toolbar, filter bar, columns, panes and status bar in Chinese', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('grid', { name: '数据包列表' }).waitFor();
    assert.deepEqual((await headers()).slice(0, 7), ['序号', '时间', '源地址', '目的地址', '协议', '长度', '信息']);
    await page.getByRole('button', { name: '追踪 TCP 流' }).waitFor();
    await page.getByRole('button', { name: '应用', exact: true }).waitFor();
    await page.getByRole('button', { name: /名称解析/ }).waitFor();
    await page.getByRole('button', { name: /视图/ }).waitFor();
    assert.equal(await page.getByRole('combobox', { name: '显示过滤器' }).getAttribute('placeholder'), '应用显示过滤器 …（回车）');
    const status = page.getByRole('contentinfo');
    await status.getByText('数据包：100').waitFor();
    await status.getByText('已显示：100').waitFor();
    await page.getByText('已显示：100 / 100').waitFor();
    await page.getByText('选择一个数据包以查看其协议树。').waitFor();
    // A packet: the tree and bytes panes carry Chinese names too.
    await page.getByRole('grid', { name: '数据包列表' }).locator('[role=row][aria-rowindex="5"]').click();
    await page.getByRole('tree', { name: '数据包详情' }).waitFor();
    await page.getByRole('region', { name: '数据包字节' }).waitFor();
    await page.screenshot({ path: join(results, 'i18n-zh-CN.png') });
  });

  test('the choice is remembered across a reload', async () => {
    await page.reload();
    await page.getByRole('grid', { name: '数据包列表' }).locator('[role=row][aria-rowindex="2"]').waitFor();
    assert.equal(await page.getByLabel('语言').inputValue(), 'zh-CN');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await page.getByRole('contentinfo').getByText('数据包：100').waitFor();
  });

  test('Follow dialog in Chinese', async () => {
    await page.getByRole('grid', { name: '数据包列表' }).locator('[role=row][aria-rowindex="5"]').click();
    await page.getByRole('button', { name: '追踪 TCP 流' }).click();
    const dialog = page.getByRole('dialog', { name: '追踪 TCP 流' });
    await dialog.getByRole('heading', { name: /追踪 TCP 流（tcp\.stream eq 0）/ }).waitFor();
    await dialog.getByRole('searchbox', { name: '在流中搜索' }).fill('GET');
    await dialog.getByRole('status').filter({ hasText: /处匹配/ }).waitFor();
    await dialog.getByRole('button', { name: '关闭' }).click();
  });

  test('switch back to English', async () => {
    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('grid', { name: 'Packet list' }).waitFor();
    assert.deepEqual((await headers()).slice(0, 7), ['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info']);
    await page.getByRole('contentinfo').getByText('Packets: 100').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  });
});
