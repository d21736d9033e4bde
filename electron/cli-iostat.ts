// `pktscope -q -z io,stat,INTERVAL[,COLUMN...]`: tshark 4.0's I/O statistics table, byte for byte.
//
// A COLUMN is a display filter (frames and bytes of the matching packets; empty = all packets),
// FRAMES / BYTES (optionally FRAMES()FILTER), or an aggregate over a field of the matching packets:
// COUNT(field)FILTER, SUM, MIN, MAX, AVG (integer, float and relative-time fields) and LOAD
// (relative-time fields). INTERVAL is in seconds; 0 (or more than the capture lasts) makes one
// row for the whole capture.
//
// tshark's behaviour kept on purpose (the goldens in fixtures/goldens/iostat show it):
//  - packet times are microseconds after the first packet, rounded ((nsecs + 500) / 1000); an
//    interval never goes back: a packet earlier than its column's current interval counts there;
//    a packet before the first one takes the time of the last packet counted;
//  - a field's values exist only when some column's filter names the field (tshark fakes every
//    other tree item), so SUM(tcp.len)tcp counts nothing while SUM(tcp.len)tcp.len does;
//  - MIN takes the first value of an interval only from the interval's first packet;
//  - column widths come from the largest value each column held while counting;
//  - the duration, interval and row times are rounded to the interval's precision, the last row
//    ends at the (rounded) duration ("Dur" for whole-second intervals).

import { CaptureEngine } from './engine/engine.ts';
import { filterMatches } from './engine/io-graph.ts';
import { frameInfoOf, MergedReader } from './engine/merge.ts';
import { defaultRegistry, dissectFrame, Session } from '../decoders/index.ts';
import { findFields } from '../decoders/core/fields.ts';
import type { FieldDef, FieldNode } from '../decoders/core/types.ts';
import { compileFilter, FilterError, type DisplayFilter } from '../decoders/filter/index.ts';

export class IoStatUsageError extends Error {}

type Calc = 'FRAMES' | 'BYTES' | 'FRAMES BYTES' | 'COUNT' | 'SUM' | 'MIN' | 'MAX' | 'AVG' | 'LOAD';
const CALCS: readonly Calc[] = ['FRAMES', 'BYTES', 'FRAMES BYTES', 'COUNT', 'SUM', 'MIN', 'MAX', 'AVG', 'LOAD'];

type Kind = 'uint' | 'int' | 'float' | 'double' | 'reltime' | 'other';

export interface IoStatColumn {
  /** The column as written (trimmed); null = an empty column (all frames and bytes). */
  text: string | null;
  calc: Calc;
  /** The display filter the column counts ('' = every packet). */
  filter: string;
  /** The aggregated field (COUNT .. LOAD). */
  field?: FieldDef;
  kind: Kind;
}

export interface IoStatSpec {
  /** Microseconds; Infinity = the whole capture (interval 0). */
  intervalUs: number;
  /** Decimal places of the interval as the user wrote it. */
  prec: number;
  columns: IoStatColumn[];
}

const USAGE = 'invalid "-z io,stat,<interval>[,<filter>][,<filter>]..." argument';

function kindOf(def: FieldDef): Kind {
  switch (def.type) {
    case 'uint8': case 'uint16': case 'uint24': case 'uint32': case 'uint64': return 'uint';
    case 'int8': case 'int16': case 'int32': case 'int64': return 'int';
    case 'float': return 'float';
    case 'double': return 'double';
    case 'rel_time': return 'reltime';
    default: return 'other';
  }
}

