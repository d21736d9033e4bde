// udp.stream numbering of the index pass against tshark 4.0 (fixtures/goldens/udp, made by
// fixtures/make-udp-goldens.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PacketIndex } from '../../../electron/engine/packet-index.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { L4 } from '../../../decoders/fast/scan.ts';
import { corpusAvailable, corpusDir, repoRoot } from '../../support/corpus.ts';

/** Known differences, each with its reason. */
const KNOWN: Record<string, string> = {
  'tcp-reassembly.pcap#66': 'sFlow flow samples carry sampled packet headers (one with UDP) that pktscope does not decode',
};

test('udp.stream agrees with tshark over the corpus', (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const dir = join(repoRoot, 'fixtures/goldens/udp');
  let packets = 0;
  let same = 0;
  let tunnelled = 0;
  let known = 0;
  const diffs: string[] = [];
  for (const g of readdirSync(dir).sort()) {
    const name = g.replace(/\.txt$/, '');
    const index = new PacketIndex();
    const reader = new CaptureFileReader(join(corpusDir, name));
    for (let rec = reader.next(); rec; rec = reader.next()) index.add(rec);
    for (const line of readFileSync(join(dir, g), 'utf8').split('\n')) {
      if (!line) continue;
      const [frameText, streams = ''] = line.split('|');
      const k = Number(frameText) - 1;
      packets++;
      // tshark lists every UDP level, outer first: a tunnel's outer UDP (or the datagram an ICMP
      // error quotes) is the index's extra stream, the innermost UDP its stream.
      if (streams.includes(',')) tunnelled++;
      const ours: number[] = [];
      const extra = index.tunnels.extraUdpStreamOf(k);
      if (extra >= 0) ours.push(extra);
      if (index.l4[k] === L4.UDP) ours.push(index.stream[k]!);
      if (ours.join(',') === streams) same++;
      else if (KNOWN[`${name}#${k + 1}`]) known++;
      else if (diffs.length < 30) diffs.push(`${name}#${k + 1}: udp.stream tshark=${streams} ours=${ours.join(',')}`);
    }
  }
  console.log(`udp.stream: ${packets} UDP packets (${tunnelled} with two UDP levels), identical for ${same}, known differences ${known}`);
  for (const [k, why] of Object.entries(KNOWN)) console.log(`  known: ${k}: ${why}`);
  for (const d of diffs) console.log('  ' + d);
  assert.equal(same + known, packets, 'udp.stream numbering differs from tshark');
});
