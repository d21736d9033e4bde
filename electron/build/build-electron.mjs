// Bundles the Electron main process and preload (electron/main.ts, electron/preload.ts) to
// out/electron/*.cjs. The renderer is built separately (build-renderer.mjs).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The engine thread (electron/ipc/session-worker-entry.ts) is bundled beside main.cjs.
// The engine thread first (see build-cli.mjs), all with one build id.
const entries = { 'session-worker': 'electron/ipc/session-worker-entry.ts', main: 'electron/main.ts', preload: 'electron/preload.ts' };
const buildId = JSON.stringify(`${Date.now().toString(36)}-${process.pid}`);
for (const [name, entry] of Object.entries(entries)) {
  await build({
    entryPoints: [join(root, entry)],
    outfile: join(root, `out/electron/${name}.cjs`),
    define: { PKTSCOPE_SESSION_WORKER: '"session-worker.cjs"', PKTSCOPE_BUILD_ID: buildId },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['electron', 'cap'],
    logLevel: 'warning',
  });
}
