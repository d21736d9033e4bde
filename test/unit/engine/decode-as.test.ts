// Decode As in the engine: a rule makes an HTTP request on TCP port 5555 decode as HTTP (tree,
// Protocol and Info columns, display filters) for that engine only; the index (streams) is
// unchanged; the shared registry and other engines are untouched. Also the rule parser and the
// preferences file the UI's rules are kept in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureEngine } from '../../../electron/engine/engine.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { PcapWriter } from '../../../decoders/formats/pcap-writer.ts';
import { defaultRegistry, dissectFrame, Session } from '../../../decoders/index.ts';
import { checkRule, decodeAsChoices, DecodeAsError, parseDecodeAsArg, registryWithDecodeAs } from '../../../electron/engine/decode-as.ts';
import { PreferencesStore, defaultPreferencesPath } from '../../../electron/preferences.ts';
import { Session as UiSession } from '../../../electron/ipc/handlers.ts';
import { corpusAvailable, corpusDir } from '../../support/corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'pktscope-decode-as-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/**
 * The HTTP GET of Tutorials_Tutorial-PacketParsing_1_http_packet.pcap, its server port 80 changed
 * to 5555 and its version to "HTTP/2.1": the HTTP heuristic (a first line ending in HTTP/1.x)
 * no longer takes it, so only a Decode As rule makes it HTTP.
 */
function httpOn5555(): Uint8Array | null {
  if (!corpusAvailable) return null;
  const rec = new CaptureFileReader(join(corpusDir, 'Tutorials_Tutorial-PacketParsing_1_http_packet.pcap')).next();
  if (!rec) return null;
  const b = Uint8Array.from(rec.data);
  assert.equal((b[0x24]! << 8) | b[0x25]!, 80);
  b[0x24] = 5555 >> 8;
  b[0x25] = 5555 & 0xff;
  assert.equal(String.fromCharCode(...b.subarray(0x6e, 0x76)), 'HTTP/1.1');
  b[0x73] = 0x32;
  return b;
}

const frame = (data: Uint8Array) => ({ number: 1, linkType: 1, tsSec: 0, tsNsec: 0, caplen: data.length, origlen: data.length, interfaceId: 0 });

test('a packet on TCP port 5555 is TCP data by default and HTTP with tcp.port==5555,http', { skip: !corpusAvailable && 'corpus not available' }, () => {
  const data = httpOn5555()!;
  const plain = dissectFrame(defaultRegistry(), new Session(), frame(data), data);
  assert.equal(plain.protocols.join(':'), 'eth:ethertype:ip:tcp:data');
  assert.equal(plain.columns.protocol, 'TCP');

  const reg = registryWithDecodeAs(defaultRegistry(), parseDecodeAsArg(defaultRegistry(), 'tcp.port==5555,http'));
  const d = dissectFrame(reg, new Session(), frame(data), data);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ip:tcp:http');
  assert.equal(d.columns.protocol, 'HTTP');
  assert.match(d.columns.info, /^GET \/serv\?s=19190039&t=1361916157&f=us-p9h3 HTTP\/2\.1/);
  const http = d.tree.find((n) => n.def.abbrev === 'http')!;
  assert.equal(http.offset, 0x42);
  assert.equal(http.length, data.length - 0x42);
  // The view shares fields; the shared registry still says nobody handles 5555.
  assert.equal(reg.field('http.request.method'), defaultRegistry().field('http.request.method'));
  assert.equal(defaultRegistry().lookup('tcp.port', 5555), undefined);
  assert.equal(reg.lookup('tcp.port', 5555)?.abbrev, 'http');
  assert.equal(reg.lookup('tcp.port', 80)?.abbrev, 'http');
});

test('engine.setDecodeAs: rows, trees and filters follow the rules; streams stay; other engines are untouched', { skip: !corpusAvailable && 'corpus not available' }, async () => {
  const data = httpOn5555()!;
  const path = join(dir, 'http5555.pcap');
  writeFileSync(path, PcapWriter.file({ linkType: 1 }, [{ tsSec: 1, tsNsec: 0, data }]));
  const e = CaptureEngine.open([path]);
  const other = CaptureEngine.open([path]);
  await Promise.all([e.indexed, other.indexed]);
  const stream = e.index.stream[0];
  assert.equal(e.row(0).protocol, 'TCP');
  const count = async (eng: CaptureEngine, expr: string) => (await eng.setFilter(expr).done).matched;
  assert.equal(await count(e, 'http'), 0);
  assert.equal(await count(e, 'tcp.port == 5555'), 1);

  e.setDecodeAs([{ table: 'tcp.port', value: 5555, protocol: 'http' }]);
  assert.equal(e.row(0).protocol, 'HTTP');
  assert.match(e.row(0).info, /^GET \/serv/);
  assert.ok(e.packet(1).tree.some((n) => n.field === 'http'));
  assert.equal(await count(e, 'http'), 1);
  assert.equal(await count(e, 'http.request.method == "GET" && tcp.port == 5555'), 1);
  assert.equal(await count(e, 'tcp && !http'), 0);
  assert.equal(e.index.stream[0], stream);
  assert.deepEqual(e.decodeAs, [{ table: 'tcp.port', value: 5555, protocol: 'http' }]);
  // The other engine (another window or client) keeps the registered tables.
  assert.equal(other.row(0).protocol, 'TCP');
  assert.equal(await count(other, 'http'), 0);

  e.setDecodeAs([]);
  assert.equal(e.row(0).protocol, 'TCP');
  assert.equal(await count(e, 'http'), 0);
  assert.throws(() => e.setDecodeAs([{ table: 'tcp.port', value: 1, protocol: 'nosuch' }]), DecodeAsError);
  e.close();
  other.close();
});

