// `pktscope`: the tshark-compatible command line. Exit codes: 0 ok, 1 a file broke partway
// (what was read is printed first), 2 bad arguments or a file that cannot be read at all.

import { existsSync, statSync } from 'node:fs';
import { defaultRegistry, dissectFrame, Session } from '../decoders/index.ts';
import { findFields } from '../decoders/core/fields.ts';
import { formatFieldValue } from '../decoders/core/format.ts';
import { plainBytes, runSummaryParallel, summaryText, summaryThreads, timeDigits } from './summary-parallel.ts';
import { frameInfoOf, MergedReader, type MergedRecord } from './engine/merge.ts';
import { treeToJson } from './engine/tree-json.ts';
import type { Dissection } from '../decoders/core/types.ts';
import { compileFilter, FilterError, formatFilterError, type DisplayFilter } from '../decoders/filter/index.ts';
import { parseStat, runStats, StatsUsageError } from './cli-stats.ts';
import { DecodeAsError, parseDecodeAsArg, registryWithDecodeAs } from './engine/decode-as.ts';
import { NameResolver, NONE as NO_NAMES, parseNFlags, TSHARK_DEFAULT, type NameResolution } from './engine/names.ts';
import type { DecodeAsRule } from './ipc/contract.ts';

export class UsageError extends Error {}

export interface CliOptions {
  files: string[];
  output: 'summary' | 'fields' | 'json';
  fields: string[];
  header: boolean;
  separator: string;
  aggregator: string;
  quote: 'n' | 'd' | 's';
  count: number;
  filter: string | null;
  quiet: boolean;
  stats: string[];
  /** Decode As rules from -d (later ones win). */
  decodeAs: DecodeAsRule[];
  /** Name resolution: tshark's default (MAC names), -n none, -N flags. */
  names: NameResolution;
}

