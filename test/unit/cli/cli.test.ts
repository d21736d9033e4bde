// The `pktscope` command as users run it (`node electron/bin/pktscope.mjs`, the bundle that
// test/run-all.mjs builds first): output per packet over the whole corpus, exit codes, error
// lines, -c, -E, -T json and merging several -r files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { PcapWriter, concatBytes } from '../../../decoders/formats/pcap-writer.ts';
import { PcapngWriter } from '../../../decoders/formats/pcapng-writer.ts';
import { repoRoot, corpusAvailable, corpusDir, goldenFiles } from '../../support/corpus.ts';

const bin = join(repoRoot, 'electron/bin/pktscope.mjs');
const dir = mkdtempSync(join(tmpdir(), 'pktscope-cli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function pktscope(...args: string[]): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function pktscopeAsync(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...args]);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

const lines = (s: string): string[] => s.split('\n').filter((l) => l.length > 0);

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

// An ARP request (ArpRequestPacket.pcap): a frame every decoder set understands.
const arp = Uint8Array.from(Buffer.from('ffffffffffff001e8cb2de6e08060001080006040001001e8cb2de6e0a000001000000000000' + '0a00008a' + '00'.repeat(18), 'hex'));
const five = Array.from({ length: 5 }, (_, i) => ({ tsSec: 1_700_000_000 + i, tsNsec: 250_000_000, data: arp }));
const fivePcap = file('five.pcap', PcapWriter.file({ linkType: 1 }, five));

test('every corpus file: `pktscope -r FILE` and `-T fields -e frame.number -e frame.len` exit 0 with one line per packet', async (t) => {
  const goldens = goldenFiles('columns');
  if (!corpusAvailable || goldens.length === 0) {
    t.skip(`corpus (${corpusDir}) or column goldens not found`);
    return;
  }
  const jobs: { name: string; args: string[]; packets: number; fields: boolean }[] = [];
  for (const { name, lines: golden } of goldens) {
    const path = join(corpusDir, name);
    if (!existsSync(path)) continue;
    jobs.push({ name, args: ['-r', path], packets: golden.length, fields: false });
    jobs.push({ name, args: ['-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.len'], packets: golden.length, fields: true });
  }
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const r = await pktscopeAsync(job.args);
      const out = lines(r.stdout);
      const what = `${job.name}${job.fields ? ' (fields)' : ''}`;
      if (r.code !== 0) failures.push(`${what}: exit ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
      else if (out.length !== job.packets) failures.push(`${what}: ${out.length} lines, tshark has ${job.packets} packets`);
      else if (job.fields) {
        const bad = out.findIndex((l, i) => !new RegExp(`^${i + 1}\\t[1-9][0-9]*$`).test(l));
        if (bad >= 0) failures.push(`${what}: line ${bad + 1} is ${JSON.stringify(out[bad])}`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  console.log(`# cli: ${jobs.length - failures.length} of ${jobs.length} corpus runs as expected`);
  assert.deepEqual(failures, []);
});

test('corpus: frame.len and frame.time_epoch printed by pktscope equal tshark for timestamp test files', (t) => {
  const names = ['microsecs.pcap', 'nanosecs_big_endian.pcap', 'pcapng-example.pcapng', 'many_interfaces-1.pcapng'];
  if (!corpusAvailable) {
    t.skip(`corpus not found at ${corpusDir}`);
    return;
  }
  if (spawnSync('tshark', ['--version']).status !== 0) {
    console.log('# tshark not found: skipping the comparison with tshark');
    t.skip('tshark is not installed');
    return;
  }
  const fields = ['-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.interface_id'];
  for (const name of names) {
    const path = join(corpusDir, name);
    if (!existsSync(path)) continue;
    const want = spawnSync('tshark', ['-n', '-r', path, ...fields], { encoding: 'utf8' }).stdout;
    const got = pktscope('-r', path, ...fields);
    assert.equal(got.code, 0, got.stderr);
    // tshark leaves frame.interface_id empty for pcap files; compare what both print.
    const norm = (s: string) => lines(s).map((l) => (name.endsWith('.pcap') ? l.split('\t').slice(0, 4).join('\t') : l));
    assert.deepEqual(norm(got.stdout), norm(want), name);
  }
});

test('bad arguments: one clear stderr line, nothing on stdout, exit code 2', () => {
  const cases: [string[], RegExp][] = [
    [[], /no capture file given/],
    [['-x', '-r', fivePcap], /unknown option "-x"/],
    [['-r'], /option -r needs a value/],
    [['-r', fivePcap, '-T', 'bogus'], /invalid -T output format "bogus"/],
    [['-r', fivePcap, '-T', 'fields'], /-T fields needs at least one -e FIELD/],
    [['-r', fivePcap, '-T', 'fields', '-e', 'no.such.field'], /Some fields aren't valid: no\.such\.field/],
    [['-r', fivePcap, '-c', '0'], /invalid -c packet count "0"/],
    [['-r', fivePcap, '-c', 'ten'], /invalid -c packet count "ten"/],
    [['-r', fivePcap, '-E', 'nonsense'], /invalid -E option "nonsense"/],
  ];
  for (const [args, message] of cases) {
    const r = pktscope(...args);
    const what = args.join(' ');
    assert.equal(r.code, 2, what);
    assert.equal(r.stdout, '', what);
    assert.equal(lines(r.stderr).length, 1, `${what}: ${r.stderr}`);
    assert.match(r.stderr, /^pktscope: /, what);
    assert.match(r.stderr, message, what);
  }
});

test('a missing file, a directory, a non-capture file, an empty file: one stderr line, exit code 2', () => {
  const text = file('notes.txt', new TextEncoder().encode('these are not packets\n'));
  const empty = file('empty.pcap', new Uint8Array(0));
  const cases: [string, RegExp][] = [
    [join(dir, 'missing.pcap'), /The file ".*missing\.pcap" doesn't exist\./],
    [dir, /is a directory, not a capture file/],
    [text, /Not a pcap or pcapng capture file \(unknown magic number 0x74686573\) at byte offset 0/],
    [empty, /The file is empty/],
  ];
  for (const [path, message] of cases) {
    const r = pktscope('-r', path);
    assert.equal(r.code, 2, path);
    assert.equal(r.stdout, '', path);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, message);
  }
});

test('a cut-short file: the packets before the cut are printed, then the error with the byte offset, exit code 1', () => {
  const whole = PcapWriter.file({ linkType: 1 }, five);
  const cutAt = 24 + 3 * 76 + 30; // inside the 4th packet's bytes
  const path = file('cut.pcap', whole.subarray(0, cutAt));
  for (const args of [[], ['-T', 'fields', '-e', 'frame.number', '-e', 'frame.len']]) {
    const r = pktscope('-r', path, ...args);
    assert.equal(r.code, 1);
    assert.equal(lines(r.stdout).length, 3);
    assert.equal(lines(r.stderr).length, 1);
    assert.match(r.stderr, /cut short: 30 bytes of an incomplete packet record after packet 3 at byte offset 252/);
    assert.ok(r.stderr.includes(path));
  }
  // Stopping (-c) before the damage never reaches it: exit 0, as tshark.
  const early = pktscope('-r', path, '-c', '2');
  assert.equal(early.code, 0, early.stderr);
  assert.equal(early.stderr, '');
  assert.equal(lines(early.stdout).length, 2);
  // pcapng too, and a corrupt (not just short) record.
  const w = new PcapngWriter();
  const ng = concatBytes([w.sectionHeader(), w.addInterface({ linkType: 1, name: 'eth0' }), ...five.map((p) => w.packet({ interfaceId: 0, ...p }))]);
  const corrupt = ng.slice();
  const thirdEpb = ng.length - 3 * 92;
  new DataView(corrupt.buffer).setUint32(thirdEpb + 4, 0x7ffffff0, true);
  const r = pktscope('-r', file('corrupt.pcapng', corrupt), '-T', 'fields', '-e', 'frame.number');
  assert.equal(r.code, 1);
  assert.deepEqual(lines(r.stdout), ['1', '2']);
  assert.match(r.stderr, new RegExp(`implausible length 2147483632 at byte offset ${thirdEpb + 4}\\n$`));
});

test('-c N stops after N packets', () => {
  const r = pktscope('-r', fivePcap, '-c', '2', '-T', 'fields', '-e', 'frame.number');
  assert.equal(r.code, 0);
  assert.deepEqual(lines(r.stdout), ['1', '2']);
  const s = pktscope('-c', '3', '-r', fivePcap);
  assert.equal(lines(s.stdout).length, 3);
  assert.equal(pktscope('-r', fivePcap, '-c', '99').stdout.split('\n').length - 1, 5);
});

test('-E header=y and -E separator=, shape the field output', () => {
  const r = pktscope('-r', fivePcap, '-T', 'fields', '-E', 'header=y', '-E', 'separator=,', '-e', 'frame.number', '-e', 'frame.len', '-e', 'eth.src', '-e', 'frame.time_epoch');
  assert.equal(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  assert.equal(out[0], 'frame.number,frame.len,eth.src,frame.time_epoch');
  assert.equal(out[1], '1,60,00:1e:8c:b2:de:6e,1700000000.250000000');
  assert.equal(out.length, 6);
  const tab = lines(pktscope('-r', fivePcap, '-T', 'fields', '-E', 'header=n', '-e', 'frame.number', '-e', 'frame.len').stdout);
  assert.equal(tab[0], '1\t60');
});

test('-T json parses as JSON, one object per packet, with byte ranges', () => {
  const r = pktscope('-r', fivePcap, '-T', 'json', '-c', '2');
  assert.equal(r.code, 0, r.stderr);
  const packets = JSON.parse(r.stdout) as { frame: number; tree: { field: string; offset: number; length: number; children?: unknown[] }[] }[];
  assert.equal(packets.length, 2);
  assert.deepEqual(packets.map((p) => p.frame), [1, 2]);
  const find = (nodes: { field: string; offset: number; length: number; children?: unknown[] }[], f: string): { offset: number; length: number } | undefined => {
    for (const n of nodes) {
      if (n.field === f) return n;
      const c = n.children && find(n.children as typeof nodes, f);
      if (c) return c;
    }
    return undefined;
  };
  const tree = packets[0]!.tree;
  assert.deepEqual(find(tree, 'frame'), { ...find(tree, 'frame'), offset: 0, length: 60 });
  const src = find(tree, 'eth.src')!;
  assert.deepEqual([src.offset, src.length], [6, 6]);
  const type = find(tree, 'eth.type')!;
  assert.deepEqual([type.offset, type.length], [12, 2]);
  // An empty result is still valid JSON.
  const none = pktscope('-r', file('empty-but-valid.pcap', PcapWriter.file({ linkType: 1 }, [])), '-T', 'json');
  assert.equal(none.code, 0);
  assert.deepEqual(JSON.parse(none.stdout), []);
});

test('several -r files (a tcpdump -C ring split with our writer) are merged by timestamp', () => {
  const all = Array.from({ length: 9 }, (_, i) => ({ tsSec: 1_700_000_000, tsNsec: i * 1000, data: arp }));
  const parts = [0, 1, 2].map((k) => file(`ring${k}.pcap`, PcapWriter.file({ linkType: 1 }, all.slice(k * 3, k * 3 + 3))));
  const r = pktscope('-r', parts[2]!, '-r', parts[0]!, '-r', parts[1]!, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lines(r.stdout), all.map((_, i) => `${i + 1}\t1700000000.00000${i}000`));
});

test('the summary line output: one line per packet with number, time, addresses, protocol, length', () => {
  // -n: addresses as tshark -n prints them (the default resolves MAC vendor names, as tshark does).
  const r = pktscope('-n', '-r', fivePcap);
  assert.equal(r.code, 0);
  const out = lines(r.stdout);
  assert.equal(out.length, 5);
  assert.match(out[0]!, /^\s*1\s+0\.000000\s+00:1e:8c:b2:de:6e\s.*ff:ff:ff:ff:ff:ff\s+ARP\s+60\s/);
  assert.match(out[4]!, /^\s*5\s+4\.000000\s/);
});


test('-r - reads a capture from standard input (tcpdump -w - | pktscope -r -)', () => {
  const w = new PcapngWriter();
  const bytes = concatBytes([w.sectionHeader(), w.addInterface({ linkType: 1, name: 'eth0' }), ...five.map((p) => w.packet({ interfaceId: 0, ...p }))]);
  const r = spawnSync(process.execPath, [bin, '-r', '-', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.interface_name'], { input: bytes, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(lines(r.stdout), ['1\teth0', '2\teth0', '3\teth0', '4\teth0', '5\teth0']);
  const cut = spawnSync(process.execPath, [bin, '-r', '-'], { input: bytes.subarray(0, bytes.length - 10), encoding: 'utf8' });
  assert.equal(cut.status, 1);
  assert.equal(lines(cut.stdout).length, 4);
  assert.match(cut.stderr, /^pktscope: "-": The file was cut short: .* at byte offset \d+\n$/);
});

test('a two-section pcapng (little- then big-endian, different link types and resolutions) prints as tshark does', (t) => {
  const w = new PcapngWriter();
  const bytes = concatBytes([
    w.sectionHeader({ comment: 'one' }),
    w.addInterface({ linkType: 1, name: 'eth0', tsresol: 9 }),
    w.addInterface({ linkType: 1, name: 'eth1', tsresol: 3, snaplen: 40 }),
    w.packet({ interfaceId: 1, tsSec: 1_700_000_000, tsNsec: 7_000_000, data: arp, comment: ['on eth1', 'again'] }),
    w.packet({ interfaceId: 0, tsSec: 1_700_000_000, tsNsec: 123_456_789, data: arp }),
    w.sectionHeader({ bigEndian: true }),
    w.addInterface({ linkType: 1, name: 'be0', tsresol: 0x80 | 20, tsOffset: 1_000 }),
    w.packet({ interfaceId: 0, tsSec: 1_700_000_001, tsNsec: 500_000_000, data: arp, origlen: 1000, comment: 'second section' }),
  ]);
  const path = file('sections.pcapng', bytes);
  const fields = ['-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.interface_id', '-e', 'frame.interface_name', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.comment', '-e', 'eth.src'];
  const got = pktscope('-r', path, ...fields);
  assert.equal(got.code, 0, got.stderr);
  const want = [
    '1\t1700000000.007000000\t1\teth1\t60\t40\ton eth1,again\t00:1e:8c:b2:de:6e',
    '2\t1700000000.123456789\t0\teth0\t60\t60\t\t00:1e:8c:b2:de:6e',
    '3\t1700000001.500000000\t0\tbe0\t1000\t60\tsecond section\t00:1e:8c:b2:de:6e',
  ];
  assert.deepEqual(lines(got.stdout), want);
  if (spawnSync('tshark', ['--version']).status !== 0) {
    console.log('# tshark not found: skipping the comparison with tshark');
    t.skip('tshark is not installed');
    return;
  }
  // tshark 4.0 names frame 3's interface "eth0": it looks the section-local id up in the list of
  // all interfaces (its times use the right interface). We name be0; compare the other columns.
  const dropName = (l: string) => l.split('\t').filter((_, i) => i !== 3).join('\t');
  const theirs = lines(spawnSync('tshark', ['-n', '-r', path, ...fields], { encoding: 'utf8' }).stdout);
  assert.deepEqual(theirs.map(dropName), want.map(dropName));
});
