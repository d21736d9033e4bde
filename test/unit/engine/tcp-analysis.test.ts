// TCP analysis of the index pass against tshark 4.0 (fixtures/goldens/tcp, made by
// fixtures/make-tcp-goldens.sh): tcp.stream numbers and the tcp.analysis.* verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PacketIndex } from '../../../electron/engine/packet-index.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { A } from '../../../decoders/streams/tcp-analysis.ts';
import { corpusAvailable, corpusDir, repoRoot } from '../../support/corpus.ts';

/** tshark's expert message for each verdict. */
const messages: [string, number][] = [
  ['This frame is a (suspected) retransmission', A.RETRANSMISSION],
  ['This frame is a (suspected) fast retransmission', A.FAST_RETRANSMISSION],
  ['This frame is a (suspected) spurious retransmission', A.SPURIOUS_RETRANSMISSION],
  ['This frame is a (suspected) out-of-order segment', A.OUT_OF_ORDER],
  ['Previous segment(s) not captured (common at capture start)', A.LOST_PACKET],
  ["ACKed segment that wasn't captured (common at capture start)", A.ACK_LOST_PACKET],
  ['Duplicate ACK (#', A.DUPLICATE_ACK],
  ['TCP Zero Window segment', A.ZERO_WINDOW],
  ['TCP Zero Window Probe', A.ZERO_WINDOW_PROBE],
  ['TCP Zero Window Probe Ack', A.ZERO_WINDOW_PROBE_ACK],
  ['TCP window update', A.WINDOW_UPDATE],
  ["TCP window specified by the receiver is now completely full", A.WINDOW_FULL],
  ['TCP keep-alive segment', A.KEEP_ALIVE],
  ['ACK to a TCP keep-alive segment', A.KEEP_ALIVE_ACK],
  ['A new tcp session is started with the same ports as an earlier session in this trace', A.REUSED_PORTS],
];

function expectedFlags(expert: string): number {
  let f = 0;
  for (const [m, bit] of messages) {
    // Zero Window Probe is a prefix of Zero Window Probe Ack: match whole messages.
    const parts = expert.split(',');
    if (m.endsWith('(#') ? parts.some((p) => p.startsWith(m)) : parts.includes(m)) f |= bit;
  }
  // tshark adds the plain retransmission message to fast and spurious ones too.
  if (f & (A.FAST_RETRANSMISSION | A.SPURIOUS_RETRANSMISSION)) f &= ~A.RETRANSMISSION;
  return f;
}

function names(bits: number): string {
  return messages.filter(([, b]) => bits & b).map(([m]) => m.replace('This frame is a (suspected) ', '').slice(0, 30)).join(' + ') || 'none';
}

test('tcp.stream and tcp.analysis.* agree with tshark over the corpus', (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const dir = join(repoRoot, 'fixtures/goldens/tcp');
  let packets = 0;
  let streamSame = 0;
  let flagSame = 0;
  let flagged = 0;
  const diffs: string[] = [];
  for (const g of readdirSync(dir).sort()) {
    const name = g.replace(/\.txt$/, '');
    const index = new PacketIndex();
    const reader = new CaptureFileReader(join(corpusDir, name));
    for (let rec = reader.next(); rec; rec = reader.next()) index.add(rec);
    for (const line of readFileSync(join(dir, g), 'utf8').split('\n')) {
      if (!line) continue;
      const cols = line.split('|');
      const frame = Number(cols[0]);
      if (cols[1] === '' || cols[1]!.includes(',')) continue; // tunnelled TCP-in-TCP: not indexed yet
      const k = frame - 1;
      packets++;
      const want = expectedFlags(cols[11] ?? '');
      const got = index.analysis[k]!;
      if (want) flagged++;
      if (Number(cols[1]) === index.stream[k]) streamSame++;
      else if (diffs.length < 30) diffs.push(`${name}#${frame}: tcp.stream tshark=${cols[1]} ours=${index.stream[k]}`);
      if (want === got) flagSame++;
      else if (diffs.length < 30) diffs.push(`${name}#${frame}: tshark=${names(want)} ours=${names(got)}`);
    }
  }
  console.log(`tcp analysis: ${packets} TCP packets, tcp.stream identical for ${streamSame}, verdicts identical for ${flagSame} (${flagged} packets flagged by tshark)`);
  for (const d of diffs) console.log('  ' + d);
  assert.equal(streamSame, packets, 'tcp.stream numbering differs from tshark');
  assert.equal(flagSame, packets, 'tcp.analysis verdicts differ from tshark');
});
