// Name resolution against tshark 4.0: Source / Destination / Info columns with -N m (MAC vendor
// names, tshark's default) and -N mt (plus port names), over the whole corpus. Goldens:
// fixtures/make-names-goldens.sh (only the packets whose columns tshark changes are stored).
// Packets whose unresolved columns already differ from tshark's (-n goldens) are left out:
// they are decoder differences, not name resolution.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRegistry, dissectFrame, Session } from '../../../decoders/index.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { etherName, NameResolver, parseNFlags, portName, shortVendor } from '../../../electron/engine/names.ts';
import { corpusAvailable, corpusDir, goldenFiles, repoRoot } from '../../support/corpus.ts';
import type { JsonPacket } from '../../../electron/engine/tree-json.ts';

test('vendor names are shortened as in Wireshark\'s manuf file', () => {
  assert.equal(shortVendor('GIGA-BYTE TECHNOLOGY CO.,LTD.'), 'Giga-Byt');
  assert.equal(shortVendor('NETGEAR'), 'Netgear');
  assert.equal(shortVendor('VMware, Inc.'), 'VMware');
  assert.equal(shortVendor('Cisco Systems, Inc'), 'Cisco');
  assert.equal(shortVendor('Hewlett Packard'), 'HewlettP');
  assert.equal(shortVendor('Apple, Inc.'), 'Apple');
});

test('MAC names: vendors, well-known group addresses, group bit, unknown addresses', () => {
  assert.equal(etherName('30:46:9a:23:fb:fa'), 'Netgear_23:fb:fa');
  assert.equal(etherName('ff:ff:ff:ff:ff:ff'), 'Broadcast');
  assert.equal(etherName('01:00:5e:00:00:fb'), 'IPv4mcast_fb');
  assert.equal(etherName('01:00:5e:7f:ff:fa'), 'IPv4mcast_7f:ff:fa');
  assert.equal(etherName('33:33:00:01:00:02'), 'IPv6mcast_01:00:02');
  assert.equal(etherName('01:80:c2:00:00:00'), 'Spanning-tree-(for-bridges)_00');
  assert.equal(etherName('01:80:c2:00:00:0e'), 'LLDP_Multicast');
  assert.equal(etherName('00:00:5e:00:01:02'), 'IETF-VRRP-VRID_02');
  assert.equal(etherName('00:00:00:00:00:00'), '00:00:00_00:00:00');
  assert.equal(etherName('01:00:01:00:00:00'), 'Xerox_00:00:00'); // group bit cleared for the vendor
  assert.equal(etherName('fa:16:3e:b6:dd:c1'), null);
  assert.equal(etherName('not a mac'), null);
});

test('port names: IANA names as Wireshark shows them', () => {
  assert.equal(portName('tcp', 80), 'http');
  assert.equal(portName('tcp', 443), 'https');
  assert.equal(portName('udp', 53), 'domain');
  assert.equal(portName('tcp', 2061), 'netmount');
  assert.equal(portName('tcp', 61541), null);
});

test('-N flags', () => {
  assert.deepEqual(parseNFlags('mt'), { mac: true, transport: true, network: false });
  assert.deepEqual(parseNFlags('n'), { mac: false, transport: false, network: true });
  assert.throws(() => parseNFlags('x'), /unknown name resolution flag 'x'/);
});

test('tree labels: Ethernet addresses and ports, as tshark -V with -N mt', () => {
  const p: JsonPacket = {
    frame: 1, protocols: 'eth:ethertype:ip:udp:dns', malformed: false, sources: [],
    columns: { source: '10.0.0.138', destination: '10.0.0.1', protocol: 'DNS', info: 'x' },
    tree: [
      { field: 'eth', label: 'Ethernet II, Src: 30:46:9a:23:fb:fa, Dst: 6c:f0:49:b2:de:6e', source: 0, offset: 0, length: 14, children: [
        { field: 'eth.dst', label: 'Destination: 6c:f0:49:b2:de:6e', value: '6c:f0:49:b2:de:6e', source: 0, offset: 0, length: 6 },
        { field: 'eth.src', label: 'Source: fa:16:3e:b6:dd:c1', value: 'fa:16:3e:b6:dd:c1', source: 0, offset: 6, length: 6 },
      ] },
      { field: 'udp', label: 'User Datagram Protocol, Src Port: 53, Dst Port: 58125', source: 0, offset: 34, length: 8, children: [
        { field: 'udp.srcport', label: 'Source Port: 53', value: '53', source: 0, offset: 34, length: 2 },
        { field: 'udp.dstport', label: 'Destination Port: 58125', value: '58125', source: 0, offset: 36, length: 2 },
      ] },
    ],
  };
  const r = new NameResolver({ mac: true, transport: true, network: false });
  r.packet(p, (f) => defaultRegistry().field(f)?.type === 'ether');
  assert.equal(p.tree[0]!.label, 'Ethernet II, Src: Netgear_23:fb:fa (30:46:9a:23:fb:fa), Dst: Giga-Byt_b2:de:6e (6c:f0:49:b2:de:6e)');
  assert.equal(p.tree[0]!.children![0]!.label, 'Destination: Giga-Byt_b2:de:6e (6c:f0:49:b2:de:6e)');
  assert.equal(p.tree[0]!.children![1]!.label, 'Source: fa:16:3e:b6:dd:c1'); // no name: unchanged
  assert.equal(p.tree[1]!.label, 'User Datagram Protocol, Src Port: domain (53), Dst Port: 58125 (58125)');
  assert.equal(p.tree[1]!.children![0]!.label, 'Source Port: domain (53)');
  assert.equal(p.tree[1]!.children![1]!.label, 'Destination Port: 58125 (58125)');
});