test('engine name resolution: rows and trees get names, -n style without', { skip: !corpusAvailable && 'corpus not available' }, async () => {
  const e = CaptureEngine.open([join(corpusDir, 'ArpRequestPacket.pcap')]);
  await e.indexed;
  assert.equal(e.row(0).source, '6c:f0:49:b2:de:6e');
  e.setNameResolution({ mac: true, transport: true, network: false });
  assert.equal(e.row(0).source, 'Giga-Byt_b2:de:6e');
  assert.equal(e.row(0).destination, 'Broadcast');
  const eth = e.packet(1).tree.find((n) => n.field === 'eth')!;
  assert.equal(eth.label, 'Ethernet II, Src: Giga-Byt_b2:de:6e (6c:f0:49:b2:de:6e), Dst: Broadcast (ff:ff:ff:ff:ff:ff)');
  e.close();
});

test('-d parser: selectors, ranges, choices per table', () => {
  const reg = defaultRegistry();
  assert.deepEqual(parseDecodeAsArg(reg, 'udp.port==8472,vxlan'), [{ table: 'udp.port', value: 8472, protocol: 'vxlan' }]);
  assert.deepEqual(parseDecodeAsArg(reg, 'ethertype==0x88b5,data'), [{ table: 'ethertype', value: 0x88b5, protocol: 'data' }]);
  assert.equal(parseDecodeAsArg(reg, 'tcp.port==8000-8009,http').length, 10);
  assert.deepEqual(parseDecodeAsArg(reg, 'tcp.port==8000:2,http').map((r) => r.value), [8000, 8001]);
  assert.ok(decodeAsChoices(reg, 'udp.port').some((m) => m.abbrev === 'geneve'));
  assert.ok(decodeAsChoices(reg, 'tcp.port').some((m) => m.abbrev === 'http'));
  assert.ok(!decodeAsChoices(reg, 'udp.port').some((m) => m.abbrev === 'http'));
  assert.throws(() => checkRule(reg, { table: 'ip.proto', value: 256, protocol: 'data' }), /Invalid selector number "256"/);
  assert.throws(() => parseDecodeAsArg(reg, 'tcp.port==9-1,http'), /Invalid selector numeric range "9-1"/);
});

test('preferences: Decode As rules and name resolution persist in preferences.json; bad content is ignored', async () => {
  const path = join(dir, 'cfg', 'preferences.json');
  assert.equal(defaultPreferencesPath({ PKTSCOPE_CONFIG_DIR: '/x' }), '/x/preferences.json');
  assert.equal(defaultPreferencesPath({ XDG_CONFIG_HOME: '/c' }), '/c/pktscope/preferences.json');
  const events: string[] = [];
  const s = new UiSession((ev) => events.push(ev), new PreferencesStore(path));
  const st = await s.handlers.setDecodeAs({ rules: [{ table: 'udp.port', value: 5555, protocol: 'vxlan' }] });
  assert.deepEqual(st.rules, [{ table: 'udp.port', value: 5555, protocol: 'vxlan' }]);
  assert.ok(st.tables.find((t) => t.table === 'udp.port')!.protocols.some((p) => p.abbrev === 'geneve'));
  await assert.rejects(async () => s.handlers.setDecodeAs({ rules: [{ table: 'udp.port', value: 1, protocol: 'http' }] }), /isn't valid for layer type "udp.port"/);
  assert.deepEqual((await s.handlers.getNameResolution(null)), { mac: true, transport: true, network: false });
  await s.handlers.setNameResolution({ mac: false, transport: true, network: false });
  const saved = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  assert.deepEqual(saved, { decodeAs: [{ table: 'udp.port', value: 5555, protocol: 'vxlan' }], nameResolution: { mac: false, transport: true, network: false } });
  // A new session (app restart) starts from the file.
  const again = new UiSession(() => {}, new PreferencesStore(path));
  assert.deepEqual((await again.handlers.getDecodeAs(null)).rules, [{ table: 'udp.port', value: 5555, protocol: 'vxlan' }]);
  writeFileSync(path, '{"decodeAs": [{"table": 1}, {"table": "tcp.port", "value": 81, "protocol": "http"}], "nameResolution": "x"}');
  assert.deepEqual(new PreferencesStore(path).load(), { decodeAs: [{ table: 'tcp.port', value: 81, protocol: 'http' }], nameResolution: { mac: true, transport: true, network: false } });
  writeFileSync(path, 'not json');
  assert.deepEqual(new PreferencesStore(path).load().decodeAs, []);
  s.close();
  again.close();
});
