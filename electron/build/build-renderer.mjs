// Builds the renderer (renderer/ -> out/renderer) with Vite. Used by `npm run build:renderer`,
// `npm start` and the e2e tests (which build only when the output is missing or stale).
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
await build({
  root: join(root, 'renderer'),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: join(root, 'out/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 4000,
    target: 'es2022',
  },
});
