// Bundles the Electron main process and preload (electron/main.ts, electron/preload.ts) to
// out/electron/*.cjs. The renderer is built separately (build-renderer.mjs).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The engine thread (electron/ipc/session-worker-entry.ts) is bundled beside main.cjs.
const entries = { main: 'electron/main.ts', preload: 'electron/preload.ts', 'session-worker': 'electron/ipc/session-worker-entry.ts' };
for (const [name, entry] of Object.entries(entries)) {
  await build({
    entryPoints: [join(root, entry)],
    outfile: join(root, `out/electron/${name}.cjs`),
    define: { PKTSCOPE_SESSION_WORKER: '"session-worker.cjs"' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['electron', 'cap'],
    logLevel: 'warning',
  });
}
