// Where the capture backends live on disk. The sources run through tsx (electron/capture/),
// the CLI runs bundled (out/cli.mjs) and Electron's main process runs as a CommonJS bundle
// (out/electron/main.cjs, where import.meta is empty), so the project root is found by walking
// up from whichever of those we are until the package.json named "pktscope" appears.
//
// PKTSCOPE_CAPTURE_HELPER overrides the native helper's path (a copy given capabilities with
// setcap, for instance); PKTSCOPE_CAPTURE_BACKEND=native|cap forces a backend.

import { existsSync, readFileSync, accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

function here(): string {
  try {
    const url = (import.meta as { url?: string }).url;
    if (url) return dirname(fileURLToPath(url));
  } catch {
    // not an ES module
  }
  if (typeof __dirname !== 'undefined') return __dirname;
  return process.cwd();
}

let rootCache: string | null = null;

/** The pktscope checkout or package (the directory holding its package.json). */
export function projectRoot(): string {
  if (rootCache) return rootCache;
  const starts = [here(), process.argv[1] ? dirname(process.argv[1]) : '', process.cwd()];
  for (const start of starts) {
    let d = start;
    for (let i = 0; d && i < 8; i++) {
      const pj = join(d, 'package.json');
      if (existsSync(pj)) {
        try {
          if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'pktscope') return (rootCache = d);
        } catch {
          // unreadable package.json: keep looking
        }
      }
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  return (rootCache = process.cwd());
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where the build script puts the helper (electron/build/build-capture-helper.mjs). */
export function defaultHelperPath(): string {
  return join(projectRoot(), 'out', 'pktscope-capture');
}

/** The native helper binary, or null when it was not built. */
export function helperPath(): string | null {
  const env = process.env.PKTSCOPE_CAPTURE_HELPER;
  if (env) return executable(env) ? env : null;
  const candidates = [defaultHelperPath()];
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) candidates.push(join(resources, 'pktscope-capture'));
  for (const c of candidates) if (executable(c)) return c;
  return null;
}

/** The `cap` capture child (plain JavaScript, so it runs without a TypeScript loader). */
export function capChildPath(): string {
  return join(projectRoot(), 'electron', 'capture', 'cap-child.mjs');
}

export interface CapModule {
  Cap: {
    new (): unknown;
    deviceList(): { name: string; description?: string; addresses: { addr: string; netmask?: string }[]; flags?: string }[];
    findDevice(ip?: string): string | undefined;
  };
}

let capCache: CapModule | null | undefined;

/** The `cap` binding (an optional dependency), or null when it is missing or built for another ABI. */
export function loadCap(): CapModule | null {
  if (capCache !== undefined) return capCache;
  try {
    const req = createRequire(join(projectRoot(), 'package.json'));
    capCache = req('cap') as CapModule;
  } catch {
    capCache = null;
  }
  return capCache;
}
