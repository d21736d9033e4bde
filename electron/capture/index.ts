// Live capture, the dumpcap way: a separate process captures and appends pcapng blocks to a
// file; everything else (engine, CLI, UI) reads that file. Two backends speak the same JSON
// lines to us (see child-session.ts):
//   native  out/pktscope-capture, built from native/pktscope-capture.c at install: libpcap's
//           own timestamps, original lengths, ps_drop/ps_ifdrop, snaplen and promiscuous mode;
//   cap     the npm `cap` binding in its own Node process (cap-child.mjs): arrival timestamps,
//           no original length, no drop counters; used when the helper was not built.

import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { ChildSession } from './child-session.ts';
import { helperPath, capChildPath, loadCap } from './locate.ts';
import { CaptureError, type CaptureBackend, type CaptureOptions, type CaptureSession, type InterfaceAddress, type InterfaceInfo } from './types.ts';

export * from './types.ts';
export { helperPath, capChildPath } from './locate.ts';

/** Which backend a capture would use now, and why (for the README, `pktscope -D -v`, the UI). */
export function captureBackend(): { backend: CaptureBackend | null; reason: string } {
  const forced = process.env.PKTSCOPE_CAPTURE_BACKEND;
  const helper = helperPath();
  if (forced === 'cap') return loadCap() ? { backend: 'cap', reason: 'PKTSCOPE_CAPTURE_BACKEND=cap' } : { backend: null, reason: 'PKTSCOPE_CAPTURE_BACKEND=cap but the cap module is not installed' };
  if (helper) return { backend: 'native', reason: `native helper ${helper}` };
  if (forced === 'native') return { backend: null, reason: 'PKTSCOPE_CAPTURE_BACKEND=native but the helper was not built (npm run build:capture)' };
  if (loadCap()) return { backend: 'cap', reason: 'the native helper was not built (it needs cc and libpcap-dev: npm run build:capture), so the cap module is used' };
  return { backend: null, reason: 'neither the native helper (npm run build:capture needs cc and libpcap-dev) nor the cap module is available' };
}

// ---------------------------------------------------------------- interfaces

interface HelperIface {
  name: string;
  description: string;
  loopback: boolean;
  up: boolean;
  running: boolean;
  wireless: boolean;
  connection: InterfaceInfo['connection'];
  addresses: InterfaceAddress[];
}

