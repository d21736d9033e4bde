/// <reference lib="dom" />
// Scale: a generated 200k-packet capture; the list stays a virtualized grid, End scrolls to the
// last packet and selects it, and its tree loads.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { writeBenchCapture } from '../../electron/bench/generate-capture.ts';
import { chromiumMissing, ensureRenderer, launchChromium, results, startServe, type Served } from './support.ts';

const PACKETS = 200_000;
const missing = chromiumMissing();

describe('browser mode at scale', { skip: missing ?? false }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let dir: string;

  before(async () => {
    ensureRenderer();
    dir = mkdtempSync(join(tmpdir(), 'pktscope-e2e-'));
    const file = join(dir, 'big.pcap');
    assert.equal(writeBenchCapture(file, PACKETS), PACKETS);
    served = await startServe([file]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(served.url);
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('scroll to the end of a 200k-packet capture and select the last packet', { timeout: 120_000 }, async () => {
    await page.getByText(`Displayed: ${PACKETS} of ${PACKETS}`).waitFor({ timeout: 90_000 });
    const grid = page.getByRole('grid', { name: 'Packet list' });
    assert.equal(await grid.getAttribute('aria-rowcount'), String(PACKETS + 1));
    const rendered = await grid.locator('[role=row][aria-rowindex]').count();
    assert.ok(rendered < 200, `only visible rows are in the DOM (${rendered})`);
    await grid.focus();
    await page.keyboard.press('End');
    const last = grid.locator(`[role=row][aria-rowindex="${PACKETS + 1}"]`);
    await last.waitFor();
    assert.equal(await last.getAttribute('aria-selected'), 'true');
    await last.locator('[aria-colindex="1"]').filter({ hasText: String(PACKETS) }).waitFor();
    await page.getByRole('tree').getByRole('treeitem').first().filter({ hasText: `Frame ${PACKETS}:` }).waitFor();
    await page.screenshot({ path: join(results, 'ui-200k-end.png') });
  });
});