/** Parses `io,stat,INTERVAL[,COLUMN...]` (throws IoStatUsageError with tshark's wording). */
export function parseIoStat(arg: string, registry = defaultRegistry()): IoStatSpec {
  const m = /^io,stat,([0-9]*\.?[0-9]*)(?:,([\s\S]*))?$/.exec(arg);
  if (!m || !/[0-9]/.test(m[1]!) || m[2] === '') throw new IoStatUsageError(USAGE);
  const text = m[1]!;
  const seconds = Number(text);
  let intervalUs = Math.floor(seconds * 1e6 + 0.5);
  if (seconds !== 0 && intervalUs < 1) throw new IoStatUsageError('"-z" interval must be >=0.000001 seconds or "0" for the entire capture duration.');
  let prec = 6;
  for (let i = 10; i < 10_000_000; i *= 10) {
    if (intervalUs % i > 0) break;
    prec--;
  }
  // A whole number of seconds written with decimals ("1.00") keeps them in the table.
  const dot = text.indexOf('.');
  if (prec === 0 && dot >= 0 && text.length - dot - 1 > 0) prec = Math.min(text.length - dot - 1, 6);
  if (seconds === 0) intervalUs = Infinity;
  // tshark splits the columns on every comma (a filter cannot hold one) and trims each.
  const parts = m[2] === undefined ? [''] : m[2].split(',');
  const columns = parts.map((p) => parseColumn(p.trim(), registry));
  for (const c of columns) {
    try {
      compileFilter(c.filter, registry);
    } catch (e) {
      if (e instanceof FilterError) throw new IoStatUsageError(`Couldn't register io,stat tap: ${e.message}`);
      throw e;
    }
  }
  return { intervalUs, prec, columns };
}

function parseColumn(text: string, registry: ReturnType<typeof defaultRegistry>): IoStatColumn {
  if (text === '') return { text: null, calc: 'FRAMES BYTES', filter: '', kind: 'other' };
  for (const calc of CALCS) {
    if (!text.startsWith(calc)) continue;
    const rest = text.slice(calc.length);
    if (rest === '' && (calc === 'FRAMES' || calc === 'BYTES')) return { text, calc, filter: '', kind: 'other' };
    if (!rest.startsWith('(')) continue;
    const close = rest.indexOf(')');
    if (close < 0) throw new IoStatUsageError('Closing parenthesis missing from calculated expression.');
    const name = rest.slice(1, close);
    const filter = rest.slice(close + 1).trim();
    if (calc === 'FRAMES' || calc === 'BYTES') {
      if (name !== '') throw new IoStatUsageError(`${calc} does not require or allow a field name within the parens.`);
      return { text, calc, filter, kind: 'other' };
    }
    if (name === '') throw new IoStatUsageError(`You didn't specify a field name for ${calc}(*).`);
    const field = registry.field(name);
    if (!field) throw new IoStatUsageError(`There is no field named '${name}'.`);
    const kind = kindOf(field);
    if ((kind === 'float' || kind === 'double') && calc === 'LOAD') throw new IoStatUsageError(`${name} is a float field, so ${calc}(*) calculations are not supported on it.`);
    if (kind === 'other' && calc !== 'COUNT') throw new IoStatUsageError(`${name} doesn't have integral values, so ${calc}(*) calculations are not supported on it.`);
    if ((kind === 'uint' || kind === 'int') && calc === 'LOAD') throw new IoStatUsageError('LOAD() is only supported for relative-time fields such as smb.time');
    return { text, calc, filter, field, kind };
  }
  return { text, calc: 'FRAMES BYTES', filter: text, kind: 'other' };
}

/** One interval of one column, as tshark's io_stat_item_t. */
interface Item {
  frames: number;
  num: number;
  counter: bigint;
  fcounter: number;
}

const newItem = (): Item => ({ frames: 0, num: 0, counter: 0n, fcounter: 0 });
const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const NS = 1_000_000_000n;

class ColumnState {
  readonly items: Item[] = [newItem()];
  maxFrame = 0;
  maxVal = 0n;
  constructor(readonly col: IoStatColumn, readonly intervalUs: number) {}