/** Linux: the DLT an interface captures with, from its ARPHRD type (what libpcap maps it to). */
function linkTypeOf(name: string): number | undefined {
  if (name === 'any') return 113; // DLT_LINUX_SLL
  try {
    const t = Number(readFileSync(`/sys/class/net/${name}/type`, 'utf8'));
    switch (t) {
      case 1: // ARPHRD_ETHER
      case 772: // ARPHRD_LOOPBACK (libpcap gives Ethernet headers on Linux lo)
        return 1;
      case 65534: // ARPHRD_NONE (tun)
        return 101; // LINKTYPE_RAW
      case 776: // ARPHRD_SIT
      case 768: // ARPHRD_TUNNEL
      case 769: // ARPHRD_TUNNEL6
        return 113;
      case 801: // ARPHRD_IEEE80211
        return 105;
      case 803: // ARPHRD_IEEE80211_RADIOTAP
        return 127;
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** Linux IFF_UP / IFF_RUNNING from sysfs (the `cap` backend gives only the loopback flag). */
function sysFlags(name: string): { up: boolean; running: boolean } | null {
  try {
    const f = parseInt(readFileSync(`/sys/class/net/${name}/flags`, 'utf8'), 16);
    const oper = readFileSync(`/sys/class/net/${name}/operstate`, 'utf8').trim();
    return { up: (f & 0x1) !== 0, running: (f & 0x40) !== 0 || oper === 'up' };
  } catch {
    return null;
  }
}

function family(addr: string): 'ipv4' | 'ipv6' | null {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(addr)) return 'ipv4';
  if (addr.includes(':')) return 'ipv6';
  return null;
}

function listWithHelper(helper: string): InterfaceInfo[] | null {
  const r = spawnSync(helper, ['-D'], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0 || !r.stdout) return null;
  try {
    const list = JSON.parse(r.stdout) as HelperIface[];
    return list.map((d) => ({
      name: d.name,
      description: d.description,
      addresses: d.addresses,
      up: d.up,
      running: d.running,
      loopback: d.loopback,
      wireless: d.wireless,
      connection: d.connection,
      ...(linkTypeOf(d.name) !== undefined ? { linkType: linkTypeOf(d.name) } : {}),
    }));
  } catch {
    return null;
  }
}

function listWithCap(): InterfaceInfo[] | null {
  const cap = loadCap();
  if (!cap) return null;
  try {
    return cap.Cap.deviceList().map((d) => {
      const flags = sysFlags(d.name) ?? { up: true, running: true };
      const addresses: InterfaceAddress[] = [];
      for (const a of d.addresses ?? []) {
        const fam = family(a.addr);
        if (fam) addresses.push({ family: fam, addr: a.addr, ...(a.netmask ? { netmask: a.netmask } : {}) });
      }
      const lt = linkTypeOf(d.name);
      return { name: d.name, description: d.description ?? '', addresses, ...flags, loopback: d.flags === 'PCAP_IF_LOOPBACK', ...(lt !== undefined ? { linkType: lt } : {}) };
    });
  } catch {
    return null;
  }
}

function listWithOs(): InterfaceInfo[] {
  const out: InterfaceInfo[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    const flags = sysFlags(name) ?? { up: true, running: true };
    const lt = linkTypeOf(name);
    out.push({
      name,
      description: '',
      addresses: (addrs ?? []).map((a) => ({ family: a.family === 'IPv4' ? 'ipv4' : 'ipv6', addr: a.address, netmask: a.netmask })),
      ...flags,
      loopback: (addrs ?? []).some((a) => a.internal),
      ...(lt !== undefined ? { linkType: lt } : {}),
    });
  }
  return out;
}

/** The interfaces libpcap can capture on, in libpcap's order (like `dumpcap -D`). */
export async function listInterfaces(): Promise<InterfaceInfo[]> {
  const helper = process.env.PKTSCOPE_CAPTURE_BACKEND === 'cap' ? null : helperPath();
  return (helper ? listWithHelper(helper) : null) ?? listWithCap() ?? listWithOs();
}

// ---------------------------------------------------------------- capture filters

const filterCache = new Map<string, { ok: true } | { ok: false; message: string }>();

/**
 * Compiles a BPF capture filter with libpcap (pcap_open_dead + pcap_compile, no privilege
 * needed) for link type `linkType`. On failure, `message` is libpcap's own, e.g.
 * "can't parse filter expression: syntax error". Without the native helper there is no way to
 * compile without opening a device, so the filter is accepted here and checked at start.
 */
export function checkCaptureFilter(expr: string, linkType = 1): { ok: true } | { ok: false; message: string } {
  if (expr.trim() === '') return { ok: true };
  const key = `${linkType}\u0000${expr}`;
  const hit = filterCache.get(key);
  if (hit) return hit;
  const helper = helperPath();
  if (!helper) return { ok: true };
  const r = spawnSync(helper, ['--check-filter', expr, '--linktype', String(linkType)], { encoding: 'utf8', timeout: 10_000 });
  let res: { ok: true } | { ok: false; message: string };
  try {
    const m = JSON.parse(r.stdout) as { ok: boolean; message?: string };
    res = m.ok ? { ok: true } : { ok: false, message: m.message ?? 'invalid capture filter' };
  } catch {
    return { ok: true }; // the helper failed: the capture itself will say what is wrong
  }
  if (filterCache.size > 500) filterCache.clear();
  filterCache.set(key, res);
  return res;
}

// ---------------------------------------------------------------- capture

function checkOptions(o: CaptureOptions): void {
  if (!o || typeof o.iface !== 'string' || o.iface === '') throw new CaptureError('no-such-device', 'No capture interface given.', `List the interfaces with 'pktscope -D'.`);
  if (typeof o.output !== 'string' || o.output === '') throw new CaptureError('io', 'No output file given for the capture.');
  if (o.snaplen !== undefined && (!Number.isInteger(o.snaplen) || o.snaplen < 0 || o.snaplen > 262144)) throw new CaptureError('other', `Invalid snapshot length ${o.snaplen} (0 to 262144; 0 means the maximum).`);
  const positive = (v: number | undefined, what: string, int = true) => {
    if (v === undefined) return;
    if (!(typeof v === 'number' && v > 0 && (!int || Number.isInteger(v)))) throw new CaptureError('other', `Invalid ${what}: ${v}.`);
  };
  positive(o.ring?.filesizeKB, 'ring buffer file size');
  positive(o.ring?.files, 'ring buffer file count');
  positive(o.ring?.durationSec, 'ring buffer duration', false);
  positive(o.stop?.packets, 'packet count');
  positive(o.stop?.durationSec, 'capture duration', false);
  positive(o.stop?.filesizeKB, 'capture file size');
  positive(o.stop?.files, 'ring buffer file count to stop after');
  positive(o.bufferMB, 'buffer size');
}

/** The native helper's command line for `o` (dumpcap's option letters). */
export function helperArgs(o: CaptureOptions): string[] {
  const a = ['-i', o.iface, '-w', o.output, '--watch-stdin'];
  if (o.filter) a.push('-f', o.filter);
  if (o.snaplen !== undefined) a.push('-s', String(o.snaplen));
  if (o.promisc === false) a.push('-p');
  if (o.bufferMB) a.push('-B', String(o.bufferMB));
  if (o.stop?.packets) a.push('-c', String(o.stop.packets));
  if (o.stop?.durationSec) a.push('-a', `duration:${o.stop.durationSec}`);
  if (o.stop?.filesizeKB) a.push('-a', `filesize:${o.stop.filesizeKB}`);
  if (o.stop?.files) a.push('-a', `files:${o.stop.files}`);
  if (o.ring?.filesizeKB) a.push('-b', `filesize:${o.ring.filesizeKB}`);
  if (o.ring?.files) a.push('-b', `files:${o.ring.files}`);
  if (o.ring?.durationSec) a.push('-b', `duration:${o.ring.durationSec}`);
  return a;
}

/**
 * Starts capturing on `opts.iface` into `opts.output` in a separate process. Resolves once
 * the interface is open and the file started; rejects with a CaptureError (code privilege,
 * filter, no-such-device, helper-missing, io, other) whose message and hint say what to do.
 */
export async function startCapture(opts: CaptureOptions): Promise<CaptureSession> {
  checkOptions(opts);
  const want = opts.backend ?? (process.env.PKTSCOPE_CAPTURE_BACKEND as CaptureBackend | undefined);
  const helper = helperPath();
  if (want !== 'cap' && helper) return ChildSession.start(opts, 'native', helper, helper, helperArgs(opts));
  if (want === 'native') throw new CaptureError('helper-missing', 'The native capture helper was not built.', 'Build it with `npm run build:capture` (needs a C compiler and libpcap-dev).');
  const child = capChildPath();
  if (!loadCap() || !existsSync(child)) {
    throw new CaptureError('helper-missing', 'Live capture is not available: the native capture helper was not built and the cap module is not installed.', 'Install a C compiler and libpcap-dev, then run `npm run build:capture`.');
  }
  // In Electron, process.execPath is the app: ELECTRON_RUN_AS_NODE makes it a plain Node.js.
  return ChildSession.start(opts, 'cap', process.execPath, process.execPath, [child, JSON.stringify(opts)], { ...process.env, ELECTRON_RUN_AS_NODE: '1' });
}
