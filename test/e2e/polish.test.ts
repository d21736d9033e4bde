/// <reference lib="dom" />
// UI polish in browser mode: the Views menu and the dock's tabs work from the keyboard (ARIA menu
// button and tabs patterns), and every dock view is checked in dark mode in Simplified Chinese
// (CJK font) for text running out of its box, low-contrast text and English left untranslated.
// Screenshots: test-results/polish-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, ensureRenderer, launchChromium, results, root, startServe, type Served } from './support.ts';

const sample = join(root, 'fixtures/captures/sample-http.pcap');
const missing = chromiumMissing();
if (missing) console.log(`# e2e polish specs skipped: ${missing}`);

describe('polish', { skip: missing ?? false }, () => {
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
    await page.getByRole('grid').locator('[role=row][aria-rowindex="2"]').waitFor();
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  const focused = () => page.evaluate(() => ({ role: document.activeElement?.getAttribute('role') ?? document.activeElement?.tagName ?? '', text: document.activeElement?.textContent?.trim() ?? '' }));
  const dockTabs = () => page.locator('.view-tabs [role=tablist] [role=tab]');

  test('keyboard: the Views menu opens, moves with the arrows, closes with Escape; the dock tabs follow the arrows', async () => {
    const button = page.getByRole('button', { name: 'Views' });
    const items = page.getByRole('menu').getByRole('menuitem');
    await button.focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('menu').waitFor();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    const names = (await items.allTextContents()).map((s) => s.trim());
    assert.ok(names.length >= 2, `views: ${names.join(', ')}`);
    assert.deepEqual(await focused(), { role: 'menuitem', text: names[0] });
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await focused(), { role: 'menuitem', text: names[1] });
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.deepEqual(await focused(), { role: 'menuitem', text: names.at(-1) }, 'ArrowUp wraps to the last item');
    await page.keyboard.press('Home');
    assert.deepEqual(await focused(), { role: 'menuitem', text: names[0] });
    await page.keyboard.press('End');
    assert.deepEqual(await focused(), { role: 'menuitem', text: names.at(-1) });
    await page.keyboard.press('Escape');
    assert.equal(await page.getByRole('menu').count(), 0, 'Escape closes the menu');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await button.evaluate((b) => b === document.activeElement), true, 'focus is back on the Views button');

    // Enter opens it on the first item, ArrowDown and Enter open the second view in the dock.
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    assert.deepEqual(await focused(), { role: 'menuitem', text: names[0] });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('.view-dock').waitFor();
    assert.equal(await page.getByRole('menu').count(), 0);
    await page.waitForFunction((name) => document.activeElement?.getAttribute('role') === 'tab' && document.activeElement.textContent === name, names[1]);
    assert.equal(await dockTabs().evaluateAll((ts) => ts.filter((t) => t.getAttribute('tabindex') === '0').length), 1, 'one tab stop in the tab list');
    const panel = page.locator('#view-panel');
    assert.equal(await panel.getAttribute('aria-labelledby'), await page.locator('.view-tabs [role=tab][aria-selected=true]').getAttribute('id'));

    // Tabs: arrows move and activate (wrapping), Home/End.
    const selectedTab = () => page.locator('.view-tabs [role=tab][aria-selected=true]').textContent();
    const expect = async (name: string) => {
      await page.waitForFunction((n) => document.activeElement?.getAttribute('role') === 'tab' && document.activeElement.textContent === n && document.activeElement.getAttribute('aria-selected') === 'true', name);
      assert.equal(await selectedTab(), name);
    };
    await page.keyboard.press('ArrowRight');
    await expect(names[2 % names.length]!);
    await page.keyboard.press('ArrowLeft');
    await expect(names[1]!);
    await page.keyboard.press('Home');
    await expect(names[0]!);
    await page.keyboard.press('ArrowLeft');
    await expect(names.at(-1)!);
    await page.keyboard.press('End');
    await expect(names.at(-1)!);
    await page.keyboard.press('ArrowRight');
    await expect(names[0]!);
    // Tab leaves the tab list for the close button; Enter on it closes the dock.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('view-close')), true);
    await page.screenshot({ path: join(results, 'polish-keyboard.png') });
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.view-dock').count(), 0);
  });

  test('every dock view in dark mode and in 简体中文: no overflow, readable colors, no English left', async (t) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('grid', { name: '数据包列表' }).waitFor();
    // A selected HTTP packet (TCP stream 0): the views that show one packet or stream have one.
    await page.getByRole('grid').locator('[role=row][aria-rowindex="5"]').click();
    await page.getByRole('button', { name: '视图' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('menu').waitFor();
    await page.screenshot({ path: join(results, 'polish-views-menu-dark-zh.png') });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '视图' }).click();
    const ids = await page.getByRole('menu').getByRole('menuitem').count();
    await page.getByRole('menu').getByRole('menuitem').first().click();
    const problems: string[] = [];
    for (let k = 0; k < ids; k++) {
      await dockTabs().nth(k).click();
      const id = (await page.locator('.view-dock').getAttribute('data-view'))!;
      await page.waitForTimeout(700);
      // tsx names the helpers inside the page function with esbuild's __name.
      await page.evaluate('globalThis.__name = (f) => f');
      const found = await page.evaluate(() => {
        const dock = document.querySelector('.view-dock') as HTMLElement;
        const out: string[] = [];
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
        };
        const bgOf = (el: Element | null): number[] => {
          for (; el; el = el.parentElement) {
            const c = rgb(getComputedStyle(el).backgroundColor);
            if (c.length >= 3 && (c[3] ?? 1) > 0.5) return c;
          }
          return [27, 28, 31];
        };
        const dockBox = dock.getBoundingClientRect();
        const english = /\b[A-Za-z]{3,}(?: [A-Za-z]{2,})+\b/;
        // Wire data and names that stay as they are in Chinese Wireshark too.
        const keep = /^[\w.:/\-\s()[\]→←=,>#%+*]*$/;
        const walker = document.createTreeWalker(dock, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const text = n.textContent?.trim() ?? '';
          const el = n.parentElement!;
          if (!text || !el.checkVisibility()) continue;
          const box = el.getBoundingClientRect();
          if (box.width === 0) continue;
          const cs = getComputedStyle(el);
          // (inside a box that scrolls sideways, running past the edge is what scrolling is for)
          let scroller: Element | null = el.parentElement;
          // (the dock's own body does not count: a whole view scrolling sideways is the overflow looked for)
          while (scroller && scroller !== dock && (scroller.classList.contains('view-body') || !/auto|scroll/.test(getComputedStyle(scroller).overflowX))) scroller = scroller.parentElement;
          if (box.right > dockBox.right + 1 && cs.overflow === 'visible' && (!scroller || scroller === dock)) out.push(`overflow: "${text.slice(0, 40)}" ends at ${Math.round(box.right)} > ${Math.round(dockBox.right)}`);
          if (el.scrollWidth > el.clientWidth + 1 && cs.overflow === 'visible' && cs.display !== 'inline' && el.children.length === 0) out.push(`text wider than its box: "${text.slice(0, 40)}"`);
          const fg = rgb(cs.color);
          const a = lum(fg);
          const b = lum(bgOf(el));
          const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          if (ratio < 3 && Number(cs.opacity) > 0) out.push(`contrast ${ratio.toFixed(1)}: "${text.slice(0, 40)}" (${cs.color} on ${getComputedStyle(el).backgroundColor})`);
          // English prose in a control or heading (not capture data: table cells, trees, code).
          if (english.test(text) && !el.closest('td, [role=gridcell], [role=treeitem], pre, code, .flow-arrow, svg, .u-legend, [data-raw]') && keep.test(text)) out.push(`English? "${text.slice(0, 60)}"`);
        }
        // Column headings cut short (ellipsis) in this language.
        for (const h of Array.from(dock.querySelectorAll<HTMLElement>('[role=columnheader], th, .conn-header .conn-cell'))) {
          const inner = (h.querySelector('button, span') as HTMLElement | null) ?? h;
          if (h.checkVisibility() && h.textContent?.trim() && (inner.scrollWidth > inner.clientWidth + 1 || h.scrollWidth > h.clientWidth + 1)) out.push(`heading cut: "${h.textContent.trim()}"`);
        }
        return [...new Set(out)];
      });
      for (const f of found) problems.push(`${id}: ${f}`);
      if (id === 'expert') {
        // Wireshark's group names (Sequence, Malformed, ...) are translated too.
        const groups = await page.locator('.expert-item .expert-group').allTextContents();
        for (const g of groups) if (!/[\u4e00-\u9fff]/.test(g)) problems.push(`expert: English? group "${g}"`);
        assert.ok(groups.length > 0);
      }
      await page.screenshot({ path: join(results, `polish-${id}-dark-zh.png`) });
    }
    for (const p of problems) t.diagnostic(p);
    // The tabs themselves are all in Chinese.
    const tabNames = await dockTabs().allTextContents();
    for (const n of tabNames) assert.match(n, /[\u4e00-\u9fff]/, `tab "${n}" is translated`);
    assert.deepEqual(problems.filter((p) => /overflow|contrast|heading cut|group "/.test(p)), [], 'no overflowing, cut or low-contrast text, no English expert group');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByLabel('语言').selectOption('en');
  });
});