  /** One matching packet at `relUs` with frame length `len` and the field's values (null = none). */
  add(relUs: number, len: number, values: readonly FieldNode[] | null): void {
    const iv = this.intervalUs;
    let k = this.items.length - 1;
    if (iv !== Infinity) while (relUs >= (k + 1) * iv) {
      this.items.push(newItem());
      k++;
    }
    const it = this.items[k]!;
    it.frames++;
    const { calc, kind } = this.col;
    if (calc === 'FRAMES' || calc === 'BYTES' || calc === 'FRAMES BYTES') it.counter += BigInt(len);
    else if (calc === 'COUNT') it.counter += BigInt(values?.length ?? 0);
    else if (values) {
      values.forEach((n, i) => {
        const v = n.value;
        if (kind === 'float' || kind === 'double') {
          const x = kind === 'float' ? Math.fround(Number(v)) : Number(v);
          const first = it.frames === 1 && i === 0;
          if (calc === 'SUM' || calc === 'AVG') it.fcounter = kind === 'float' ? Math.fround(it.fcounter + x) : it.fcounter + x;
          else if (calc === 'MIN') { if (first || x < it.fcounter) it.fcounter = x; }
          else if (calc === 'MAX') { if (x > it.fcounter) it.fcounter = x; }
          if (calc === 'AVG') it.num++;
          return;
        }
        const x = typeof v === 'bigint' ? v : BigInt(typeof v === 'boolean' ? Number(v) : (v as number));
        const first = it.frames === 1 && i === 0;
        switch (calc) {
          case 'SUM': it.counter = U64(it.counter + x); break;
          case 'AVG': it.num++; it.counter = U64(it.counter + x); break;
          case 'MIN':
            if (first || (kind === 'int' ? x < BigInt.asIntN(64, it.counter) : U64(x) < it.counter)) it.counter = U64(x);
            break;
          case 'MAX':
            if (kind === 'int' ? x > BigInt.asIntN(64, it.counter) : U64(x) > it.counter) it.counter = U64(x);
            break;
          case 'LOAD': this.load(k, x);
        }
      });
    }
    // The width of the column follows the largest value seen while counting.
    switch (calc) {
      case 'FRAMES':
        this.maxFrame = Math.max(this.maxFrame, it.frames);
        break;
      case 'FRAMES BYTES':
        this.maxFrame = Math.max(this.maxFrame, it.frames);
        this.maxVal = max(this.maxVal, it.counter);
        break;
      case 'BYTES': case 'COUNT': case 'LOAD':
        this.maxVal = max(this.maxVal, it.counter);
        break;
      case 'SUM': case 'MIN': case 'MAX':
        this.maxVal = max(this.maxVal, kind === 'float' || kind === 'double' ? toU64(it.fcounter + 0.5) : it.counter);
        break;
      case 'AVG':
        if (it.num === 0) break;
        if (kind === 'float' || kind === 'double') this.maxVal = max(this.maxVal, toU64(it.fcounter) / BigInt(it.num));
        else if (kind === 'reltime') this.maxVal = max(this.maxVal, (it.counter / BigInt(it.num) + 500_000_000n) / NS);
        else this.maxVal = max(this.maxVal, it.counter / BigInt(it.num));
    }
  }

