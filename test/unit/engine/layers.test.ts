// The Layers view's encapsulation stack (electron/engine/layers.ts) on corpus tunnel captures.
// Offsets and lengths are the protocol header ranges tshark 4.0 reports (`tshark -T pdml`:
// <proto pos= size=>, the same as -V -x highlights), except where tshark's protocol item also
// covers its undissected payload (ICMP echo data): there the payload is a band of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CaptureEngine } from '../../../electron/engine/engine.ts';
import { packetLayers, type Layer } from '../../../electron/engine/layers.ts';
import type { JsonNode } from '../../../electron/engine/tree-json.ts';
import { corpusAvailable, corpusDir } from '../../support/corpus.ts';

async function layersOf(file: string, number: number): Promise<Layer[]> {
  const e = CaptureEngine.open([join(corpusDir, file)]);
  try {
    await e.indexed;
    return packetLayers(e.packet(number).tree);
  } finally {
    e.close();
  }
}

/** [abbrev, offset, length, depth] of each layer. */
const stack = (ls: Layer[]) => ls.map((l) => [l.abbrev, l.offset, l.length, l.depth]);
const fieldsOf = (ls: Layer[], k: number) => Object.fromEntries(ls[k]!.fields.map((f) => [f.field, f.value]));

test('VXLAN: outer Ethernet / IPv4 / UDP / VXLAN / inner Ethernet / IPv4 / ICMP / data', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const ls = await layersOf('Vxlan1.pcap', 1);
  // tshark pdml: eth 0/14, ip 14/20, udp 34/8, vxlan 42/8, eth 50/14, ip 64/20, icmp 84/64 (with its 48 data bytes)
  assert.deepEqual(stack(ls), [
    ['eth', 0, 14, 0], ['ip', 14, 20, 0], ['udp', 34, 8, 0], ['vxlan', 42, 8, 0],
    ['eth', 50, 14, 1], ['ip', 64, 20, 1], ['icmp', 84, 16, 1], ['data', 100, 48, 1],
  ]);
  assert.deepEqual(ls.map((l) => l.kind), ['link', 'network', 'transport', 'tunnel', 'link', 'network', 'transport', 'data']);
  assert.deepEqual(fieldsOf(ls, 3), { 'vxlan.vni': '3000001' });
  assert.deepEqual(fieldsOf(ls, 1), { 'ip.src': '192.168.203.1', 'ip.dst': '192.168.202.1', 'ip.proto': '17', 'ip.ttl': '64' });
  assert.equal(fieldsOf(ls, 5)['ip.src'], '192.168.203.3');
  assert.deepEqual(fieldsOf(ls, 2), { 'udp.srcport': '45149', 'udp.dstport': '4789', 'udp.length': '114' });
  assert.equal(fieldsOf(ls, 4)['eth.src'], '00:16:3e:37:f6:04');
  assert.equal(ls[0]!.name, 'Ethernet');
  assert.equal(ls[3]!.name, 'VXLAN');
  assert.equal(ls[0]!.path, '1');
});

test('GRE: nested GRE over IPv4 twice, and Ethernet over GRE with a key', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const a = await layersOf('GrePackets.pcap', 5);
  assert.deepEqual(stack(a), [
    ['eth', 0, 14, 0], ['ip', 14, 20, 0], ['gre', 34, 4, 0], ['ip', 38, 20, 1], ['gre', 58, 4, 1], ['ip', 62, 20, 2], ['udp', 82, 8, 2], ['rip', 90, 24, 2],
  ]);
  assert.equal(fieldsOf(a, 2)['gre.proto'], '0x0800');
  const b = await layersOf('GrePackets.pcap', 7);
  // tshark pdml: eth 0/14, ip 14/20, gre 34/8, eth 42/14, ip 56/20, tcp 76/20
  assert.deepEqual(stack(b), [['eth', 0, 14, 0], ['ip', 14, 20, 0], ['gre', 34, 8, 0], ['eth', 42, 14, 1], ['ip', 56, 20, 1], ['tcp', 76, 20, 1]]);
  assert.deepEqual(fieldsOf(b, 2), { 'gre.proto': '0x6558', 'gre.key': '0x0000fde8' });
  assert.equal(fieldsOf(b, 5)['tcp.flags'], 'SYN');
});

