// Bundles the CLI into one ESM file so `pktscope` starts without a TypeScript loader.
// Runs on `npm ci` (prepare) and before tests; esbuild takes well under a second.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['cap', 'electron', 'ws'],
  logLevel: 'warning',
  // Where the engine thread's bundle is, relative to the bundle that starts it, and this build's
  // id: a running `pktscope serve` starts a new engine thread per connection from the file on
  // disk, which a rebuild may have replaced since (the thread then refuses with a clear error).
  define: { PKTSCOPE_SESSION_WORKER: '"session-worker.mjs"', PKTSCOPE_SUMMARY_WORKER: '"summary-worker.mjs"', PKTSCOPE_BUILD_ID: JSON.stringify(`${Date.now().toString(36)}-${process.pid}`) },
};
// The engine thread first: a CLI bundle never starts next to an older engine thread.
await build({ ...common, entryPoints: [join(root, 'electron/ipc/session-worker-entry.ts')], outfile: join(root, 'out/session-worker.mjs') });
await build({ ...common, entryPoints: [join(root, 'electron/summary-worker.ts')], outfile: join(root, 'out/summary-worker.mjs') });
await build({ ...common, entryPoints: [join(root, 'electron/cli-main.ts')], outfile: join(root, 'out/cli.mjs') });
