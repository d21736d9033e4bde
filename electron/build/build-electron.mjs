// Bundles the Electron main process and preload (electron/main.ts, electron/preload.ts) to
// out/electron/*.cjs. The renderer is built separately (build-renderer.mjs).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
for (const name of ['main', 'preload']) {
  await build({
    entryPoints: [join(root, `electron/${name}.ts`)],
    outfile: join(root, `out/electron/${name}.cjs`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['electron', 'cap'],
    logLevel: 'warning',
  });
}
