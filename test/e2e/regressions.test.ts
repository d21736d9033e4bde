/// <reference lib="dom" />
// Regressions of the UI seen once and fixed, in browser mode.
//
// "h is not a function" in the status bar right after a capture loaded: the only `h(...)` that
// survives bundling is contract.ts dispatch() calling `handlers[method]`. A running
// `pktscope serve` starts each connection's engine thread from out/session-worker.mjs as it is
// on disk then; when `npm run build:cli` (tests, other sessions) had rebuilt it in between, the
// server accepted a method that thread did not have. Now the two bundles carry one build id, the
// thread refuses with the reason, and dispatch() names a missing method.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, Page } from 'playwright-core';
import { dispatch, type Handlers } from '../../electron/ipc/contract.ts';
import { chromiumMissing, ensureRenderer, launchChromium, results, root, startServe, type Served } from './support.ts';

const missing = chromiumMissing();
if (missing) console.log(`# e2e regression specs skipped: ${missing}`);
const corpusFile = '/work/shared/corpus/pcapplusplus/example2.pcap';
const sample = join(root, 'fixtures/captures/sample-http.pcap');

test('dispatch names a method the handlers lack instead of failing with "h is not a function"', async () => {
  const r = await dispatch({} as Handlers, { id: 7, method: 'info', arg: null });
  assert.equal(r.id, 7);
  assert.ok('error' in r);
  assert.match(r.error, /^info is not available from this engine/);
  assert.doesNotMatch(r.error, /not a function/);
});

/** `node DIR/cli.mjs serve FILE`: the bundled CLI from a directory of our own. */
function serveBundle(dir: string, file: string): Promise<{ url: string; stop: () => void }> {
  const env = { ...process.env, PKTSCOPE_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'pktscope-e2e-config-')) };
  const proc = spawn(process.execPath, [join(dir, 'cli.mjs'), 'serve', file, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not print its URL')), 30_000);
    createInterface({ input: proc.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)$/.exec(line);
      if (!m) return reject(new Error(`unexpected first line: ${line}`));
      resolve({ url: m[1]!, stop: () => proc.kill('SIGTERM') });
    });
  });
}

describe('regressions (browser mode)', { skip: missing ?? false }, () => {
  let browser: Browser;
  before(async () => {
    ensureRenderer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  const errorsOf = (page: Page): string[] => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    return errors;
  };

  test('an engine thread from another build says so (it was "h is not a function")', async (t) => {
    const bundle = join(root, 'out/cli.mjs');
    const worker = join(root, 'out/session-worker.mjs');
    if (!existsSync(bundle) || !existsSync(worker)) return t.skip('out/cli.mjs is not built (npm run build:cli)');
    const id = /BUILD_ID = true \? "([^"]+)"/.exec(readFileSync(worker, 'utf8'))?.[1];
    if (!id) return t.skip('the bundle carries no build id (built before this fix)');
    // Inside out/ so the copies resolve node_modules (ws) as the real bundle does.
    mkdirSync(join(root, 'out'), { recursive: true });
    const dir = mkdtempSync(join(root, 'out', 'regress-'));
    const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
    let served: { url: string; stop: () => void } | null = null;
    try {
      copyFileSync(bundle, join(dir, 'cli.mjs'));
      // The engine thread on disk is now "another build" than the running server.
      writeFileSync(join(dir, 'session-worker.mjs'), readFileSync(worker, 'utf8').replaceAll(`"${id}"`, '"other-build"'));
      served = await serveBundle(dir, sample);
      await page.goto(served.url);
      const alert = page.locator('.status-bar .err').first();
      await alert.waitFor();
      const text = (await page.locator('.status-bar').textContent()) ?? '';
      assert.match(text, /rebuilt while pktscope was running/);
      assert.doesNotMatch(text, /is not a function/);
    } finally {
      served?.stop();
      await page.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('loading a capture while switching views and filtering leaves no error', async (t) => {
    const file = existsSync(corpusFile) ? corpusFile : sample;
    if (file !== corpusFile) t.diagnostic(`corpus absent: ${corpusFile}; using the sample capture`);
    const served: Served = await startServe([file]);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      const errors = errorsOf(page);
      await page.goto(served.url);
      const views = page.getByRole('button', { name: 'Views' });
      await views.click();
      const n = await page.getByRole('menuitem').count();
      await page.getByRole('menuitem').first().click();
      // Every tab once, a filter applied and cleared, all while the capture may still be loading.
      for (let k = 0; k < n; k++) {
        await page.locator('.view-tabs [role=tab]').nth(k).click();
        if (k === 1) {
          await page.getByLabel('Display filter', { exact: true }).fill('tcp');
          await page.getByLabel('Display filter', { exact: true }).press('Enter');
        }
        if (k === 3) {
          await page.getByLabel('Display filter', { exact: true }).fill('');
          await page.getByLabel('Display filter', { exact: true }).press('Enter');
        }
      }
      await page.waitForFunction(() => !document.querySelector('.status-bar progress'), undefined, { timeout: 60_000 });
      await page.waitForTimeout(500);
      for (let k = 0; k < n; k++) await page.locator('.view-tabs [role=tab]').nth(k).click();
      await page.waitForTimeout(500);
      const status = (await page.locator('.status-bar').textContent()) ?? '';
      assert.equal(await page.locator('.status-bar .err').count(), 0, `status bar: ${status}`);
      assert.deepEqual(errors, []);
      await page.screenshot({ path: join(results, 'regressions-loaded.png') });
    } finally {
      await page.close();
      await served.stop();
    }
  });
});
