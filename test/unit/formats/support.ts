// Helpers of the capture-format tests (not a test file itself).
import { CaptureParser, CaptureFormatError, type PacketRecord } from '../../../decoders/formats/capture-parser.ts';
import { concatBytes } from '../../../decoders/formats/pcap-writer.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusDir } from '../../support/corpus.ts';

export interface Parsed {
  parser: CaptureParser;
  recs: PacketRecord[];
  error: CaptureFormatError | undefined;
  /** Bytes left unparsed at the end (an incomplete record) and where they start. */
  left: number;
  leftAt: number;
}

/** Feeds `bytes` to a parser in chunks of `chunk` bytes, as the file reader does. */
export function parseChunks(bytes: Uint8Array, chunk = bytes.length, base = 0): Parsed {
  const parser = new CaptureParser();
  const recs: PacketRecord[] = [];
  let error: CaptureFormatError | undefined;
  let buf: Uint8Array = new Uint8Array(0);
  let off = base;
  let pos = 0;
  try {
    while (pos < bytes.length) {
      const next = bytes.subarray(pos, pos + chunk);
      pos += next.length;
      buf = concatBytes([buf, next]);
      const used = parser.parse(buf, off, (r) => {
        recs.push({ ...r, data: r.data.slice() });
      });
      buf = buf.subarray(used);
      off += used;
    }
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
    error = e;
  }
  return { parser, recs, error, left: buf.length, leftAt: off };
}

/** A recognisable frame of `len` bytes. */
export const frame = (n: number, len = 60): Uint8Array => Uint8Array.from({ length: len }, (_, i) => (i * 7 + n) & 255);

/** Every timestamp of a file as tshark prints frame.time_epoch. */
export function epochs(path: string): { times: string[]; reader: CaptureFileReader } {
  const reader = new CaptureFileReader(path);
  const times: string[] = [];
  for (let r = reader.next(); r; r = reader.next()) times.push(`${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`);
  return { times, reader };
}


const fixtures = fileURLToPath(new URL('../../../fixtures/captures/', import.meta.url));

/** A capture by name: the small copy in fixtures/captures, else the corpus file, else null. */
export function capturePath(name: string): string | null {
  for (const dir of [fixtures, corpusDir]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}
