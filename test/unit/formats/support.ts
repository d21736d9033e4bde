// Helpers of the capture-format tests (not a test file itself).
import { CaptureParser, CaptureFormatError, type PacketRecord } from '../../../decoders/formats/capture-parser.ts';
import { concatBytes } from '../../../decoders/formats/pcap-writer.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';

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