const USAGE = `Usage: pktscope -r FILE [-r FILE ...] [options]
  -r FILE              read packets from FILE (pcap or pcapng); several -r merge by time
  -Y FILTER            display filter
  -T fields|json|text  output format (default: one summary line per packet)
  -e FIELD             field to print with -T fields (repeatable)
  -E header=y|n        print field names first      -E separator=X  cell separator (default tab)
  -E aggregator=X      between occurrences (default ,)  -E quote=d|s|n  quote cells
  -c N                 stop after N packets
  -d TABLE==V,PROTO    decode as: e.g. -d udp.port==8472,vxlan -d tcp.port==8000-8010,http (repeatable)
  -n                   no name resolution (default: MAC vendor names, as tshark)
  -N FLAGS             name resolution flags: m = MAC, t = transport ports (n = network: no lookups)
  -q -z STAT           statistics (conv,tcp conv,udp io,phs expert follow,tcp,ascii,N ...)
  -D                   list the capture interfaces
  -i IFACE [-f BPF] [-s N] [-p] [-c N] [-a duration:S] [-b filesize:KB] [-w FILE]
                       live capture (pktscope -i X -h lists the capture options)
  serve [FILE...]      browser mode on 127.0.0.1
  -h, --help           this text`;

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = { files: [], output: 'summary', fields: [], header: false, separator: '\t', aggregator: ',', quote: 'n', count: Infinity, filter: null, quiet: false, stats: [], decodeAs: [], names: { ...TSHARK_DEFAULT } };
  const decodeAsArgs: string[] = [];
  const need = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`option ${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case '-r': o.files.push(need(i, a)); i++; break;
      case '-Y': o.filter = need(i, a); i++; break;
      case '-e': o.fields.push(need(i, a)); i++; break;
      case '-T': {
        const t = need(i, a); i++;
        if (t === 'fields') o.output = 'fields';
        else if (t === 'json') o.output = 'json';
        else if (t === 'text') o.output = 'summary';
        else throw new UsageError(`invalid -T output format "${t}" (fields, json or text)`);
        break;
      }
      case '-E': {
        const e = need(i, a); i++;
        const eq = e.indexOf('=');
        if (eq < 0) throw new UsageError(`invalid -E option "${e}"`);
        const k = e.slice(0, eq);
        const v = e.slice(eq + 1);
        if (k === 'header') o.header = v === 'y';
        else if (k === 'separator') o.separator = v === '/t' ? '\t' : v === '/s' ? ' ' : v;
        else if (k === 'aggregator') o.aggregator = v === '/t' ? '\t' : v === '/s' ? ' ' : v;
        else if (k === 'quote') o.quote = v === 'd' ? 'd' : v === 's' ? 's' : 'n';
        else if (k === 'occurrence' || k === 'bom') { /* accepted; all occurrences are printed */ }
        else throw new UsageError(`invalid -E option "${e}"`);
        break;
      }
      case '-c': {
        const n = Number(need(i, a)); i++;
        if (!Number.isInteger(n) || n <= 0) throw new UsageError(`invalid -c packet count "${argv[i]}"`);
        o.count = n;
        break;
      }
      case '-q': o.quiet = true; break;
      case '-z': o.stats.push(need(i, a)); i++; break;
      case '-n': o.names = { ...NO_NAMES }; break;
      case '-N':
        try {
          o.names = parseNFlags(need(i, a));
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        i++;
        break;
      case '-d': decodeAsArgs.push(need(i, a)); i++; break;
      case '-l': break; // output is line-buffered
      case '-h': case '--help': throw new UsageError(USAGE);
      default:
        if (a.startsWith('-r') && a.length > 2) { o.files.push(a.slice(2)); break; }
        throw new UsageError(`unknown option "${a}" (pktscope -h lists the options)`);
    }
  }
  if (o.files.length === 0) throw new UsageError('no capture file given (use -r FILE; pktscope -h lists the options)');
  if (o.output === 'fields' && o.fields.length === 0) throw new UsageError('-T fields needs at least one -e FIELD');
  const reg = defaultRegistry();
  for (const f of o.fields) if (!reg.field(f)) throw new UsageError(`Some fields aren't valid: ${f}`);
  for (const d of decodeAsArgs) {
    try {
      o.decodeAs.push(...parseDecodeAsArg(reg, d));
    } catch (e) {
      if (!(e instanceof DecodeAsError)) throw e;
      // tshark's shape: the reason, then the valid choices one per line.
      throw new UsageError([e.message, ...e.list.map((l) => (l.startsWith('\t') ? l : `pktscope: ${l}`))].join('\n'));
    }
  }
  return o;
}

function quoteCell(s: string, q: CliOptions['quote']): string {
  if (q === 'n') return s;
  const ch = q === 'd' ? '"' : "'";
  return ch + s + ch;
}

/** The interface name for the frame: pcapng interfaces without if_name are "unknown", as tshark shows them; pcap has none. */
function interfaceOpts(m: MergedRecord, reader: MergedReader): { interfaceName?: string } {
  if (m.iface?.name) return { interfaceName: m.iface.name };
  return reader.readers[m.file]?.parser.format === 'pcapng' ? { interfaceName: 'unknown' } : {};
}

/** Summary lines need no tree (Wireshark's NULL-tree fast path); the interface name only labels the frame's tree item. */
const SUMMARY_ONLY = { tree: false } as const;

export interface Output {
  write(s: string): void;
  error(s: string): void;
}

