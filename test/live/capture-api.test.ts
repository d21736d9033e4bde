// Live capture through the API (startCapture / CaptureSession) with both backends, and the
// errors users meet: a bad capture filter (libpcap's own message), a missing interface, and
// no privilege (the helper run without CAP_NET_RAW / CAP_NET_ADMIN). Skips with a reason
// where namespaces or root are not available.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetPair, liveSkipReason, startCli, pktscope, sh, hasTool, root, helper, cli } from './netns.ts';
import type { CaptureEvent, CaptureOptions, CaptureStats, InterfaceInfo } from '../../electron/capture/types.ts';

const skip = liveSkipReason();
/** Each test says why it is skipped where live capture cannot run (not root, no namespaces). */
const opt = skip ? { skip } : {};
if (skip) console.log(`# live capture API tests skipped: ${skip}`);

interface ProbeLine {
  type: string;
  list?: InterfaceInfo[];
  event?: CaptureEvent;
  stats?: CaptureStats;
  code?: string;
  message?: string;
  hint?: string;
}

/** Runs test/live/api-probe.ts in namespace `ns`; `during` runs once the capture started. */
async function probe(ns: string, opts: CaptureOptions, stopAfterMs: number, during: () => Promise<void> | void, env: NodeJS.ProcessEnv = process.env): Promise<ProbeLine[]> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', join(root, 'test/live/api-probe.ts'), JSON.stringify(opts), String(stopAfterMs)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
  const lines: ProbeLine[] = [];
  let buf = '';
  let err = '';
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const l = JSON.parse(buf.slice(0, i)) as ProbeLine;
      buf = buf.slice(i + 1);
      lines.push(l);
      if (l.type === 'ready' || l.type === 'rejected') readyResolve();
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  void closed.then(() => readyResolve());
  await ready;
  if (lines.some((l) => l.type === 'ready')) await during();
  const code = await closed;
  assert.equal(code, 0, err);
  return lines;
}

