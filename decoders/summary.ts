// The Packet List / `tshark -r` line of a dissection: No., Time, Source, Destination,
// Protocol, Length, Info, formatted as tshark prints them.

import type { Dissection } from './core/types.ts';

export interface SummaryLineOptions {
  /** Seconds since the first packet, as a decimal string with the file's precision. */
  time: string;
}

/** One `tshark -r` style line. */
export function summaryLine(d: Dissection, opts: SummaryLineOptions): string {
  const c = d.columns;
  const no = String(d.frame.number).padStart(5);
  const time = opts.time.padStart(10);
  const src = c.source.padStart(12);
  const dst = c.destination.padEnd(12);
  const arrow = c.source || c.destination ? ' → ' : '   ';
  return `${no} ${time} ${src}${arrow}${dst} ${c.protocol} ${d.frame.origlen} ${c.info}`;
}

/** Relative time with `digits` decimals from nanoseconds. */
export function relativeTime(ns: bigint, digits: number): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  const scale = 10n ** BigInt(9 - digits);
  // Round half up to the shown precision, as printf does for tshark.
  const v = (a + scale / 2n) / scale;
  const unit = 10n ** BigInt(digits);
  const s = `${v / unit}.${(v % unit).toString().padStart(digits, '0')}`;
  return neg ? '-' + s : s;
}
