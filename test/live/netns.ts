// Support for the live capture tests: a private pair of network namespaces joined by a veth
// pair (names unique per test file and process), traffic only between them, always removed
// (after() hook, and a synchronous exit hook in case the runner dies). Tests that cannot run
// here (not root, no `ip netns`) skip with the reason from `liveSkipReason()`.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
export const cli = join(root, 'out', 'cli.mjs');
export const helper = join(root, 'out', 'pktscope-capture');
export const traffic = join(root, 'out', 'pktscope-traffic');

let built = false;
/** Builds the CLI bundle and the native helper + traffic tool when missing (never fails). */
export function buildOnce(): void {
  if (built) return;
  built = true;
  if (!existsSync(cli)) spawnSync(process.execPath, [join(root, 'electron/build/build-cli.mjs')], { stdio: 'inherit' });
  spawnSync(process.execPath, [join(root, 'electron/build/build-capture-helper.mjs'), '--quiet'], { stdio: 'inherit' });
}

let reason: string | null | undefined;
/** Why the live tests cannot run here, or null when they can. */
export function liveSkipReason(): string | null {
  if (reason !== undefined) return reason;
  if (process.platform !== 'linux') return (reason = 'live capture tests need Linux network namespaces');
  if (process.getuid?.() !== 0) return (reason = 'live capture tests need root (they create network namespaces and capture)');
  const probe = `pkprobe${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return (reason = `"ip netns add" does not work here: ${(r.error?.message ?? r.stderr).trim()}`);
  spawnSync('ip', ['netns', 'del', probe]);
  buildOnce();
  if (!existsSync(traffic)) return (reason = 'the traffic generator out/pktscope-traffic could not be built (needs cc)');
  return (reason = null);
}

export function sh(cmd: string, args: string[], opts: { input?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000, ...(opts.input !== undefined ? { input: opts.input } : {}) });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function must(cmd: string, args: string[]): void {
  const r = sh(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim()}`);
}

const live = new Set<NetPair>();
process.on('exit', () => {
  for (const p of live) p.cleanup();
});

/** Namespace A (10.N.0.1 on vethA) and B (10.N.0.2 on vethB); capture runs in B on vethB. */
export class NetPair {
  readonly nsA: string;
  readonly nsB: string;
  readonly ifA: string;
  readonly ifB: string;
  readonly ipA: string;
  readonly ipB: string;

  constructor(tag: string, subnet: number) {
    const id = `${tag}${process.pid % 100000}`;
    this.nsA = `pks-${id}-a`;
    this.nsB = `pks-${id}-b`;
    this.ifA = `pk${id}a`.slice(0, 15);
    this.ifB = `pk${id}b`.slice(0, 15);
    this.ipA = `10.${subnet}.0.1`;
    this.ipB = `10.${subnet}.0.2`;
  }

  private sink: ChildProcess | null = null;

