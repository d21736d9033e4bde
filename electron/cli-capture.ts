// `pktscope -D` and `pktscope -i IFACE ...`: live capture from the command line, the way
// tshark / dumpcap do it. The capture runs in the capture helper process (electron/capture);
// with -w it writes that file, without -w it captures to a temporary pcapng and prints each
// new packet's summary line as the file grows (display filter -Y applies). Ctrl-C stops
// cleanly: the helper flushes and closes the file, then the counts are printed to stderr.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRegistry, dissectFrame, Session } from '../decoders/index.ts';
import { frameTimeNs } from '../decoders/core/dissect.ts';
import { summaryLine, relativeTime } from '../decoders/summary.ts';
import { compileFilter, FilterError, formatFilterError, type DisplayFilter } from '../decoders/filter/index.ts';
import { CaptureFileReader } from './engine/file-reader.ts';
import { captureBackend, listInterfaces, startCapture, CaptureError, type CaptureOptions, type CaptureStats, type InterfaceInfo } from './capture/index.ts';
import type { Output } from './cli.ts';

export const CAPTURE_USAGE = `Usage: pktscope -D | pktscope -i IFACE [options]
  -D                   list the capture interfaces (-v: and the capture backend in use)
  -i IFACE             capture on IFACE (a name, or a number from -D)
  -f FILTER            capture filter (BPF, compiled by libpcap)
  -s SNAPLEN           bytes to keep per packet (default 262144)
  -p                   don't capture in promiscuous mode
  -B MB                kernel capture buffer size (default 16)
  -c N                 stop after N packets
  -a duration:S        stop after S seconds      -a filesize:KB  stop after KB kilobytes written
  -a files:N           stop after N ring buffer files
  -b filesize:KB       ring buffer: next file after KB kilobytes
  -b files:N           ring buffer: keep the last N files      -b duration:S  next file every S seconds
  -w FILE              write the packets to FILE (pcapng); without it, print summary lines live
  -Y FILTER            display filter for the live summary lines
  -q                   don't print summary lines (counts only)`;

class CaptureUsageError extends Error {}

export interface CaptureCliOptions {
  list: boolean;
  verbose: boolean;
  iface: string | null;
  filter?: string;
  snaplen?: number;
  promisc: boolean;
  bufferMB?: number;
  count?: number;
  stop: { durationSec?: number; filesizeKB?: number; files?: number };
  ring: { filesizeKB?: number; files?: number; durationSec?: number };
  write: string | null;
  display: string | null;
  quiet: boolean;
}

/** True when argv asks for live capture or the interface list (the rest of the CLI reads files). */
export function isCaptureInvocation(argv: readonly string[]): boolean {
  return argv.includes('-D') || argv.includes('-i') || argv.includes('--list-interfaces');
}

function positiveInt(v: string, what: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n <= 0) throw new CaptureUsageError(`invalid ${what} "${v}"`);
  return n;
}

function positiveNumber(v: string, what: string): number {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0)) throw new CaptureUsageError(`invalid ${what} "${v}"`);
  return n;
}

function condition(v: string, ring: boolean): [string, number] {
  const m = /^(duration|filesize|files):(.+)$/.exec(v);
  if (!m) throw new CaptureUsageError(`invalid ${ring ? '-b ring buffer' : '-a stop'} condition "${v}" (duration:S, filesize:KB or files:N)`);
  const key = m[1]!;
  return [key, key === 'duration' ? positiveNumber(m[2]!, `${key} value`) : positiveInt(m[2]!, `${key} value`)];
}

