// User preferences that live with the engine side (Decode As rules, name resolution), in one
// small JSON file: in Electron app.getPath('userData')/preferences.json, in browser mode
// $XDG_CONFIG_HOME/pktscope/preferences.json (~/.config/pktscope/preferences.json).
// PKTSCOPE_CONFIG_DIR overrides the directory (tests use a temporary one).
//
// A missing or unreadable file gives the defaults; bad entries are dropped one by one, so a
// hand-edited file never stops the app from starting.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DecodeAsRule, NameResolution } from './ipc/contract.ts';

export interface Preferences {
  decodeAs: DecodeAsRule[];
  nameResolution: NameResolution;
}

/** Wireshark's defaults: MAC and transport names on, network names off; no Decode As rules. */
export const DEFAULT_PREFERENCES: Preferences = {
  decodeAs: [],
  nameResolution: { mac: true, transport: true, network: false },
};

/** The browser-mode (and fallback) location of the preferences file. */
export function defaultPreferencesPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.PKTSCOPE_CONFIG_DIR || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'pktscope');
  return join(dir, 'preferences.json');
}

function clean(raw: unknown): Preferences {
  const p: Preferences = { decodeAs: [], nameResolution: { ...DEFAULT_PREFERENCES.nameResolution } };
  if (typeof raw !== 'object' || raw === null) return p;
  const r = raw as { decodeAs?: unknown; nameResolution?: unknown };
  if (Array.isArray(r.decodeAs)) {
    for (const x of r.decodeAs.slice(0, 1024)) {
      const e = x as Partial<DecodeAsRule> | null;
      if (e && typeof e.table === 'string' && typeof e.protocol === 'string' && Number.isInteger(e.value) && e.value! >= 0) {
        p.decodeAs.push({ table: e.table, value: e.value!, protocol: e.protocol });
      }
    }
  }
  const n = r.nameResolution as Partial<NameResolution> | undefined;
  if (n && typeof n === 'object') {
    for (const k of ['mac', 'transport', 'network'] as const) if (typeof n[k] === 'boolean') p.nameResolution[k] = n[k];
  }
  return p;
}

export class PreferencesStore {
  private cached: Preferences | null = null;

  constructor(readonly path: string = defaultPreferencesPath()) {}

  load(): Preferences {
    if (!this.cached) {
      try {
        this.cached = clean(JSON.parse(readFileSync(this.path, 'utf8')));
      } catch {
        this.cached = clean(null);
      }
    }
    return structuredClone(this.cached);
  }

  /** Merges `change` into the stored preferences and writes the file (atomically: temp + rename). */
  update(change: Partial<Preferences>): Preferences {
    const next = clean({ ...this.load(), ...change });
    this.cached = next;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n');
      renameSync(tmp, this.path);
    } catch {
      // Not persisted (read-only home): the choice still holds for this run.
    }
    return structuredClone(next);
  }
}
