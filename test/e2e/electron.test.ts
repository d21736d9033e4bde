/// <reference lib="dom" />
// The same analyzer in the Electron shell through Playwright's _electron. Where no Electron
// binary is installed (it cannot be downloaded everywhere) the spec is skipped and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { _electron } from 'playwright-core';
import { ensureRenderer, results, root } from './support.ts';

function electronBinary(): { bin?: string; why?: string } {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { why: 'the electron package is not installed' };
  }
  const pathTxt = join(dir, 'path.txt');
  if (!existsSync(pathTxt)) return { why: 'node_modules/electron has no binary (its download is disabled here)' };
  const bin = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? { bin } : { why: `${bin} is missing` };
}

const electron = electronBinary();
if (!electron.bin) console.log(`# e2e Electron target skipped: ${electron.why}`);

test('Electron: open the sample capture, rows, tree and bytes', { skip: electron.bin ? false : `Electron target skipped: ${electron.why}` }, async () => {
  ensureRenderer();
  const b = spawnSync(process.execPath, [join(root, 'electron/build/build-electron.mjs')], { stdio: 'inherit' });
  assert.equal(b.status, 0);
  const app = await _electron.launch({
    executablePath: electron.bin!,
    args: [join(root, 'out/electron/main.cjs'), join(root, 'fixtures/captures/sample-http.pcap'), '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await app.firstWindow();
    const grid = page.getByRole('grid', { name: 'Packet list' });
    await page.waitForFunction(() => document.querySelector('[role=grid]')?.getAttribute('aria-rowcount') === '101');
    await grid.locator('[role=row][aria-rowindex="5"]').click();
    await page.getByRole('tree').getByRole('treeitem').filter({ hasText: 'Hypertext Transfer Protocol' }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Packet bytes' }).locator('.hb[data-off]').count(), 420);
    await page.screenshot({ path: join(results, 'electron-main.png') });
  } finally {
    await app.close();
  }
});
