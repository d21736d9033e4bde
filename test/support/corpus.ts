// Reading corpus captures for the conformance suites.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRegistry, dissectFrame, Session } from '../../decoders/index.ts';
import { CaptureFileReader } from '../../electron/engine/file-reader.ts';
import type { Dissection } from '../../decoders/core/types.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const corpusDir = process.env.PKTSCOPE_CORPUS ?? join(repoRoot, '../shared/corpus/pcapplusplus');
export const corpusAvailable = existsSync(corpusDir);

/** Dissects every packet of a capture in order with one session, as the CLI does. */
export function decodeFile(path: string, each: (d: Dissection) => void): void {
  const reader = new CaptureFileReader(path);
  const registry = defaultRegistry();
  const session = new Session();
  let n = 0;
  for (let rec = reader.next(); rec; rec = reader.next()) {
    n++;
    const iface = reader.parser.interfaces[rec.interfaceId];
    each(dissectFrame(registry, session, { number: n, linkType: rec.linkType, tsSec: rec.tsSec, tsNsec: rec.tsNsec, caplen: rec.caplen, origlen: rec.origlen, interfaceId: rec.interfaceId }, rec.data, iface?.name ? { interfaceName: iface.name } : {}));
  }
}

/** Golden files of one kind (`fields`, `columns`), sorted by capture name. */
export function goldenFiles(kind: string): { name: string; lines: string[] }[] {
  const dir = join(repoRoot, 'fixtures/goldens', kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tsv'))
    .sort()
    .map((f) => ({ name: f.replace(/\.tsv$/, ''), lines: readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.length > 0) }));
}
