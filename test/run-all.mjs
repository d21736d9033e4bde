#!/usr/bin/env node
// Runs every test suite and ends with one line `N passed, N failed, N skipped` over all of
// them (the line CI reads). Usage: node test/run-all.mjs [suite ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// live: captures on network namespaces (needs root; its tests skip with a reason otherwise).
const all = ['unit', 'conformance', 'robustness', 'live', 'e2e'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (/\.test\.(ts|mjs)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

// The CLI tests run the bundled command, as users do.
const build = spawnSync(process.execPath, [join(root, 'electron/build/build-cli.mjs')], { stdio: 'inherit' });
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), 'pktscope-tests-'));
const total = { passed: 0, failed: 0, skipped: 0 };
for (const suite of wanted) {
  const files = testFiles(join(root, 'test', suite));
  if (files.length === 0) continue;
  const countFile = join(tmp, `${suite}.json`);
  console.log(`\n=== ${suite} (${files.length} files) ===`);
  const r = spawnSync(process.execPath, [
    '--import', 'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'test/support/count-reporter.mjs')}`, `--test-reporter-destination=${countFile}`,
    ...files,
  ], { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  let counts = { passed: 0, failed: 1, skipped: 0 };
  try {
    counts = JSON.parse(readFileSync(countFile, 'utf8'));
  } catch {
    console.log(`suite ${suite}: the test runner ended without results (exit ${r.status})`);
  }
  if (r.status !== 0 && counts.failed === 0) counts.failed = 1;
  console.log(`${suite}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  for (const k of Object.keys(total)) total[k] += counts[k];
}
console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
