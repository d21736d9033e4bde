#!/usr/bin/env node
// The `pktscope` command. Runs the bundled CLI (built by `npm ci` / `npm run build:cli`);
// falls back to running the TypeScript sources through tsx when the bundle is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'out', 'cli.mjs');
if (existsSync(bundle)) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'electron', 'cli-main.ts')).href);
}
