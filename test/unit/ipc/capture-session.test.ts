// Live capture through the contract, with a fake capture backend that writes a pcapng file
// progressively the way the helper does (SHB + IDB, then EPBs flushed in batches): the
// session chooses the output file, shows the packets as they are written, keeps a display
// filter over new packets, reports counters and drops, stops, and saves / exports; a ring
// buffer's next file replaces the list; errors come back with their code and hint.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { dispatch, validateArg, ContractError, type CaptureState, type Method } from '../../../electron/ipc/contract.ts';
import { Session } from '../../../electron/ipc/handlers.ts';
import type { CaptureBackend } from '../../../electron/ipc/capture-session.ts';
import { CaptureError, type CaptureEvent, type CaptureOptions, type CaptureSession, type CaptureStats } from '../../../electron/capture/types.ts';
import { CaptureFileReader } from '../../../electron/engine/file-reader.ts';
import { PcapngWriter } from '../../../decoders/formats/pcapng-writer.ts';
import { concatBytes } from '../../../decoders/formats/pcap-writer.ts';
import type { PacketRecord } from '../../../decoders/formats/capture-parser.ts';
import { repoRoot } from '../../support/corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'pktscope-capsess-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function sample(): { link: number; recs: PacketRecord[] } {
  const r = new CaptureFileReader(join(repoRoot, 'fixtures/captures/sample-http.pcap'));
  const recs: PacketRecord[] = [];
  for (let x = r.next(); x; x = r.next()) recs.push({ ...x, data: x.data.slice() });
  const link = r.parser.interfaces[0]!.linkType;
  r.close();
  return { link, recs };
}
const { link, recs } = sample();