test('IP-in-IP (IPv6 in IPv4) is one tunnel level without a tunnel header', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const ls = await layersOf('IPv4-encapsulated-IPv6.pcap', 1);
  // tshark pdml: eth 0/14, ip 14/20, ipv6 34/40, tcp 74/20, ftp 94/30
  assert.deepEqual(stack(ls), [['eth', 0, 14, 0], ['ip', 14, 20, 0], ['ipv6', 34, 40, 1], ['tcp', 74, 20, 1], ['ftp', 94, 30, 1]]);
  assert.equal(fieldsOf(ls, 2)['ipv6.src'], '2001:638:902:1:201:2ff:fee2:7596');
  assert.equal(fieldsOf(ls, 1)['ip.proto'], '41');
});

test('MPLS: two VLAN tags and a label; a label stack with a pseudowire control word', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const a = await layersOf('MplsPackets.pcap', 1);
  // tshark pdml: eth 0/14, vlan 14/4, vlan 18/4, mpls 22/4, ip 26/20, tcp 46/20, http 66/295
  assert.deepEqual(stack(a), [['eth', 0, 14, 0], ['vlan', 14, 4, 0], ['vlan', 18, 4, 0], ['mpls', 22, 4, 0], ['ip', 26, 20, 0], ['tcp', 46, 20, 0], ['http', 66, 295, 0]]);
  assert.equal(fieldsOf(a, 1)['vlan.id'], '215');
  assert.equal(fieldsOf(a, 2)['vlan.id'], '11');
  assert.equal(fieldsOf(a, 3)['mpls.label'], '16000');
  assert.equal(fieldsOf(a, 6)['http.request.method'], 'GET');
  assert.equal(fieldsOf(a, 5)['tcp.flags'], 'PSH, ACK');
  const b = await layersOf('MplsPackets.pcap', 2);
  assert.deepEqual(stack(b).slice(0, 4), [['eth', 0, 14, 0], ['mpls', 14, 8, 0], ['pwethcw', 22, 4, 0], ['eth', 26, 14, 1]]);
  assert.deepEqual(b[1]!.fields.filter((f) => f.field === 'mpls.label').map((f) => f.value), ['18', '16']);
});

test('VLAN: two 802.1Q tags', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const ls = await layersOf('VlanPackets.pcap', 1);
  // tshark pdml: eth 0/14, vlan 14/4, vlan 18/4, ip 22/20, icmp 42/80 (with its data)
  assert.deepEqual(stack(ls).slice(0, 5), [['eth', 0, 14, 0], ['vlan', 14, 4, 0], ['vlan', 18, 4, 0], ['ip', 22, 20, 0], ['icmp', 42, 8, 0]]);
  assert.deepEqual(stack(ls)[5], ['data', 50, 72, 0]);
  assert.deepEqual([fieldsOf(ls, 1)['vlan.id'], fieldsOf(ls, 2)['vlan.id']], ['118', '10']);
});

test('Linux SLL: cooked header, IPv6, TCP with options, HTTP cut by the snaplen', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const ls = await layersOf('SllPacket.pcap', 1);
  // tshark pdml: sll 0/16, ipv6 16/40, tcp 56/32, http 88/40 (the _ws.short marker is no layer)
  assert.deepEqual(stack(ls), [['sll', 0, 16, 0], ['ipv6', 16, 40, 0], ['tcp', 56, 32, 0], ['http', 88, 40, 0]]);
  assert.equal(fieldsOf(ls, 0)['sll.src.eth'], '00:12:44:1e:74:00');
  assert.equal(fieldsOf(ls, 0)['sll.etype'], '0x86dd');
});

