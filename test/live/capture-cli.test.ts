// Live capture through the CLI on a private veth pair: exactly the packets sent are captured
// (the capture filter applied), the pcapng reads back the same in pktscope and in tshark /
// capinfos, -c and -a stop, the ring buffer keeps N files, live summary lines, and a killed
// parent loses nothing. Skips with a reason where namespaces or root are not available.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetPair, liveSkipReason, startCli, pktscope, sh, hasTool } from './netns.ts';

const skip = liveSkipReason();
/** Each test says why it is skipped where live capture cannot run (not root, no namespaces). */
const opt = skip ? { skip } : {};
if (skip) console.log(`# live capture CLI tests skipped: ${skip}`);

const FIELDS = ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'eth.src', 'eth.dst', 'ip.src', 'ip.dst', 'ip.proto', 'ip.id', 'ip.len', 'icmp.type', 'icmp.seq', 'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.len', 'udp.srcport', 'udp.dstport', 'udp.length'];

function fields(file: string, f: string[]): string[] {
  const r = pktscope(['-r', file, '-T', 'fields', ...f.flatMap((x) => ['-e', x])]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.replace(/\n$/, '').split('\n').filter((l) => l !== '');
}

describe('live capture: CLI on a veth pair', () => {
  const net = new NetPair('c', 231);
  let dir = '';
  before(async () => {
    if (skip) return;
    await net.setup();
    dir = mkdtempSync(join(tmpdir(), 'pktscope-live-cli-'));
  });
  after(() => {
    if (skip) return;
    net.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('captures exactly the packets sent; the capture filter "icmp" excludes TCP and UDP', opt, async () => {
    const file = join(dir, 'icmp.pcapng');
    const run = startCli(net.nsB, ['-i', net.ifB, '-f', 'icmp', '-w', file]);
    await run.waitFor(`Capturing on '${net.ifB}'`);
    net.ping(3);
    await net.tcp(5599);
    net.udp(20);
    net.ping(2);
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill('SIGINT');
    assert.equal(await run.done, 0, run.stderr());
    assert.match(run.stderr(), /^10 packets captured$/m);
    assert.match(run.stderr(), /^0 packets dropped from \S+ \(ps_drop 0, ps_ifdrop 0\)$/m);
    const rows = fields(file, ['ip.src', 'ip.dst', 'icmp.type', 'icmp.seq', 'tcp.srcport', 'udp.srcport']);
    assert.deepEqual(rows, [
      ...[1, 2, 3].flatMap((s) => [`${net.ipA}\t${net.ipB}\t8\t${s}\t\t`, `${net.ipB}\t${net.ipA}\t0\t${s}\t\t`]),
      ...[1, 2].flatMap((s) => [`${net.ipA}\t${net.ipB}\t8\t${s}\t\t`, `${net.ipB}\t${net.ipA}\t0\t${s}\t\t`]),
    ]);
  });

  it('writes a pcapng that pktscope, tshark and capinfos read identically (TCP, UDP, ICMP)', opt, async (t) => {
    const file = join(dir, 'mixed.pcapng');
    const filter = `host ${net.ipA} and (icmp or tcp port 5599 or udp port 7777)`;
    const run = startCli(net.nsB, ['-i', net.ifB, '-f', filter, '-w', file]);
    await run.waitFor('Capturing on');
    net.ping(2);
    await net.tcp(5599);
    net.udp(25, 7777, 100);
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill('SIGTERM');
    assert.equal(await run.done, 0, run.stderr());
    const ours = fields(file, FIELDS);
    // 4 ICMP + 25 UDP + the TCP exchange (handshake, data both ways, FINs, ACKs: at least 8).
    assert.ok(ours.length >= 37, `${ours.length} packets`);
    assert.equal(ours.filter((l) => l.split('\t')[17] === '7777' || l.split('\t')[18] === '7777').length, 25);
    // The interface name and capture filter are recorded in the IDB.
    assert.deepEqual(fields(file, ['frame.interface_name']).slice(0, 1), [net.ifB]);
    if (!hasTool('tshark') || !hasTool('capinfos')) {
      t.skip('tshark/capinfos are not installed: the cross-check with Wireshark is skipped');
      return;
    }
    const ts = sh('tshark', ['-n', '-r', file, '-T', 'fields', ...FIELDS.flatMap((x) => ['-e', x])]);
    assert.equal(ts.status, 0, ts.stderr);
    assert.deepEqual(ours, ts.stdout.replace(/\n$/, '').split('\n'));
    const ci = sh('capinfos', ['-c', '-I', file]);
    assert.equal(ci.status, 0, ci.stderr);
    assert.match(ci.stdout, new RegExp(`Number of packets:\\s+${ours.length}\\b`));
    assert.match(ci.stdout, new RegExp(`Name = ${net.ifB}`));
    assert.match(ci.stdout, /Time precision = nanoseconds/);
    assert.ok(ci.stdout.includes(`Filter string = ${filter}`), ci.stdout);
    assert.match(ci.stdout, /Number of stat entries = 1/); // the ISB with the drop counters
  });

  it('-c N stops by itself after N packets; without -w prints the summary lines live (-Y applies)', opt, async () => {
    const run = startCli(net.nsB, ['-i', net.ifB, '-f', 'udp port 7777', '-c', '8', '-Y', 'udp.length == 38']);
    await run.waitFor('Capturing on');
    net.udp(4, 7777, 30);
    net.udp(6, 7777, 10);
    assert.equal(await run.done, 0, run.stderr());
    assert.match(run.stderr(), /^8 packets captured$/m);
    const lines = run.stdout().trimEnd().split('\n');
    assert.equal(lines.length, 4, run.stdout());
    for (const [i, l] of lines.entries()) {
      assert.match(l, new RegExp(`^\\s+${i + 1} \\d+\\.\\d{9}\\s+${net.ipA.replace(/\./g, '\\.')} → ${net.ipB.replace(/\./g, '\\.')}\\s+UDP 72 \\d+ → 7777 Len=30$`));
    }
  });

  it('ring buffer: -b filesize:1 -b files:3 keeps the last 3 files, named like dumpcap', opt, async () => {
    const ringDir = join(dir, 'ring');
    sh('mkdir', ['-p', ringDir]);
    const run = startCli(net.nsB, ['-i', net.ifB, '-f', 'udp port 7777', '-b', 'filesize:1', '-b', 'files:3', '-c', '40', '-w', join(ringDir, 'ring.pcapng')]);
    await run.waitFor('Capturing on');
    net.udp(40, 7777, 200);
    assert.equal(await run.done, 0, run.stderr());
    const files = readdirSync(ringDir).sort();
    assert.equal(files.length, 3, files.join(' '));
    for (const f of files) assert.match(f, /^ring_\d{5}_\d{14}\.pcapng$/);
    // Each file: SHB + IDB (about 180 bytes) and 276-byte EPBs; the switch comes once 1000 bytes
    // are reached, so 3 packets per file: 14 files for 40 packets, of which 12, 13 and 14 remain.
    assert.deepEqual(files.map((f) => f.slice(5, 10)), ['00012', '00013', '00014']);
    const counts = files.map((f) => fields(join(ringDir, f), ['frame.number']).length);
    assert.deepEqual(counts, [3, 3, 1]);
    assert.match(run.stderr(), /^Files: /m);
  });

  it('-a files:2 with -b filesize stops after the second file; -a duration stops by itself', opt, async () => {
    const ringDir = join(dir, 'stop');
    sh('mkdir', ['-p', ringDir]);
    const run = startCli(net.nsB, ['-i', net.ifB, '-f', 'udp port 7777', '-b', 'filesize:1', '-a', 'files:2', '-w', join(ringDir, 's.pcapng')]);
    await run.waitFor('Capturing on');
    net.udp(30, 7777, 200);
    assert.equal(await run.done, 0, run.stderr());
    assert.equal(readdirSync(ringDir).length, 2);
    const t0 = Date.now();
    const timed = startCli(net.nsB, ['-i', net.ifB, '-a', 'duration:1', '-q', '-w', join(dir, 'timed.pcapng')]);
    assert.equal(await timed.done, 0, timed.stderr());
    assert.ok(Date.now() - t0 < 8000);
    assert.match(timed.stderr(), /^0 packets captured$/m);
  });

  it('an interface that disappears mid-capture ends the capture with a clear error; the file stays valid', opt, async () => {
    const extraB = `${net.ifB.slice(0, 13)}x`;
    const extraA = `${net.ifA.slice(0, 13)}x`;
    sh('ip', ['link', 'add', extraA, 'netns', net.nsA, 'type', 'veth', 'peer', 'name', extraB, 'netns', net.nsB]);
    sh('ip', ['-n', net.nsA, 'link', 'set', extraA, 'up']);
    sh('ip', ['-n', net.nsB, 'link', 'set', extraB, 'up']);
    const file = join(dir, 'gone.pcapng');
    const run = startCli(net.nsB, ['-i', extraB, '-w', file]);
    await run.waitFor('Capturing on');
    await new Promise((r) => setTimeout(r, 300));
    sh('ip', ['-n', net.nsA, 'link', 'del', extraA]);
    assert.equal(await run.done, 1, run.stderr());
    assert.match(run.stderr(), new RegExp(`^pktscope: The capture on '${extraB}' failed: .+`, 'm'));
    assert.match(run.stderr(), /^\d+ packets? captured$/m);
    assert.equal(pktscope(['-r', file]).status, 0);
  });

  it('the file grows while capturing: packets are readable before the capture stops (periodic flush)', opt, async () => {
    const file = join(dir, 'growing.pcapng');
    const run = startCli(net.nsB, ['-i', net.ifB, '-f', 'udp port 7777', '-w', file]);
    await run.waitFor('Capturing on');
    net.udp(7, 7777, 20);
    let rows = 0;
    for (let i = 0; i < 50 && rows < 7; i++) {
      await new Promise((r) => setTimeout(r, 100));
      // A reader of the growing file (as the engine tails it): the complete packets so far.
      const r = pktscope(['-r', file, '-T', 'fields', '-e', 'frame.number']);
      rows = r.stdout.trim() ? r.stdout.trim().split('\n').length : 0;
    }
    assert.equal(run.child.exitCode, null, 'still capturing');
    assert.equal(rows, 7);
    run.child.kill('SIGINT');
    assert.equal(await run.done, 0);
  });

  it('a killed parent loses nothing: the helper sees its stdin close, flushes and closes the file', opt, async () => {
    const file = join(dir, 'killed.pcapng');
    const run = startCli(net.nsB, ['-i', net.ifB, '-f', 'udp port 7777', '-w', file]);
    await run.waitFor('Capturing on');
    net.udp(12, 7777, 20);
    await new Promise((r) => setTimeout(r, 400));
    run.child.kill('SIGKILL');
    await run.done;
    // The helper ends on its own; its last act is the interface statistics block.
    let rows: string[] = [];
    for (let i = 0; i < 50; i++) {
      const r = pktscope(['-r', file, '-T', 'fields', '-e', 'udp.dstport']);
      if (r.status === 0 && existsSync(file)) {
        rows = r.stdout.trimEnd().split('\n');
        if (rows.length === 12) break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(rows.length, 12);
    assert.ok(rows.every((x) => x === '7777'));
  });
});