/** A capture helper stand-in: writes `recs` to options.output in batches when told to. */
class FakeCapture implements CaptureSession {
  private readonly listeners = new Set<(e: CaptureEvent) => void>();
  private readonly w = new PcapngWriter({ userAppl: 'fake' });
  private file: string;
  private sent = 0;
  private resolveDone!: (s: CaptureStats) => void;
  readonly done: Promise<CaptureStats>;
  files: string[] = [];
  constructor(readonly options: CaptureOptions) {
    this.done = new Promise((r) => (this.resolveDone = r));
    this.file = options.output;
    this.begin(this.file);
    setTimeout(() => this.fire({ type: 'started', file: this.file, linkType: link }), 5);
  }
  private begin(file: string): void {
    this.files.push(file);
    writeFileSync(file, concatBytes([this.w.sectionHeader(), this.w.addInterface({ linkType: link, name: this.options.iface, ...(this.options.filter ? { filter: this.options.filter } : {}) })]));
  }
  private fire(e: CaptureEvent): void {
    for (const l of this.listeners) l(e);
  }
  stats(): CaptureStats {
    return { packets: this.sent, bytes: this.sent * 100, dropped: 2, ifDropped: 1, files: [...this.files] };
  }
  /** Writes the next `n` packets (the last one cut in two writes when `split`). */
  write(n: number, split = false): void {
    const bytes = concatBytes(recs.slice(this.sent, this.sent + n).map((p) => this.w.packet({ interfaceId: 0, tsSec: p.tsSec, tsNsec: p.tsNsec, data: p.data, origlen: p.origlen })));
    if (split) {
      appendFileSync(this.file, bytes.subarray(0, bytes.length - 10));
      appendFileSync(this.file, bytes.subarray(bytes.length - 10));
    } else appendFileSync(this.file, bytes);
    this.sent += n;
    this.fire({ type: 'stats', stats: this.stats() });
  }
  /** Ring buffer: the next file. */
  next(): void {
    this.file = this.options.output.replace(/\.pcapng$/, `_${this.files.length}.pcapng`);
    this.begin(this.file);
    this.fire({ type: 'file', file: this.file });
  }
  on(l: (e: CaptureEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  async stop(): Promise<CaptureStats> {
    const s = this.stats();
    setTimeout(() => {
      this.fire({ type: 'stopped', reason: 'user', stats: s });
      this.resolveDone(s);
    }, 5);
    return s;
  }
}

function fakeBackend(): { backend: () => Promise<CaptureBackend>; started: FakeCapture[]; fail: { next: CaptureError | null } } {
  const started: FakeCapture[] = [];
  const fail = { next: null as CaptureError | null };
  const b: CaptureBackend = {
    listInterfaces: async () => [{ name: 'lo', description: '', addresses: [{ family: 'ipv4', addr: '127.0.0.1', netmask: '255.0.0.0' }], up: true, running: true, loopback: true, linkType: 1 }],
    checkCaptureFilter: async (f) => (f.includes('bogus') ? "syntax error in filter expression: syntax error" : null),
    startCapture: async (o) => {
      if (fail.next) {
        const e = fail.next;
        fail.next = null;
        throw e;
      }
      const c = new FakeCapture(o);
      started.push(c);
      return c;
    },
  };
  return { backend: async () => b, started, fail };
}

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function setup() {
  const fb = fakeBackend();
  const events: { event: string; data: unknown }[] = [];
  const s = new Session((event, data) => events.push({ event, data }));
  s.configureCapture({ backend: fb.backend });
  const call = async <T>(method: Method, arg: unknown): Promise<T> => {
    const r = await dispatch(s.handlers, { id: 1, method, arg });
    if ('error' in r) throw new Error(r.error);
    return r.result as T;
  };
  const states = () => events.filter((e) => e.event === 'captureState').map((e) => e.data as CaptureState);
  return { s, fb, events, call, states };
}

test('capture arguments from the untrusted side are validated', () => {
  assert.throws(() => validateArg('startCapture', { iface: '../etc', filter: '' }), ContractError);
  assert.throws(() => validateArg('startCapture', { iface: 'eth0; rm -rf /', filter: '' }), ContractError);
  assert.throws(() => validateArg('startCapture', { iface: 'x'.repeat(65), filter: '' }), ContractError);
  assert.throws(() => validateArg('startCapture', { iface: 'lo', filter: 'x'.repeat(4097) }), ContractError);
  assert.throws(() => validateArg('startCapture', { iface: 'lo', filter: 'icmp\0' }), ContractError);
  assert.throws(() => validateArg('startCapture', { iface: 'lo', filter: '', snaplen: 0 }), ContractError);
  assert.throws(() => validateArg('startCapture', { iface: 'lo', filter: '', snaplen: 1.5 }), ContractError);
  assert.throws(() => validateArg('startCapture', { iface: 'lo', filter: '', promisc: 'yes' }), ContractError);
  assert.throws(() => validateArg('startCapture', { iface: 'lo', filter: '', ring: { files: -1 } }), ContractError);
  assert.throws(() => validateArg('startCapture', { iface: 'lo', filter: '', ring: { evil: 1 } }), ContractError);
  assert.throws(() => validateArg('startCapture', { iface: 'lo', filter: '', output: '/etc/passwd', stop: { packets: 'a' } }), ContractError);
  // An output path from the renderer is never taken.
  assert.deepEqual(validateArg('startCapture', { iface: 'lo', filter: 'icmp', output: '/etc/passwd', snaplen: 128, stop: { packets: 10 } }), { iface: 'lo', filter: 'icmp', snaplen: 128, stop: { packets: 10 } });
  assert.throws(() => validateArg('checkCaptureFilter', { filter: 7 }), ContractError);
  assert.throws(() => validateArg('checkCaptureFilter', { filter: 'icmp', iface: 'a/b' }), ContractError);
  assert.throws(() => validateArg('interfaces', null), ContractError);
  assert.throws(() => validateArg('saveAs', { path: '/tmp/x', format: 'exe' }), ContractError);
  assert.throws(() => validateArg('saveAs', { path: 'a\0b', format: 'pcap' }), ContractError);
  assert.throws(() => validateArg('exportDisplayed', { path: '', format: 'pcapng' }), ContractError);
  assert.throws(() => validateArg('stopCapture', { now: true }), ContractError);
  assert.deepEqual(validateArg('saveAs', { path: '/tmp/a.pcap', format: 'pcap', x: 1 }), { path: '/tmp/a.pcap', format: 'pcap' });
});

test('live capture: rows arrive, the filter covers new packets, stop, save and export', async () => {
  const { s, fb, call, states, events } = setup();
  const ifs = await call<{ interfaces: { name: string }[]; counters: Record<string, unknown> }>('interfaces', { refresh: true });
  assert.deepEqual(ifs.interfaces.map((i) => i.name), ['lo']);
  assert.deepEqual(await call('checkCaptureFilter', { filter: 'icmp' }), { ok: true });
  assert.deepEqual(await call('checkCaptureFilter', { filter: 'bogus' }), { ok: false, error: 'syntax error in filter expression: syntax error' });

  const st = await call<CaptureState>('startCapture', { iface: 'lo', filter: 'tcp' });
  assert.equal(st.state, 'running');
  assert.equal(st.iface, 'lo');
  const cap = fb.started[0]!;
  // The engine side chose the file: a fresh temporary directory.
  assert.equal(cap.options.output, st.file);
  assert.ok(dirname(st.file!).startsWith(join(tmpdir(), 'pktscope-capture-')), st.file!);
  assert.ok(events.some((e) => e.event === 'opened'));
  assert.equal(s.capture.unsaved, false);

  cap.write(3);
  await until(async () => (await call<{ total: number }>('rows', { start: 0, count: 0 })).total === 3, 1000, '3 rows');
  cap.write(2, true);
  await until(async () => (await call<{ total: number }>('rows', { start: 0, count: 0 })).total === 5, 1000, '5 rows');
  const f = await call<{ ok: boolean; displayed: number }>('setFilter', { expr: 'tcp.len > 0' });
  assert.equal(f.ok, true);
  assert.equal(f.displayed, 2);
  await assert.rejects(call('setSort', { column: 'length', descending: false }), /once the capture stops/);
  await assert.rejects(call('saveAs', { path: join(dir, 'early.pcapng'), format: 'pcapng' }), /stop the capture/);
  cap.write(20);
  await until(async () => (await call<{ displayed: number; total: number }>('rows', { start: 0, count: 0 })).total === 25, 1000, '25 rows');
  const r = await call<{ displayed: number; rows: { number: number }[] }>('rows', { start: 0, count: 100 });
  await until(() => states().some((x) => x.state === 'running' && x.packets === 25), 1000, 'throttled counters');
  const filterDoneEarly = events.filter((e) => e.event === 'filterProgress').length;

  const stopped = await call<CaptureState>('stopCapture', null);
  assert.equal(stopped.state, 'stopped');
  assert.equal(stopped.packets, 25);
  assert.equal(stopped.dropped, 2);
  assert.equal(stopped.ifDropped, 1);
  assert.equal(stopped.unsaved, true);
  assert.equal(states().at(-1)!.state, 'stopped');
  // The filter's matches while live are those of the finished capture.
  const after = await call<{ displayed: number; rows: { number: number }[] }>('rows', { start: 0, count: 100 });
  assert.deepEqual(after.rows.map((x) => x.number).slice(0, r.rows.length), r.rows.map((x) => x.number));
  assert.ok(filterDoneEarly <= events.filter((e) => e.event === 'filterProgress').length);
  const info = await call<{ done: boolean; count: number }>('info', null);
  assert.equal(info.done, true);
  assert.equal(info.count, 25);

  // Save As pcapng: every packet; the capture is no longer unsaved.
  const out = join(dir, 'saved.pcapng');
  const saved = await call<{ path: string; packets: number }>('saveAs', { path: out, format: 'pcapng' });
  assert.deepEqual(saved, { path: out, packets: 25 });
  assert.equal(s.capture.unsaved, false);
  assert.equal(states().at(-1)!.unsaved, false);
  const back = new CaptureFileReader(out);
  let n = 0;
  for (let x = back.next(); x; x = back.next()) assert.deepEqual(Array.from(x.data), Array.from(recs[n++]!.data));
  assert.equal(n, 25);
  assert.equal(back.parser.interfaces[0]!.name, 'lo');
  assert.equal(back.parser.interfaces[0]!.filter, 'tcp');
  // An existing file is not replaced unless asked.
  const again = await call<{ path: string | null; exists?: string }>('saveAs', { path: out, format: 'pcap' });
  assert.deepEqual(again, { path: null, packets: 0, exists: out });
  await assert.rejects(call('saveAs', { path: stopped.file!, format: 'pcapng', overwrite: true }), /capture being read/);
  // Export displayed as pcap: only the filtered packets.
  const ex = join(dir, 'displayed.pcap');
  const exported = await call<{ path: string; packets: number }>('exportDisplayed', { path: ex, format: 'pcap' });
  assert.equal(exported.packets, after.displayed);
  assert.equal(readFileSync(ex).readUInt32LE(0), 0xa1b2c3d4);
  const eb = new CaptureFileReader(ex);
  const nums: number[] = [];
  for (let x = eb.next(); x; x = eb.next()) nums.push(recs.findIndex((p) => p.tsSec === x.tsSec && p.tsNsec === x.tsNsec) + 1);
  assert.deepEqual(nums, after.rows.map((x) => x.number));
  s.close();
});

test('live capture: restart discards, a ring buffer shows its current file, errors keep their code and hint', async () => {
  const { s, fb, call, events } = setup();
  await call('startCapture', { iface: 'lo', filter: '' });
  fb.started[0]!.write(4);
  await until(async () => (await call<{ total: number }>('rows', { start: 0, count: 0 })).total === 4, 1000, '4 rows');
  const first = fb.started[0]!.options.output;
  const re = await call<CaptureState>('restartCapture', null);
  assert.equal(re.state, 'running');
  assert.equal(fb.started.length, 2);
  assert.notEqual(fb.started[1]!.options.output, first);
  assert.equal(existsSync(first), false, 'the restarted capture’s temporary file is removed');
  assert.equal((await call<{ total: number }>('rows', { start: 0, count: 0 })).total, 0);

  // Ring buffer: the next file replaces the list (numbering from 1), the filter stays.
  const cap = fb.started[1]!;
  cap.write(6);
  await until(async () => (await call<{ total: number }>('rows', { start: 0, count: 0 })).total === 6, 1000, '6 rows');
  await call('setFilter', { expr: 'tcp' });
  cap.next();
  cap.write(3);
  await until(async () => (await call<{ total: number }>('rows', { start: 0, count: 0 })).total === 3, 1000, 'the ring’s next file');
  const opened = events.filter((e) => e.event === 'opened').at(-1)!.data as { files: string[]; filter?: string };
  assert.deepEqual(opened.files, [cap.files[1]]);
  assert.equal(opened.filter, 'tcp');
  const st = await call<CaptureState>('captureState', null);
  assert.equal(st.file, cap.files[1]);
  assert.deepEqual(st.files, cap.files);
  await call('stopCapture', null);

  // A helper error (no privilege) comes back in the state, with libpcap's message and the hint.
  fb.fail.next = new CaptureError('privilege', 'lo: You don\'t have permission to capture on that device', 'setcap cap_net_raw,cap_net_admin=eip …');
  const bad = await call<CaptureState>('startCapture', { iface: 'lo', filter: '' });
  assert.equal(bad.state, 'idle');
  assert.deepEqual(bad.error, { code: 'privilege', message: "lo: You don't have permission to capture on that device", hint: 'setcap cap_net_raw,cap_net_admin=eip …' });
  // Opening a file lets the stopped capture go.
  s.open([join(repoRoot, 'fixtures/captures/sample-http.pcap')]);
  assert.equal(s.capture.unsaved, false);
  assert.equal(existsSync(cap.files[1]!), false);
  s.close();
});