test('Ethernet padding and trailers are bands after the payload', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const ls = await layersOf('one_tcp_stream.pcap', 3);
  // tshark pdml: eth 0/14, ip 14/20, tcp 34/20, eth.padding 54/6
  assert.deepEqual(stack(ls), [['eth', 0, 14, 0], ['ip', 14, 20, 0], ['tcp', 34, 20, 0], ['eth.padding', 54, 6, 0]]);
  assert.equal(ls[3]!.kind, 'trailer');
  assert.equal(ls[3]!.name, 'Padding');
  assert.equal(ls[3]!.path, '1.' + ls[3]!.path.split('.')[1]);
  const tr = await layersOf('packet_trailer.pcap', 1);
  assert.deepEqual(stack(tr).at(-1), ['eth.trailer', 460, 4, 0]);
});

test('every packet of the tunnel captures: layers lie inside the frame, in order, without overlap', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  let packets = 0;
  for (const file of ['Vxlan1.pcap', 'Vxlan2.pcap', 'GrePackets.pcap', 'MplsPackets.pcap', 'VlanPackets.pcap', 'SllPacket.pcap', 'sll2.pcap', 'gtp-u.pcap', 'IPv4-encapsulated-IPv6.pcap', 'QinQ_802.1_AD.pcapng']) {
    const e = CaptureEngine.open([join(corpusDir, file)]);
    await e.indexed;
    for (let n = 1; n <= Math.min(e.count, 40); n++) {
      const p = e.packet(n);
      const ls = packetLayers(p.tree).filter((l) => l.source === 0);
      const size = p.sources[0]!.length;
      let end = 0;
      for (const l of ls) {
        assert.ok(l.offset >= end, `${file}#${n} ${l.abbrev} at ${l.offset} overlaps the previous layer (ends ${end})`);
        assert.ok(l.offset + l.length <= size, `${file}#${n} ${l.abbrev} ends past the frame`);
        end = l.offset + l.length;
      }
      packets++;
    }
    e.close();
  }
  assert.ok(packets > 50);
});

test('IPv6 extension headers are network headers of their packet, not a tunnel', async (t) => {
  if (!corpusAvailable) return t.skip(`corpus not found at ${corpusDir}`);
  const ls = await layersOf('ipv6_options.pcap', 1);
  // tshark pdml: ipv6 14/104 = the fixed 40-byte header and its extension headers hopopts 54/8, dstopts 62/8, routing 70/24
  // (bands of their own here); ah 94/24; ospf 118/40
  assert.deepEqual(stack(ls), [['eth', 0, 14, 0], ['ipv6', 14, 40, 0], ['ipv6.hopopts', 54, 8, 0], ['ipv6.dstopts', 62, 8, 0], ['ipv6.routing', 70, 24, 0], ['ah', 94, 24, 0], ['ospf', 118, 40, 0]]);
  assert.deepEqual(ls.slice(1, 6).map((l) => l.kind), ['network', 'network', 'network', 'network', 'network']);
  assert.equal(ls[2]!.name, 'IPv6 Hop-by-Hop');
});

test('hostile or empty trees give no layers or bounded ones', () => {
  assert.deepEqual(packetLayers([]), []);
  const node = (field: string, offset: number, length: number, children?: JsonNode[]): JsonNode => ({ field, label: field, source: 0, offset, length, ...(children ? { children } : {}) });
  // A truncated IPv4 node (the capture ends inside the header) and a next layer starting before its start.
  const ls = packetLayers([node('frame', 0, 30), node('eth', 0, 30), node('ip', 14, 16, [{ ...node('ip.src', 26, 4), value: '10.0.0.1', truncated: true }]), node('udp', 5, 3), node('_ws.malformed', 30, 0)]);
  assert.deepEqual(stack(ls), [['eth', 0, 14, 0], ['ip', 14, 16, 0], ['udp', 5, 3, 0]]);
  assert.equal(fieldsOf(ls, 1)['ip.src'], '10.0.0.1');
});