/** Runs the CLI; returns the exit code (a promise for -z statistics, which index first). */
export function run(argv: readonly string[], out: Output): number | Promise<number> {
  if (argv[0] === 'serve') return import('./server.ts').then((m) => m.runServe(argv.slice(1), out));
  if (argv.includes('-D') || argv.includes('-i') || argv.includes('--list-interfaces')) return import('./cli-capture.ts').then((m) => m.runCapture(argv, out));
  let o: CliOptions;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      out.error(e.message.startsWith('Usage:') ? e.message : `pktscope: ${e.message}`);
      return e.message.startsWith('Usage:') ? 0 : 2;
    }
    throw e;
  }
  let filter: DisplayFilter | null = null;
  try {
    if (o.filter !== null) filter = compileFilter(o.filter);
  } catch (e) {
    if (e instanceof FilterError) {
      out.error(formatFilterError(o.filter!, e, 'pktscope: '));
      return 2;
    }
    throw e;
  }
  for (const f of o.files) {
    if (f === '-') continue; // standard input
    if (!existsSync(f)) {
      out.error(`pktscope: The file "${f}" doesn't exist.`);
      return 2;
    }
    if (statSync(f).isDirectory()) {
      out.error(`pktscope: "${f}" is a directory, not a capture file.`);
      return 2;
    }
  }
  if (o.stats.length) {
    try {
      for (const z of o.stats) parseStat(z);
    } catch (e) {
      if (e instanceof StatsUsageError) {
        out.error(`pktscope: ${e.message}`);
        return 2;
      }
      throw e;
    }
    if (filter) {
      out.error('pktscope: -Y together with -z is not supported yet');
      return 2;
    }
    return runStats(o.files, o.stats, out);
  }
  let reader: MergedReader;
  try {
    reader = new MergedReader(o.files);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    out.error(`pktscope: The file "${err.path ?? o.files[0]}" could not be opened: ${err.code === 'EACCES' ? 'permission denied' : err.message}`);
    return 2;
  }
  if (o.output === 'summary' && !filter && !o.quiet) {
    // Plain summary lines of a big capture: on several cores, the same output (summary-parallel.ts).
    const threads = summaryThreads(o.files);
    if (threads >= 2) {
      reader.close();
      return runSummaryParallel(o.files, { count: o.count, decodeAs: o.decodeAs, names: o.names }, threads, out);
    }
  }
  const registry = o.decodeAs.length ? registryWithDecodeAs(defaultRegistry(), o.decodeAs) : defaultRegistry();
  const names = new NameResolver(o.names);
  const isEther = (field: string) => registry.field(field)?.type === 'ether';
  const session = new Session();
  session.singlePass = true; // every frame once, in order
  const treeNeeded = o.output !== 'summary' || filter !== null;
  let digits = -1;
  let firstSec: number | null = null;
  let firstNsec: number | null = null;
  let n = 0;
  let shown = 0;
  const lines: string[] = [];
  const flush = () => {
    if (lines.length) out.write(lines.join('\n') + '\n');
    lines.length = 0;
  };
  if (o.output === 'fields' && o.header) lines.push(o.fields.join(o.separator));
  if (o.output === 'json') out.write('[\n');
  try {
    for (let m = reader.next(); m && n < o.count; m = reader.next()) {
      const rec = m.rec;
      n++;
      const frame = frameInfoOf(m, n);
      // Plain summary lines need no tree: Wireshark's NULL-tree fast path.
      const d: Dissection = treeNeeded ? dissectFrame(registry, session, frame, rec.data, { ...interfaceOpts(m, reader), tree: true }) : dissectFrame(registry, session, frame, plainBytes(rec.data), SUMMARY_ONLY);
      // Frames keep their numbers (and times stay relative to the first frame); only matching ones are printed.
      firstSec ??= d.frame.tsSec;
      firstNsec ??= d.frame.tsNsec;
      if (filter && !filter.match(d)) continue;
      shown++;
      if (o.output === 'fields') {
        const cells = o.fields.map((f) => quoteCell(findFields(d.tree, f).map((x) => formatFieldValue(x.def, x.value)).join(o.aggregator), o.quote));
        lines.push(cells.join(o.separator));
      } else if (o.output === 'json') {
        out.write((shown > 1 ? ',\n' : '') + JSON.stringify(names.packet(treeToJson(d), isEther), null, 2));
      } else if (!o.quiet) {
        if (digits < 0) digits = timeDigits(reader);
        firstSec ??= d.frame.tsSec;
        firstNsec ??= d.frame.tsNsec;
        lines.push(summaryText(d, names, firstSec, firstNsec!, digits));
      }
      if (lines.length >= 256) flush();
    }
  } finally {
    flush();
    if (o.output === 'json') out.write('\n]\n');
    reader.close();
  }
  let code = 0;
  for (const r of reader.readers) {
    if (r.error) {
      out.error(`pktscope: "${r.path}": ${r.error.message}`);
      code = Math.max(code, r.headerRead ? 1 : 2);
    }
  }
  return code;
}
