// Bundles the CLI into one ESM file so `pktscope` starts without a TypeScript loader.
// Runs on `npm ci` (prepare) and before tests; esbuild takes well under a second.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
await build({
  entryPoints: [join(root, 'electron/cli-main.ts')],
  outfile: join(root, 'out/cli.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['cap', 'electron', 'ws'],
  logLevel: 'warning',
});
