// I/O graph: packets, bytes or bits per second per time interval, for up to IO_MAX_FILTERS (5)
// display filters at once (as Wireshark's Statistics > I/O Graphs and tshark -z io,stat).
//
// Intervals are counted from the capture's first packet, as tshark does: packet i falls in
// bucket floor((t_i - t_0) / interval). Bytes are frame lengths (frame.len). Each filter runs
// through the engine's FilterRun (index-column fast path, full decode only where needed); its
// matches are cached per engine and expression, so changing the interval or the metric does
// not filter again. For every bucket the first matching packet number is kept, so a click on
// the graph can go to that packet.

import { FilterError } from '../../decoders/filter/index.ts';
import { FilterRun, type FilterHost } from './filter-run.ts';
import { IO_MAX_FILTERS, IO_MAX_INTERVAL_MS, IO_MIN_INTERVAL_MS, type IoMetric, type WireIoGraph, type WireIoSeries } from '../ipc/contract.ts';

export type { IoMetric } from '../ipc/contract.ts';
/** A graph with more buckets than this is refused (pick a longer interval). */
export const MAX_IO_BUCKETS = 1_000_000;
/** The interval choices the UI offers (ms). */
export const IO_INTERVALS_MS: readonly number[] = [1, 10, 100, 1000, 10_000, 60_000, 600_000];

/** One filter's values (the contract's shape): '' = all packets. */
export type IoSeries = WireIoSeries;
export type IoGraph = WireIoGraph;

/** The engine parts the graph reads (CaptureEngine is one). */
export interface IoHost extends FilterHost {
  readonly indexed: Promise<unknown>;
}

/**
 * Wireshark-like automatic interval: the smallest choice giving at most ~250 buckets; for a
 * capture spanning longer than the longest choice allows (clocks reset, merged years apart),
 * a multiple of it that still does, so the graph stays a few hundred points.
 */
export function autoIntervalMs(durationSec: number): number {
  for (const ms of IO_INTERVALS_MS) if ((durationSec * 1000) / ms <= 250) return ms;
  const longest = IO_INTERVALS_MS[IO_INTERVALS_MS.length - 1]!;
  return Math.max(1, Math.ceil((durationSec * 1000) / 250 / longest)) * longest;
}

/** Nanoseconds of packet i after packet 0 (exact as a double up to ~104 days). */
function relNs(host: IoHost, i: number): number {
  const ix = host.index;
  return (ix.tsSec[i]! - ix.tsSec[0]!) * 1e9 + (ix.tsNsec[i]! - ix.tsNsec[0]!);
}

const matchCache = new WeakMap<object, Map<string, Int32Array>>();
const CACHE_PER_ENGINE = 16;

/** Packet indexes (0-based, ascending) matching `expr` over the whole capture; null = all. */
export async function filterMatches(host: IoHost, expr: string): Promise<Int32Array | null> {
  const text = expr.trim();
  if (text === '') return null;
  let cache = matchCache.get(host);
  if (!cache) matchCache.set(host, (cache = new Map()));
  const hit = cache.get(text);
  if (hit) return hit;
  const run = new FilterRun(host, text);
  const res = await run.done;
  if (res.cancelled) throw new Error('filter cancelled');
  const m = run.matches.slice();
  cache.set(text, m);
  if (cache.size > CACHE_PER_ENGINE) cache.delete(cache.keys().next().value!);
  return m;
}

/**
 * Computes the graph once the capture is indexed; `intervalMs` 0 picks one from the capture's
 * duration (autoIntervalMs). Invalid filters give a series with ok false.
 */
export async function ioGraph(host: IoHost, intervalMs: number, metric: IoMetric, filters: readonly string[]): Promise<IoGraph> {
  if (intervalMs !== 0 && !(intervalMs >= IO_MIN_INTERVAL_MS && intervalMs <= IO_MAX_INTERVAL_MS)) throw new RangeError(`interval must be ${IO_MIN_INTERVAL_MS}..${IO_MAX_INTERVAL_MS} ms`);
  if (filters.length === 0 || filters.length > IO_MAX_FILTERS) throw new RangeError(`1..${IO_MAX_FILTERS} filters`);
  await host.indexed;
  const ix = host.index;
  const n = ix.count;
  let last = 0;
  for (let i = 0; i < n; i++) last = Math.max(last, relNs(host, i));
  if (intervalMs === 0) intervalMs = autoIntervalMs(last / 1e9);
  const intervalNs = intervalMs * 1e6;
  const buckets = n === 0 ? 0 : Math.floor(last / intervalNs) + 1;
  if (buckets > MAX_IO_BUCKETS) throw new RangeError(`${buckets} intervals: choose a longer interval (at most ${MAX_IO_BUCKETS})`);
  const bucketOf = (i: number): number => Math.max(0, Math.floor(relNs(host, i) / intervalNs));
  const series: IoSeries[] = [];
  for (const filter of filters) {
    let matches: Int32Array | null;
    try {
      matches = await filterMatches(host, filter);
    } catch (e) {
      if (e instanceof FilterError) {
        series.push({ filter, ok: false, error: { message: e.message, start: e.start, end: e.end }, values: [], first: [] });
        continue;
      }
      throw e;
    }
    const packets = new Float64Array(buckets);
    const bytes = new Float64Array(buckets);
    const first = new Array<number>(buckets).fill(0);
    const each = (i: number): void => {
      const b = bucketOf(i);
      packets[b]!++;
      bytes[b]! += ix.origlenOf(i);
      if (first[b] === 0) first[b] = i + 1;
    };
    if (matches) for (const i of matches) each(i);
    else for (let i = 0; i < n; i++) each(i);
    const perSec = 1000 / intervalMs;
    const values = Array.from(metric === 'packets' ? packets : bytes, (v) => (metric === 'bits' ? v * 8 * perSec : v));
    series.push({ filter, ok: true, values, first });
  }
  return { intervalMs, metric, buckets, duration: last / 1e9, series };
}