  /** Creates the namespaces and the veth pair, and a UDP sink on B:7777 (no ICMP port unreachables). */
  async setup(): Promise<void> {
    this.cleanup();
    live.add(this);
    must('ip', ['netns', 'add', this.nsA]);
    must('ip', ['netns', 'add', this.nsB]);
    must('ip', ['link', 'add', this.ifA, 'netns', this.nsA, 'type', 'veth', 'peer', 'name', this.ifB, 'netns', this.nsB]);
    for (const [ns, dev, ip] of [[this.nsA, this.ifA, this.ipA], [this.nsB, this.ifB, this.ipB]] as const) {
      // No IPv6 on the pair: no router solicitations or DAD packets in the captures.
      sh('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
      sh('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
      must('ip', ['-n', ns, 'addr', 'add', `${ip}/24`, 'dev', dev]);
      must('ip', ['-n', ns, 'link', 'set', dev, 'up']);
      must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    // Static neighbours: no ARP before the first packet, so captures hold exactly what was sent.
    const mac = (ns: string, dev: string) => /link\/ether ([0-9a-f:]+)/.exec(sh('ip', ['-n', ns, 'link', 'show', dev]).stdout)?.[1] ?? '';
    must('ip', ['-n', this.nsA, 'neigh', 'replace', this.ipB, 'lladdr', mac(this.nsB, this.ifB), 'dev', this.ifA, 'nud', 'permanent']);
    must('ip', ['-n', this.nsB, 'neigh', 'replace', this.ipA, 'lladdr', mac(this.nsA, this.ifA), 'dev', this.ifB, 'nud', 'permanent']);
    const sink = spawn('ip', ['netns', 'exec', this.nsB, process.execPath, '-e', `require('dgram').createSocket('udp4').on('message',()=>{}).bind(7777,()=>console.log('ready'))`], { stdio: ['ignore', 'pipe', 'ignore'] });
    this.sink = sink;
    await new Promise<void>((r) => {
      sink.stdout!.once('data', () => r());
      sink.on('close', () => r());
    });
  }

  cleanup(): void {
    this.sink?.kill('SIGKILL');
    this.sink = null;
    spawnSync('ip', ['netns', 'del', this.nsA]);
    spawnSync('ip', ['netns', 'del', this.nsB]);
    live.delete(this);
  }

  /** Runs a command in a namespace to completion. */
  exec(ns: string, cmd: string[], opts: { env?: NodeJS.ProcessEnv } = {}): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync('ip', ['netns', 'exec', ns, ...cmd], { encoding: 'utf8', timeout: 30_000, env: opts.env ?? process.env });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** Sends `count` UDP datagrams of `size` bytes from A to B:port (at `rate` per second). */
  udp(count: number, port = 7777, size = 18, rate = 2000): void {
    const r = this.exec(this.nsA, [traffic, 'udp', this.ipB, String(port), String(rate), String(count / rate), String(size)]);
    if (r.status !== 0) throw new Error(`udp sender failed: ${r.stderr}`);
  }

  /** `count` ICMP echo requests from A to B, each answered by B's kernel. */
  ping(count: number): void {
    const r = this.exec(this.nsA, [traffic, 'icmp', this.ipB, String(count), '0']);
    if (r.status !== 0) throw new Error(`icmp sender failed: ${r.stderr}`);
  }

  /** A small TCP exchange: A connects to B:port, sends "hello", B answers "bye", both close. */
  async tcp(port = 5599): Promise<void> {
    const server = spawn('ip', ['netns', 'exec', this.nsB, process.execPath, '-e',
      `const s=require('net').createServer(c=>{c.on('data',()=>c.end('bye'));c.on('close',()=>s.close())}).listen(${port},'${this.ipB}',()=>console.log('ready'))`], { stdio: ['ignore', 'pipe', 'ignore'] });
    const ended = new Promise<void>((r) => server.on('close', () => r()));
    const timer = setTimeout(() => server.kill(), 8000);
    await new Promise<void>((r) => {
      server.stdout!.once('data', () => r());
      server.on('close', () => r());
    });
    const r = this.exec(this.nsA, [process.execPath, '-e', `const c=require('net').connect(${port},'${this.ipB}');c.on('connect',()=>c.write('hello'));c.on('data',()=>{});c.on('error',(e)=>{console.error(e.message);process.exit(1)})`]);
    await ended;
    clearTimeout(timer);
    if (r.status !== 0) throw new Error(`tcp client failed: ${r.stderr}`);
  }
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stderr contains `text`. */
  waitFor: (text: string, ms?: number) => Promise<void>;
  done: Promise<number | null>;
}

/** Starts `pktscope ARGS` inside namespace `ns`. */
export function startCli(ns: string, args: string[], env: NodeJS.ProcessEnv = process.env): Running {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const waitFor = async (text: string, ms = 10_000) => {
    const t = Date.now();
    while (!err.includes(text)) {
      if (Date.now() - t > ms) throw new Error(`timed out waiting for "${text}"; stderr: ${err}`);
      if (child.exitCode !== null) throw new Error(`pktscope ended (${child.exitCode}) before "${text}"; stderr: ${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, stdout: () => out, stderr: () => err, waitFor, done };
}

/** Runs `pktscope ARGS` (outside any namespace: for reading files). */
export function pktscope(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return sh(process.execPath, [cli, ...args]);
}

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}