describe('live capture: API and errors on a veth pair', () => {
  const net = new NetPair('a', 232);
  let dir = '';
  before(async () => {
    if (skip) return;
    await net.setup();
    dir = mkdtempSync(join(tmpdir(), 'pktscope-live-api-'));
  });
  after(() => {
    if (skip) return;
    net.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const backend of ['native', 'cap'] as const) {
    it(`${backend} backend: started / stats / stopped events, stop() resolves with the counters, the file reads back`, opt, async (t) => {
      if (backend === 'native' && !existsSync(helper)) return t.skip('the native helper is not built (no cc or libpcap-dev)');
      if (backend === 'cap' && !existsSync(join(root, 'node_modules/cap/build/Release/cap.node'))) return t.skip('the cap module is not installed');
      const file = join(dir, `api-${backend}.pcapng`);
      const lines = await probe(net.nsB, { iface: net.ifB, output: file, filter: 'udp port 7777', backend }, 1200, () => net.udp(15, 7777, 64));
      const ifaces = lines.find((l) => l.type === 'interfaces')!.list!;
      const mine = ifaces.find((i) => i.name === net.ifB);
      assert.ok(mine, JSON.stringify(ifaces));
      assert.equal(mine.up, true);
      assert.equal(mine.linkType, 1);
      assert.deepEqual(mine.addresses.filter((a) => a.family === 'ipv4').map((a) => a.addr), [net.ipB]);

      const events = lines.filter((l) => l.type === 'event').map((l) => l.event!);
      const started = events[0]!;
      assert.equal(started.type, 'started');
      assert.ok(started.type === 'started' && started.file === file && started.linkType === 1 && started.backend === backend);
      assert.ok(events.some((e) => e.type === 'stats'));
      const stopped = events.at(-1)!;
      assert.equal(stopped.type, 'stopped');
      assert.ok(stopped.type === 'stopped' && stopped.reason === 'user');
      const final = lines.find((l) => l.type === 'stop-resolved')!.stats!;
      assert.equal(final.packets, 15);
      assert.equal(final.bytes, 15 * 106);
      assert.deepEqual(final.files, [file]);
      assert.equal(final.dropsKnown, backend === 'native');
      assert.equal(final.dropped, 0);
      assert.deepEqual(lines.find((l) => l.type === 'done')!.stats, final);

      const rows = pktscope(['-r', file, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'udp.dstport', '-e', 'frame.time_delta']);
      assert.equal(rows.status, 0, rows.stderr);
      const r = rows.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
      assert.equal(r.length, 15);
      for (const [len, cap, port, delta] of r) {
        assert.equal(len, '106');
        assert.equal(cap, '106');
        assert.equal(port, '7777');
        assert.ok(Number(delta) >= 0, 'timestamps never go back');
      }
      if (hasTool('capinfos')) assert.equal(sh('capinfos', ['-c', file]).status, 0);
    });
  }

  it('snaplen: -s 60 keeps 60 bytes and the original length (native helper)', opt, async (t) => {
    if (!existsSync(helper)) return t.skip('the native helper is not built');
    const file = join(dir, 'snap.pcapng');
    const run = startCli(net.nsB, ['-i', net.ifB, '-f', 'udp port 7777', '-s', '60', '-p', '-c', '3', '-w', file]);
    await run.waitFor('Capturing on');
    net.udp(3, 7777, 300);
    assert.equal(await run.done, 0, run.stderr());
    const r = pktscope(['-r', file, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.cap_len']);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), ['342\t60', '342\t60', '342\t60']);
  });

  for (const backend of ['native', 'cap'] as const) {
    it(`${backend} backend: a bad capture filter gives libpcap's message; a missing interface says how to list them`, opt, (t) => {
      if (backend === 'native' && !existsSync(helper)) return t.skip('the native helper is not built');
      const env = { ...process.env, PKTSCOPE_CAPTURE_BACKEND: backend };
      const bad = net.exec(net.nsB, [process.execPath, cli, '-i', net.ifB, '-f', 'tcp port', '-w', join(dir, 'bad.pcapng')], { env });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, new RegExp(`^pktscope: Invalid capture filter "tcp port" for interface '${net.ifB}': can't parse filter expression: syntax error$`, 'm'));
      const none = net.exec(net.nsB, [process.execPath, cli, '-i', 'nosuch0', '-w', join(dir, 'none.pcapng')], { env });
      assert.equal(none.status, 2);
      assert.match(none.stderr, /^pktscope: There is no interface named 'nosuch0'/m);
      assert.match(none.stderr, /pktscope -D/);
    });
  }

  for (const backend of ['native', 'cap'] as const) {
    it(`${backend} backend: without CAP_NET_RAW / CAP_NET_ADMIN the message says so and how to grant them`, opt, (t) => {
      if (backend === 'native' && !existsSync(helper)) return t.skip('the native helper is not built');
      const inner = `PKTSCOPE_CAPTURE_BACKEND=${backend} ${process.execPath} ${cli} -i ${net.ifB} -c 1 -w ${join(dir, 'priv.pcapng')}`;
      let r;
      if (hasTool('capsh')) r = net.exec(net.nsB, ['capsh', '--drop=cap_net_raw,cap_net_admin', '--', '-c', inner]);
      else if (hasTool('setpriv')) r = net.exec(net.nsB, ['setpriv', '--bounding-set', '-net_raw,-net_admin', '--inh-caps', '-net_raw,-net_admin', 'sh', '-c', inner]);
      else return t.skip('neither capsh nor setpriv is installed: cannot drop capabilities');
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^pktscope: You don't have permission to capture on '\S+': capturing needs the CAP_NET_RAW and CAP_NET_ADMIN capabilities/m);
      const binary = backend === 'native' ? helper : process.execPath;
      assert.ok(r.stderr.includes(`sudo setcap cap_net_raw,cap_net_admin=eip ${binary}`), r.stderr);
      assert.doesNotMatch(r.stderr, /errno|EPERM/);
    });
  }
});