  /** LOAD: a response time spreads over the intervals it covers, back from the current one. */
  private load(k: number, ns: bigint): void {
    const iv = this.intervalUs === Infinity ? 2n ** 64n - 1n : BigInt(this.intervalUs);
    let val = ns / 1000n;
    const tival = val % iv;
    this.items[k]!.counter += tival;
    val -= tival;
    // The first interval's "previous" is the latest one, as in tshark's list.
    let p = k === 0 ? this.items.length - 1 : k - 1;
    for (let guard = 0; val > 0n && guard < 10_000_000; guard++) {
      if (val < iv) {
        this.items[p]!.counter += val;
        break;
      }
      this.items[p]!.counter += iv;
      val -= iv;
      p = p === 0 ? this.items.length - 1 : p - 1;
    }
  }
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
function toU64(x: number): bigint {
  return x <= 0 || !Number.isFinite(x) ? 0n : BigInt(Math.floor(x));
}

/** Decimal digits of `val`, at most `maxW` (tshark's magnitude()). */
function magnitude(val: bigint | number, maxW: number): number {
  let v = BigInt(val);
  let mag = 0;
  for (let i = 0; i < maxW; i++) {
    mag++;
    v /= 10n;
    if (v === 0n) break;
  }
  return mag;
}

const sp = (n: number): string => ' '.repeat(Math.max(0, n));
const rpad = (s: string | number | bigint, w: number): string => String(s).padStart(w);
const zpad = (s: string | number | bigint, w: number): string => String(s).padStart(w, '0');

/** tshark's printcenter(): a label centred over a column of `lenval` characters. */
function center(label: string, lenval: number): string {
  const lenlab = label.length;
  const len = 6 - (Math.trunc((lenval - lenlab) / 2) + 1);
  if (len > 0 && len < 6) {
    const s = sp(6 - len);
    return (lenval - lenlab) % 2 === 0 ? `${s}${label}${s}|` : ` ${s}${label}${s}|`;
  }
  if (len > 0 && len <= 15) return `${label}|`;
  return '';
}

interface ColFmt {
  fr: number;
  val: number;
  cell: (it: Item | undefined, lastRow: boolean, t: number, end: number) => string;
}

/** Formats the table from the per-column intervals (tshark's iostat_draw). */
export function formatIoStat(spec: IoStatSpec, cols: readonly ColumnState[], durationUsIn: number): string {
  let duration = durationUsIn;
  let interval: number;
  let whole = spec.intervalUs === Infinity;
  if (spec.intervalUs > duration) {
    interval = duration;
    whole = true;
  } else interval = spec.intervalUs;
  const durSecsOrig = Math.floor(duration / 1e6);
  const durUsecsOrig = duration % 1e6;
  let durMag = magnitude(durSecsOrig, 5);
  const durMagS = durMag;
  const invlMag = magnitude(Math.floor(interval / 1e6), 5);
  let prec: number;
  let borderlen: number;
  if (interval === duration) {
    prec = durMag >= 2 ? 1 : durMag === 1 ? 3 : 6;
    borderlen = 30 + durMag + (prec === 0 ? 0 : prec + 1);
  } else {
    prec = spec.prec;
    borderlen = 25 + Math.max(invlMag, durMag) + (prec === 0 ? 0 : prec + 1);
  }
  const dv = 10 ** (6 - prec);
  if (duration % dv > 5 * (dv / 10)) {
    duration += 5 * (dv / 10);
    duration = Math.floor(duration / dv) * dv;
    durMag = magnitude(Math.floor(duration / 1e6), 5);
  }
  if (whole) interval = duration;
  let invlColW = prec === 0 ? 2 * durMag + 8 : 2 * durMag + 2 * prec + 10;
  invlColW = Math.max(invlColW, 12);
  borderlen = Math.max(borderlen, invlColW);

  const ivBig = BigInt(interval);
  const fmts: ColFmt[] = [];
  let tabrowW = invlColW;
  for (const c of cols) {
    const { calc, kind } = c.col;
    const namelen = calc === 'FRAMES BYTES' ? 5 : calc.length;
    if (calc === 'FRAMES' || calc === 'FRAMES BYTES') {
      const fr = Math.max(6, magnitude(c.maxFrame, 15));
      tabrowW += fr + 3;
      if (calc === 'FRAMES') {
        fmts.push({ fr, val: 0, cell: (it) => ` ${rpad(it?.frames ?? 0, fr)} |` });
      } else {
        const val = Math.max(5, magnitude(c.maxVal, 15));
        tabrowW += val + 3;
        fmts.push({ fr, val, cell: (it) => ` ${rpad(it?.frames ?? 0, fr)} | ${rpad(it?.counter ?? 0n, val)} |` });
      }
      continue;
    }
    let f: ColFmt;
    if (calc === 'BYTES' || calc === 'COUNT') {
      const val = Math.max(5, magnitude(c.maxVal, 15));
      f = { fr: 0, val, cell: (it) => ` ${rpad(it?.counter ?? 0n, val)} |` };
    } else if (kind === 'float' || kind === 'double') {
      const mag = magnitude(c.maxVal, 15);
      f = {
        fr: 0,
        val: mag + 7,
        cell: (it) => {
          const x = it ? (calc === 'AVG' ? it.fcounter / (it.num || 1) : it.fcounter) : 0;
          return ` ${rpad(x.toFixed(6), mag)} |`;
        },
      };
    } else if (kind === 'reltime') {
      let mv = c.maxVal;
      if (calc === 'LOAD') mv = ivBig === 0n ? 0n : mv / ivBig;
      else if (calc !== 'AVG') mv = (mv + 500_000_000n) / NS;
      const mag = magnitude(mv, 15);
      const secUs = (us: bigint): string => ` ${rpad(us / 1_000_000n, mag)}.${zpad(us % 1_000_000n, 6)} |`;
      f = {
        fr: 0,
        val: mag + 7,
        cell: (it, lastRow, t, end) => {
          if (!it) return ` ${rpad(0, mag)}.000000 |`;
          if (calc === 'LOAD') {
            const d = lastRow ? BigInt(end - t) : ivBig;
            if (d === 0n) return ` ${rpad(0, mag)}.000000 |`;
            return ` ${rpad(it.counter / d, mag)}.${zpad((it.counter % d) * 1_000_000n / d, 6)} |`;
          }
          const ns = calc === 'AVG' ? it.counter / BigInt(it.num || 1) : it.counter;
          return secUs((ns + 500n) / 1000n);
        },
      };
    } else {
      const val = Math.max(namelen, magnitude(c.maxVal, 15));
      const show = (v: bigint): bigint => (kind === 'int' ? BigInt.asIntN(64, v) : v);
      f = {
        fr: 0,
        val,
        cell: (it) => {
          if (!it) return ` ${rpad(0, val)} |`;
          const v = calc === 'AVG' ? it.counter / BigInt(it.num || 1) : it.counter;
          return ` ${rpad(show(v), val)} |`;
        },
      };
    }
    fmts.push(f);
    tabrowW += f.val + 3;
  }
  borderlen = Math.max(borderlen, tabrowW);
  let maxFltrW = 0;
  for (const c of cols) maxFltrW = Math.max(maxFltrW, c.col.text === null ? 26 : c.col.text.length + 11);
  if (maxFltrW > borderlen && borderlen < 102) borderlen = Math.min(maxFltrW, 102);
  if (borderlen - tabrowW === 1) borderlen++;

  const out: string[] = [];
  out.push('\n' + '='.repeat(borderlen) + '\n');
  out.push(`| IO Statistics${sp(borderlen - 16)}|\n`);
  out.push(`|${sp(borderlen - 2)}|\n`);
  const invl = (us: number): string => (prec === 0 ? rpad(Math.floor(us / 1e6), durMagS) : `${rpad(Math.floor(us / 1e6), durMagS)}.${zpad(Math.floor((us % 1e6) / dv), prec)}`);
  if (prec === 0) {
    out.push(`| Duration: ${rpad(durSecsOrig, durMagS)}.${rpad(durUsecsOrig, 6)} secs${sp(borderlen - 25 - durMag)}|\n`);
    out.push(`| Interval: ${rpad(Math.floor(interval / 1e6), durMagS)} secs${sp(borderlen - 18 - durMag)}|\n`);
  } else {
    out.push(`| Duration: ${invl(duration)} secs${sp(borderlen - 19 - durMag - prec)}|\n`);
    out.push(`| Interval: ${invl(interval)} secs${sp(borderlen - 19 - durMag - prec)}|\n`);
  }
  out.push(`|${sp(borderlen - 2)}|\n`);
  cols.forEach((c, j) => {
    let line = j === 0 ? `| Col${rpad(j + 1, 2)}: ` : `|    ${rpad(j + 1, 2)}: `;
    if (c.col.text === null) {
      out.push(`${line}Frames and bytes${sp(borderlen - 26)}|\n`);
      return;
    }
    let filter = c.col.text;
    if (filter.length + 11 <= borderlen) {
      out.push(`${line}${filter}${sp(borderlen - filter.length - 10)}|\n`);
      return;
    }
    const maxW = borderlen - 11;
    for (;;) {
      if (filter.length > maxW) {
        const s1 = filter.slice(0, maxW);
        const pos = s1.lastIndexOf(' ');
        const len = pos >= 0 ? pos : s1.length;
        const next = pos >= 0 ? pos + 1 : len;
        out.push(`${line}${s1.slice(0, len)}${sp(borderlen - len - 10)}|\n`);
        line = '|        ';
        filter = filter.slice(next);
      } else {
        out.push(`${line}${filter}${sp(borderlen - filter.length - 10)}|\n`);
        break;
      }
    }
  });
  out.push(`|-${'-'.repeat(borderlen - 3)}|\n`);
  const filler = tabrowW < borderlen ? `${sp(borderlen - tabrowW - 1)}|` : '';
  let head = `|${sp(invlColW - 2)}|`;
  cols.forEach((c, j) => {
    const f = fmts[j]!;
    const w = c.col.calc === 'FRAMES BYTES' ? f.fr + f.val + 3 : c.col.calc === 'FRAMES' ? f.fr : f.val;
    head += `${String(j + 1).padEnd(2)}${sp(w)}|`;
  });
  out.push(head + filler + '\n');
  let labels = `| Interval${sp(invlColW - 11)}|`;
  cols.forEach((c, j) => {
    const f = fmts[j]!;
    const calc = c.col.calc;
    if (calc === 'FRAMES') labels += center('FRAMES', f.fr);
    else if (calc === 'FRAMES BYTES') labels += center('Frames', f.fr) + center('Bytes', f.val);
    else labels += center(calc, f.val);
  });
  out.push(labels + filler + '\n');
  out.push(`|-${'-'.repeat(tabrowW - 3)}|${filler}\n`);

  const rows = interval === 0 || duration === 0 ? 0 : Math.ceil(duration / interval);
  const twoSided = prec === 0 && durMag === 1;
  for (let i = 0; i < rows; i++) {
    const last = i === rows - 1;
    const t = i * interval;
    const end = last ? duration : t + interval;
    let line: string;
    if (prec === 0 && last) {
      const maxw = durMag >= 3 ? durMag + 1 : 3;
      line = `${twoSided ? '|  ' : '| '}${invl(t)} <> ${'Dur'.padEnd(maxw)}|`;
    } else if (twoSided) line = `|  ${invl(t)} <> ${invl(end)}  |`;
    else line = `| ${invl(t)} <> ${invl(end)} |`;
    cols.forEach((c, j) => {
      line += fmts[j]!.cell(c.items[i], last, t, end);
    });
    out.push(line + filler + '\n');
  }
  out.push('='.repeat(borderlen) + '\n');
  return out.join('');
}

/** Microseconds after the first packet, tshark's rounding. */
function relUsOf(secDiff: number, nsecDiff: number): number {
  let s = secDiff;
  let ns = nsecDiff;
  if (s > 0 && ns < 0) { s--; ns += 1e9; }
  else if (s < 0 && ns > 0) { s++; ns -= 1e9; }
  if (s < 0 || ns < 0) return -1;
  return s * 1e6 + Math.floor((ns + 500) / 1000);
}

/** Computes `-z io,stat,...` over the capture and returns tshark's text. */
export async function ioStatText(engine: CaptureEngine, files: readonly string[], spec: IoStatSpec): Promise<string> {
  await engine.indexed;
  const ix = engine.index;
  const n = ix.count;
  const registry = defaultRegistry();
  // Per column: the packets it counts (null = all) and, for aggregates, the field values.
  const matches: (Int32Array | null)[] = [];
  const values: (Map<number, FieldNode[]> | null)[] = [];
  const aggregates = spec.columns.map((c, j) => (c.field ? j : -1)).filter((j) => j >= 0);
  const compiled: DisplayFilter[] = [];
  for (const c of spec.columns) {
    try {
      compiled.push(compileFilter(c.filter, registry));
    } catch (e) {
      if (e instanceof FilterError) throw new IoStatUsageError(`Couldn't register io,stat tap: ${e.message}`);
      throw e;
    }
  }
  // tshark builds only the tree items some column's filter names.
  const primed = new Set<string>(compiled.flatMap((f) => f.fields));
  for (let j = 0; j < spec.columns.length; j++) {
    values.push(null);
    matches.push(spec.columns[j]!.field ? new Int32Array(0) : await filterMatches(engine, spec.columns[j]!.filter));
  }
  if (aggregates.length) {
    const hits = aggregates.map(() => [] as number[]);
    for (const j of aggregates) values[j] = new Map();
    const reader = new MergedReader(files);
    const session = new Session();
    let k = 0;
    try {
      for (let m = reader.next(); m; m = reader.next(), k++) {
        const d = dissectFrame(registry, session, frameInfoOf(m, k + 1), m.rec.data);
        aggregates.forEach((j, a) => {
          if (!compiled[j]!.match(d)) return;
          hits[a]!.push(k);
          const col = spec.columns[j]!;
          const def = col.field!;
          if (def.type === 'protocol' || primed.has(def.abbrev)) values[j]!.set(k, findFields(d.tree, def.abbrev));
        });
      }
    } finally {
      reader.close();
    }
    aggregates.forEach((j, a) => (matches[j] = Int32Array.from(hits[a]!)));
  }
  // Packet times, as tshark's taps see them: a packet before the first one takes the time of
  // the last packet some column counted.
  const rel = new Float64Array(n);
  let durationUs = 0;
  if (n > 0) {
    const counted = new Uint8Array(n);
    for (const m of matches) {
      if (m) for (const i of m) counted[i] = 1;
      else counted.fill(1);
    }
    let lastRel = 0;
    let maxS = 0;
    let maxN = 0;
    for (let i = 0; i < n; i++) {
      const ds = ix.tsSec[i]! - ix.tsSec[0]!;
      const dn = ix.tsNsec[i]! - ix.tsNsec[0]!;
      const us = relUsOf(ds, dn);
      // Normalised to 0 <= nsecs < 1e9 (a later packet only matters when it is after the first).
      const s = dn < 0 ? ds - 1 : ds;
      const nn = dn < 0 ? dn + 1e9 : dn;
      if (s > maxS || (s === maxS && nn > maxN)) {
        maxS = s;
        maxN = nn;
      }
      if (us >= 0) {
        rel[i] = us;
        if (counted[i]) lastRel = us;
      } else rel[i] = lastRel;
    }
    // cfile.elapsed_time: the latest packet after the first, in microseconds rounded.
    durationUs = maxS * 1e6 + Math.floor((maxN + 500) / 1000);
  }
  const states = spec.columns.map((c, j) => {
    const st = new ColumnState(c, spec.intervalUs);
    const m = matches[j];
    const each = (i: number): void => {
      const v = values[j];
      st.add(rel[i]!, ix.origlenOf(i), v ? (v.get(i) ?? null) : null);
    };
    if (m) for (const i of m) each(i);
    else for (let i = 0; i < n; i++) each(i);
    return st;
  });
  return formatIoStat(spec, states, durationUs);
}
