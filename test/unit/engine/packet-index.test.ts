// The index pass's fast scan must agree with the full dissection on what it records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PacketIndex } from '../../../electron/engine/packet-index.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { corpusAvailable, corpusDir, decodeFile } from '../../support/corpus.ts';
import { findFields } from '../../../decoders/core/fields.ts';
import { formatFieldValue } from '../../../decoders/core/format.ts';

function lastCell(d: Parameters<Parameters<typeof decodeFile>[1]>[0], abbrev: string): string {
  const all = findFields(d.tree, abbrev);
  const n = all[all.length - 1];
  return n ? formatFieldValue(n.def, n.value) : '';
}

test('index columns agree with the full dissection over the corpus', (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  let compared = 0;
  const diffs: string[] = [];
  for (const name of readdirSync(corpusDir).sort()) {
    const path = join(corpusDir, name);
    const index = new PacketIndex();
    const reader = new CaptureFileReader(path);
    for (let rec = reader.next(); rec; rec = reader.next()) index.add(rec);
    let i = 0;
    decodeFile(path, (d) => {
      const k = i++;
      // Compare plain packets: one network layer, not a fragment, fully captured.
      const ip4 = findFields(d.tree, 'ip.src');
      const ip6 = findFields(d.tree, 'ipv6.src');
      if (ip4.length + ip6.length !== 1 || d.malformed || index.scanFlags[k]! & 4) return;
      if (findFields(d.tree, 'icmp').length || findFields(d.tree, 'icmpv6').length) return;
      const src = lastCell(d, ip4.length ? 'ip.src' : 'ipv6.src');
      const dst = lastCell(d, ip4.length ? 'ip.dst' : 'ipv6.dst');
      const sport = lastCell(d, 'tcp.srcport') || lastCell(d, 'udp.srcport');
      const dport = lastCell(d, 'tcp.dstport') || lastCell(d, 'udp.dstport');
      const ports = index.l4[k] === 6 || index.l4[k] === 17;
      const got = [index.addresses.text(index.src[k]!), index.addresses.text(index.dst[k]!), ports ? String(index.srcPort[k]) : '', ports ? String(index.dstPort[k]) : ''];
      const want = [src, dst, sport, dport];
      compared++;
      if (got.join(' ') !== want.join(' ') && diffs.length < 20) diffs.push(`${name}#${k + 1}: index ${got.join(' ')} vs tree ${want.join(' ')}`);
    });
  }
  console.log(`index scan: ${compared} packets compared with the full dissection, ${diffs.length} differ`);
  assert.ok(compared > 10000, `only ${compared} packets had an IP layer to compare`);
  assert.deepEqual(diffs, []);
});

test('index: offsets past 4 GiB are kept exactly', () => {
  const index = new PacketIndex();
  const data = new Uint8Array(60);
  const big = 5 * 1024 ** 3 + 12345;
  index.add({ offset: big, caplen: 60, origlen: 60, tsSec: 1, tsNsec: 2, linkType: 1, interfaceId: 0, data, comment: undefined, comments: undefined, flags: 0, section: 0 });
  assert.equal(index.fileOffset[0], big);
  assert.ok(index.byteSize() / index.fileOffset.length < 64, 'under 64 bytes per packet slot');
});
