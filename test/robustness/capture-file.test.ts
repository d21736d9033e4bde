// Robustness, part 3: capture files cut short. Every corpus file is cut at about 20 offsets
// (inside the file header, at a record start, inside a record header, inside packet data, one
// byte before the end of a record, one byte before the end of the file) and read through
// CaptureFileReader. Every complete packet before the cut must be delivered, byte for byte;
// a cut between records reads as a complete (shorter) file; any other cut ends with an error
// whose offset is the start of the record (pcap record, pcapng block, or file header) that the
// cut broke. The record layout is walked here independently of the parser, as the oracle.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureFileReader } from '../../electron/engine/file-reader.ts';
import { corpusAvailable, corpusDir } from '../support/corpus.ts';
import { Findings, Rng, corpusFiles } from '../support/fuzz.ts';

interface Rec {
  start: number;
  end: number;
  /** Start of the packet bytes, for packet records. */
  data: number;
  packet: boolean;
}

/** Records of a capture: the pcap file header or pcapng blocks, and packet records. */
function layout(b: Buffer): Rec[] {
  const out: Rec[] = [];
  const be = b.readUInt32BE(0);
  if (be === 0x0a0d0d0a) {
    let le = true;
    for (let p = 0; p + 12 <= b.length; ) {
      if (b.readUInt32BE(p) === 0x0a0d0d0a) le = b.readUInt32BE(p + 8) === 0x4d3c2b1a;
      const type = le ? b.readUInt32LE(p) : b.readUInt32BE(p);
      const len = le ? b.readUInt32LE(p + 4) : b.readUInt32BE(p + 4);
      const packet = type === 6 || type === 2 || type === 3;
      out.push({ start: p, end: p + len, data: p + (type === 3 ? 12 : 28), packet });
      p += len;
    }
    return out;
  }
  const le = !(be === 0xa1b2c3d4 || be === 0xa1b23c4d);
  out.push({ start: 0, end: 24, data: 24, packet: false });
  for (let p = 24; p + 16 <= b.length; ) {
    const caplen = le ? b.readUInt32LE(p + 8) : b.readUInt32BE(p + 8);
    out.push({ start: p, end: p + 16 + caplen, data: p + 16, packet: true });
    p += 16 + caplen;
  }
  return out;
}

function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** About 20 cut offsets of a file: file header, record starts, record headers, packet data, record ends. */
function cutOffsets(name: string, size: number, recs: Rec[]): number[] {
  const rng = new Rng(seedOf(name));
  const set = new Set<number>([0, 1, size - 1]);
  const head = recs[0]!;
  set.add(rng.range(4, head.end - 1));
  const picks = new Set<number>([1, recs.length - 1]);
  while (picks.size < Math.min(recs.length - 1, 5)) picks.add(rng.range(1, recs.length - 1));
  for (const i of picks) {
    const r = recs[i];
    if (!r) continue;
    set.add(r.start); // between records: a clean end
    set.add(r.start + rng.range(1, Math.min(15, r.end - r.start - 1))); // inside the record header
    if (r.end - r.data > 1) set.add(rng.range(r.data + 1, r.end - 1)); // inside the packet data
    set.add(r.end - 1); // one byte short
  }
  for (let tries = 0; set.size < 20 && tries < 100; tries++) set.add(rng.int(size)); // anywhere
  return [...set].filter((x) => x >= 0 && x < size).sort((a, b) => a - b).slice(0, 24);
}

test('capture files cut at ~20 offsets each: every complete packet before the cut is delivered, the error points at the cut record', { skip: !corpusAvailable }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pktscope-cuts-'));
  const problems = new Findings();
  let cutsTotal = 0;
  let clean = 0;
  let broken = 0;
  let delivered = 0;
  const files = corpusFiles();
  try {
    for (const name of files) {
      const whole = readFileSync(join(corpusDir, name));
      const recs = layout(whole);
      // The packets as the reader delivers them from the complete file.
      const full = new CaptureFileReader(join(corpusDir, name));
      const packets: Uint8Array[] = [];
      for (let r = full.next(); r; r = full.next()) packets.push(r.data.slice());
      full.close();
      const packetRecs = recs.filter((r) => r.packet);
      if (packetRecs.length !== packets.length || full.error) {
        problems.add('the complete file does not read as its record layout says', () => `${name}: ${packets.length} packets read, ${packetRecs.length} records, error ${full.error?.message ?? 'none'}`);
        continue;
      }
      for (const cut of cutOffsets(name, whole.length, recs)) {
        cutsTotal++;
        const path = join(dir, 'cut');
        writeFileSync(path, whole.subarray(0, cut));
        const reader = new CaptureFileReader(path);
        const got: Uint8Array[] = [];
        for (let r = reader.next(); r; r = reader.next()) got.push(r.data.slice());
        reader.close();
        delivered += got.length;
        const complete = packetRecs.filter((r) => r.end <= cut).length;
        const at = `${name} cut at ${cut}/${whole.length}`;
        if (got.length !== complete) problems.add('wrong number of packets delivered', () => `${at}: ${got.length} delivered, ${complete} complete before the cut; error ${reader.error?.message ?? 'none'}`);
        for (let i = 0; i < Math.min(got.length, complete); i++) {
          if (Buffer.compare(got[i]!, packets[i]!) !== 0) {
            problems.add('a delivered packet differs from the complete file', () => `${at}: packet ${i + 1}`);
            break;
          }
        }
        const between = cut > 0 && recs.some((r) => r.end === cut);
        if (between) {
          clean++;
          if (reader.error) problems.add('a cut between records reported an error', () => `${at}: ${reader.error!.message}`);
        } else {
          broken++;
          const broke = recs.find((r) => r.start <= cut && cut < r.end) ?? recs[0]!;
          if (!reader.error) problems.add('a cut inside a record reported no error', () => `${at}: inside the record at ${broke.start}`);
          else if (reader.error.offset !== (cut === 0 ? 0 : broke.start)) problems.add('error offset is not the start of the cut record', () => `${at}: error at ${reader.error!.offset} ("${reader.error!.message}"), the cut record starts at ${broke.start}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`capture files: ${files.length} files cut at ${cutsTotal} offsets (${clean} between records, ${broken} inside a header or record); ${delivered} packets delivered; ${problems.total} problems`);
  assert.equal(problems.total, 0, `cut capture files:\n${problems.report()}`);
});