/** Columns per packet number from a golden (number, source, destination, [protocol,] info). */
function readGolden(path: string, withProtocol: boolean): Map<number, string> {
  const m = new Map<number, string>();
  if (!existsSync(path)) return m;
  for (const l of readFileSync(path, 'utf8').split('\n')) {
    if (!l) continue;
    const c = l.split('\t');
    m.set(Number(c[0]), [c[1], c[2], withProtocol ? c[4] : c[3]].join('\t'));
  }
  return m;
}

test('corpus: Source / Destination / Info with -N m and -N mt equal tshark', (t) => {
  const plainGoldens = goldenFiles('columns');
  if (!corpusAvailable || plainGoldens.length === 0 || !existsSync(join(repoRoot, 'fixtures/goldens/names'))) {
    t.skip(`corpus (${corpusDir}) or goldens not found`);
    return;
  }
  const registry = defaultRegistry();
  const sets = { m: new NameResolver(parseNFlags('m')), mt: new NameResolver(parseNFlags('mt')) };
  const stats = { m: { same: 0, resolved: 0, bad: [] as string[] }, mt: { same: 0, resolved: 0, bad: [] as string[] } };
  let skipped = 0;
  for (const { name } of plainGoldens) {
    const path = join(corpusDir, name);
    if (!existsSync(path)) continue;
    const plain = readGolden(join(repoRoot, 'fixtures/goldens/columns', `${name}.tsv`), true);
    const want = { m: readGolden(join(repoRoot, 'fixtures/goldens/names/m', `${name}.tsv`), false), mt: readGolden(join(repoRoot, 'fixtures/goldens/names/mt', `${name}.tsv`), false) };
    const reader = new CaptureFileReader(path);
    const session = new Session();
    let n = 0;
    for (let rec = reader.next(); rec; rec = reader.next()) {
      n++;
      const d = dissectFrame(registry, session, { number: n, linkType: rec.linkType, tsSec: rec.tsSec, tsNsec: rec.tsNsec, caplen: rec.caplen, origlen: rec.origlen, interfaceId: rec.interfaceId }, rec.data, { tree: false });
      const ours = [d.columns.source, d.columns.destination, d.columns.info].join('\t');
      if (ours !== plain.get(n)) {
        skipped++;
        continue;
      }
      for (const k of ['m', 'mt'] as const) {
        const c = sets[k].columns(d.columns, d.protocols);
        const got = [c.source, c.destination, c.info].join('\t');
        const expected = want[k].get(n) ?? ours;
        if (want[k].has(n)) stats[k].resolved++;
        if (got === expected) stats[k].same++;
        else if (stats[k].bad.length < 400) stats[k].bad.push(`${name} #${n}: got ${JSON.stringify(got)} want ${JSON.stringify(expected)}`);
      }
    }
  }
  for (const k of ['m', 'mt'] as const) {
    const s = stats[k];
    const total = s.same + s.bad.length;
    console.log(`# names -N ${k}: ${s.same} of ${total} packets' Source/Destination/Info identical to tshark (${s.resolved} with names); ${skipped} packets left out (their -n columns differ)`);
    for (const b of s.bad.slice(0, Number(process.env.NAMES_SHOW ?? 8))) console.log(`#   e.g. ${b}`);
  }
  // The only differences allowed come from a newer IEEE registry than tshark 4.0's manuf file
  // (vendors renamed since: "Compex" for tshark's "CompexUs", "PCSSyste" for "PcsCompu"): 3 packets.
  for (const k of ['m', 'mt'] as const) {
    const s = stats[k];
    assert.ok(s.bad.length <= 10, `-N ${k}: ${s.bad.length} differences`);
    for (const b of s.bad) assert.doesNotMatch(b, /→ \w+\(\d+\).*want|Port: \w+ \(/, `port name difference: ${b}`);
  }
});