export function parseCaptureArgs(argv: readonly string[]): CaptureCliOptions {
  const o: CaptureCliOptions = { list: false, verbose: false, iface: null, promisc: true, stop: {}, ring: {}, write: null, display: null, quiet: false };
  const need = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new CaptureUsageError(`option ${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case '-D': case '--list-interfaces': o.list = true; break;
      case '-v': o.verbose = true; break;
      case '-i': o.iface = need(i, a); i++; break;
      case '-f': o.filter = need(i, a); i++; break;
      case '-s': {
        const v = need(i, a); i++;
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 262144) throw new CaptureUsageError(`invalid snapshot length "${v}" (0 to 262144)`);
        o.snaplen = n;
        break;
      }
      case '-p': o.promisc = false; break;
      case '-B': o.bufferMB = positiveInt(need(i, a), 'buffer size'); i++; break;
      case '-c': o.count = positiveInt(need(i, a), '-c packet count'); i++; break;
      case '-a': {
        const [k, v] = condition(need(i, a), false); i++;
        if (k === 'duration') o.stop.durationSec = v;
        else if (k === 'filesize') o.stop.filesizeKB = v;
        else o.stop.files = v;
        break;
      }
      case '-b': {
        const [k, v] = condition(need(i, a), true); i++;
        if (k === 'duration') o.ring.durationSec = v;
        else if (k === 'filesize') o.ring.filesizeKB = v;
        else o.ring.files = v;
        break;
      }
      case '-w': o.write = need(i, a); i++; break;
      case '-Y': o.display = need(i, a); i++; break;
      case '-q': o.quiet = true; break;
      case '-n': case '-l': break;
      case '-h': case '--help': throw new CaptureUsageError(CAPTURE_USAGE);
      default:
        throw new CaptureUsageError(`unknown capture option "${a}" (pktscope -i X -h lists them)`);
    }
  }
  if (!o.list && o.iface === null) throw new CaptureUsageError('no interface given (use -i IFACE; pktscope -D lists them)');
  const ringOn = o.ring.filesizeKB !== undefined || o.ring.durationSec !== undefined || o.ring.files !== undefined;
  if (ringOn && o.write === null) throw new CaptureUsageError('a ring buffer (-b) needs an output file (-w FILE)');
  if (o.ring.files !== undefined && o.ring.filesizeKB === undefined && o.ring.durationSec === undefined) throw new CaptureUsageError('-b files:N needs -b filesize:KB or -b duration:S too (dumpcap: the ring buffer needs a switch condition)');
  if (o.stop.files !== undefined && !ringOn) throw new CaptureUsageError('-a files:N needs a ring buffer (-b)');
  if (o.write === '-') throw new CaptureUsageError('writing to standard output (-w -) is not supported; give a file name');
  return o;
}

function flagsOf(i: InterfaceInfo): string {
  const f: string[] = [];
  if (i.loopback) f.push('Loopback');
  f.push(i.up ? 'Up' : 'Down');
  if (i.running) f.push('Running');
  if (i.wireless) f.push('Wireless');
  if (i.connection === 'connected') f.push('Connected');
  else if (i.connection === 'disconnected') f.push('Disconnected');
  return f.join(', ');
}

/** `pktscope -D`: tshark's numbered list, with the flags and addresses. */
export function formatInterfaceList(list: readonly InterfaceInfo[]): string {
  return list
    .map((i, n) => {
      const addrs = i.addresses.map((a) => a.addr).join(', ');
      return `${n + 1}. ${i.name}` + (i.description ? ` (${i.description})` : '') + ` [${flagsOf(i)}]` + (addrs ? ` ${addrs}` : '');
    })
    .join('\n');
}

/** Prints the summary lines of packets appended to a live capture's file. */
class LivePrinter {
  private reader: CaptureFileReader | null = null;
  private readonly registry = defaultRegistry();
  private readonly session = new Session();
  private first: bigint | null = null;
  private n = 0;
  shown = 0;

  constructor(
    private readonly file: string,
    private readonly out: Output,
    private readonly filter: DisplayFilter | null,
    private readonly limit: number,
  ) {}

  /** Reads what was appended since the last call; `final`: the file is complete. */
  poll(final = false): void {
    if (!this.reader) {
      try {
        this.reader = new CaptureFileReader(this.file);
      } catch {
        return; // not created yet
      }
      this.reader.follow = true;
    }
    const r = this.reader;
    if (final) r.follow = false;
    const lines: string[] = [];
    for (let rec = r.next(); rec && this.n < this.limit; rec = r.next()) {
      this.n++;
      const iface = r.parser.interfaces[rec.interfaceId];
      const frame = { number: this.n, linkType: rec.linkType, tsSec: rec.tsSec, tsNsec: rec.tsNsec, caplen: rec.caplen, origlen: rec.origlen, interfaceId: iface?.localId ?? 0 };
      const d = dissectFrame(this.registry, this.session, frame, rec.data, { tree: this.filter !== null, ...(iface?.name ? { interfaceName: iface.name } : {}) });
      const t = frameTimeNs(d.frame);
      this.first ??= t;
      if (this.filter && !this.filter.match(d)) continue;
      this.shown++;
      const digits = iface && iface.unitsPerSecond > 1e6 ? 9 : 6;
      lines.push(summaryLine(d, { time: relativeTime(t - this.first, digits) }));
    }
    if (lines.length) this.out.write(lines.join('\n') + '\n');
    if (final) r.close();
  }
}

function reportError(e: unknown, out: Output): number {
  if (e instanceof CaptureError) {
    out.error(`pktscope: ${e.message}`);
    if (e.hint) out.error(e.hint);
    return e.code === 'privilege' || e.code === 'no-such-device' || e.code === 'filter' ? 2 : 1;
  }
  throw e;
}

function finalCounts(stats: CaptureStats, iface: string, out: Output): void {
  out.error(`${stats.packets} packet${stats.packets === 1 ? '' : 's'} captured`);
  if (stats.dropsKnown === false) {
    out.error(`Packets dropped: unknown (the cap backend has no drop counters)`);
  } else {
    const dropped = stats.dropped + stats.ifDropped;
    out.error(`${dropped} packet${dropped === 1 ? '' : 's'} dropped from ${iface} (ps_drop ${stats.dropped}, ps_ifdrop ${stats.ifDropped})`);
  }
}

/** Runs `pktscope -D` or `pktscope -i ...`; resolves with the exit code. */
export async function runCapture(argv: readonly string[], out: Output): Promise<number> {
  let o: CaptureCliOptions;
  try {
    o = parseCaptureArgs(argv);
  } catch (e) {
    if (e instanceof CaptureUsageError) {
      const usage = e.message.startsWith('Usage:');
      out.error(usage ? e.message : `pktscope: ${e.message}`);
      return usage ? 0 : 2;
    }
    throw e;
  }
  if (o.list) {
    const list = await listInterfaces();
    if (list.length === 0) {
      out.error('pktscope: There are no interfaces on which a capture can be done.');
      return 2;
    }
    out.write(formatInterfaceList(list) + '\n');
    if (o.verbose) out.error(`Capture backend: ${captureBackend().backend ?? 'none'} (${captureBackend().reason})`);
    return 0;
  }

  let display: DisplayFilter | null = null;
  if (o.display !== null) {
    try {
      display = compileFilter(o.display);
    } catch (e) {
      if (e instanceof FilterError) {
        out.error(formatFilterError(o.display, e, 'pktscope: '));
        return 2;
      }
      throw e;
    }
  }

  // -i 2: the second interface of -D, as tshark allows (unless an interface is named "2").
  let iface = o.iface!;
  if (/^\d+$/.test(iface)) {
    const list = await listInterfaces();
    if (!list.some((i) => i.name === iface)) {
      const byIndex = list[Number(iface) - 1];
      if (!byIndex) {
        out.error(`pktscope: There is no interface number ${iface}; 'pktscope -D' lists ${list.length}.`);
        return 2;
      }
      iface = byIndex.name;
    }
  }

  const tmp = o.write === null ? mkdtempSync(join(tmpdir(), 'pktscope-live-')) : null;
  const output = o.write ?? join(tmp!, 'live.pcapng');
  const opts: CaptureOptions = {
    iface,
    output,
    ...(o.filter !== undefined ? { filter: o.filter } : {}),
    ...(o.snaplen !== undefined ? { snaplen: o.snaplen } : {}),
    promisc: o.promisc,
    ...(o.bufferMB !== undefined ? { bufferMB: o.bufferMB } : {}),
  };
  const stop = { ...(o.count ? { packets: o.count } : {}), ...o.stop };
  if (Object.keys(stop).length) opts.stop = stop;
  if (o.ring.filesizeKB || o.ring.files || o.ring.durationSec) opts.ring = { ...o.ring };
  let session;
  try {
    session = await startCapture(opts);
  } catch (e) {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    return reportError(e, out);
  }
  out.error(`Capturing on '${iface}'`);
  let failed = false;
  session.on((e) => {
    if (e.type === 'started' && e.warnings) for (const w of e.warnings) out.error(`pktscope: warning: ${w}`);
    if (e.type === 'error') {
      failed = true;
      out.error(`pktscope: ${e.message}`);
      if (e.hint) out.error(e.hint);
    }
  });
  const onSignal = () => void session.stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const printer = o.write === null && !o.quiet ? new LivePrinter(output, out, display, o.count ?? Infinity) : null;
  const timer = printer ? setInterval(() => printer.poll(), 100) : null;
  let stats: CaptureStats;
  try {
    stats = await session.done;
  } finally {
    if (timer) clearInterval(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
  printer?.poll(true);
  finalCounts(stats, iface, out);
  if (o.write !== null && stats.files.length > 1) out.error(`Files: ${stats.files.join(' ')}`);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  return failed ? 1 : 0;
}
