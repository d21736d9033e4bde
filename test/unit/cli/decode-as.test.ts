// `pktscope -d TABLE==VALUE,PROTO` (tshark's Decode As option) and the name resolution options
// -n / -N: summary lines equal `tshark -n -r F -d ...` for the cases of
// fixtures/decode-as-cases.txt (goldens from fixtures/make-decode-as-goldens.sh); bad -d
// arguments print tshark's messages and the valid choices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../electron/cli.ts';
import { corpusAvailable, corpusDir, repoRoot } from '../../support/corpus.ts';

function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { write: (s) => (out += s), error: (s) => (err += s + '\n') }) as number;
  return { code, out, err };
}

const cases = readFileSync(join(repoRoot, 'fixtures/decode-as-cases.txt'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [file, opts] = l.split('\t') as [string, string];
    return { file, opts: opts.split(' ') };
  });

test('corpus: `pktscope -n -r F -d ...` prints what `tshark -n -r F -d ...` prints', { skip: !corpusAvailable && 'corpus not available' }, () => {
  let same = 0;
  cases.forEach(({ file, opts }, k) => {
    const golden = join(repoRoot, 'fixtures/goldens/decode-as', `${k + 1}.txt`);
    if (!existsSync(golden)) return;
    const r = cli('-n', '-r', join(corpusDir, file), ...opts);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, readFileSync(golden, 'utf8'), `${file} ${opts.join(' ')}`);
    // The rule made a difference: without it the output is not the same.
    assert.notEqual(cli('-n', '-r', join(corpusDir, file)).out, r.out, `${file}: ${opts.join(' ')} changes nothing`);
    same++;
  });
  console.log(`# decode-as: ${same} of ${cases.length} tshark -d outputs identical`);
  assert.equal(same, cases.length);
});

test('-d ranges and later rules: udp.port==50-60 and a later -d for the same key wins', { skip: !corpusAvailable && 'corpus not available' }, () => {
  const dns = join(corpusDir, 'Dns.pcap');
  const range = cli('-n', '-r', dns, '-c', '1', '-d', 'udp.port==50-60,data');
  assert.match(range.out, /UDP 407 53 → 58125 Len=365/);
  const count = cli('-n', '-r', dns, '-c', '1', '-d', 'udp.port==50:10,data');
  assert.equal(count.out, range.out);
  const later = cli('-n', '-r', dns, '-c', '1', '-d', 'udp.port==53,data', '-d', 'udp.port==53,dns');
  assert.match(later.out, /DNS 407 Standard query response/);
});

test('bad -d arguments: tshark\'s messages, the valid choices, exit code 2', () => {
  const proto = cli('-r', 'x.pcap', '-d', 'udp.port==53,foo');
  assert.equal(proto.code, 2);
  assert.equal(proto.out, '');
  const lines = proto.err.split('\n');
  assert.equal(lines[0], 'pktscope: Unknown protocol -- "foo"');
  assert.equal(lines[1], 'pktscope: Valid protocols for layer type "udp.port" are:');
  assert.ok(lines.includes('\tvxlan (Virtual eXtensible Local Area Network)'), proto.err);
  assert.ok(lines.includes('\tgeneve (Generic Network Virtualization Encapsulation)'));
  assert.ok(lines.includes('\tdata (Data)'));

  const table = cli('-r', 'x.pcap', '-d', 'udp.prt==53,dns');
  assert.match(table.err, /^pktscope: Unknown layer type -- udp\.prt\npktscope: Valid layer types are:\n/);
  assert.match(table.err, /\n\tudp\.port \(UDP port\)\n/);
  assert.match(table.err, /\n\ttcp\.port \(TCP port\)\n/);

  assert.match(cli('-r', 'x.pcap', '-d', 'udp.port==53,http').err, /^pktscope: Protocol "http" isn't valid for layer type "udp\.port"\n/);
  assert.match(cli('-r', 'x.pcap', '-d', 'udp.port==5x,dns').err, /^pktscope: Invalid selector number "5x"\n$/);
  assert.match(cli('-r', 'x.pcap', '-d', 'udp.port==70000,dns').err, /Invalid selector numeric range "70000"/);
  assert.match(cli('-r', 'x.pcap', '-d', 'udp.port').err, /doesn't follow the template "<layer_type>==<selector>,<decode_as_protocol>"/);
  assert.match(cli('-r', 'x.pcap', '-d').err, /option -d needs a value/);
});

test('name resolution: tshark\'s default (MAC names), -n none, -N mt adds port names', { skip: !corpusAvailable && 'corpus not available' }, () => {
  const arp = join(corpusDir, 'ArpRequestPacket.pcap');
  assert.match(cli('-r', arp).out, /Giga-Byt_b2:de:6e → Broadcast {4}ARP/);
  assert.match(cli('-n', '-r', arp).out, /6c:f0:49:b2:de:6e → ff:ff:ff:ff:ff:ff ARP/);
  const tcp = join(corpusDir, 'one_tcp_stream.pcap');
  assert.match(cli('-r', tcp, '-c', '1').out, /61541 → 80 \[SYN\]/);
  assert.match(cli('-N', 'mt', '-r', tcp, '-c', '1').out, /61541 → http\(80\) \[SYN\]/);
  assert.match(cli('-N', 'x', '-r', tcp).err, /unknown name resolution flag 'x'/);
  // -T fields values are never names.
  assert.equal(cli('-N', 'mt', '-r', arp, '-T', 'fields', '-e', 'eth.src').out, '6c:f0:49:b2:de:6e\n');
  // -T json labels carry the names, as the UI's tree.
  const json = JSON.parse(cli('-N', 'mt', '-r', tcp, '-c', '1', '-T', 'json').out) as { tree: { field: string; label: string; children?: { field: string; label: string }[] }[] }[];
  const tcpNode = json[0]!.tree.find((n) => n.field === 'tcp')!;
  assert.match(tcpNode.label, /Src Port: 61541 \(61541\), Dst Port: http \(80\)/);
  assert.equal(tcpNode.children!.find((n) => n.field === 'tcp.dstport')!.label, 'Destination Port: http (80)');
});
