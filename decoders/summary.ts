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

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * relativeTime() from a difference split into seconds and nanoseconds (timestamps' own parts),
 * in plain numbers: no BigInt per packet. Same text as relativeTime(sec * 1e9 + nsec, digits).
 */
export function relativeTimeParts(sec: number, nsec: number, digits: number): string {
  if (!Number.isSafeInteger(sec) || !Number.isInteger(nsec) || nsec <= -1e9 || nsec >= 1e9 || digits < 0 || digits > 9) {
    return relativeTime(BigInt(sec) * 1_000_000_000n + BigInt(nsec), digits);
  }
  let neg = false;
  if (sec < 0 || (sec === 0 && nsec < 0)) {
    neg = true;
    sec = -sec;
    nsec = -nsec;
  }
  if (nsec < 0) {
    nsec += 1e9;
    sec -= 1;
  }
  const scale = POW10[9 - digits]!;
  const unit = POW10[digits]!;
  // Round half up to the shown precision (integers well below 2^53: exact).
  let v = Math.floor((nsec + Math.floor(scale / 2)) / scale);
  if (v >= unit) {
    v -= unit;
    sec += 1;
  }
  const s = `${sec}.${String(v).padStart(digits, '0')}`;
  return neg ? '-' + s : s;
}
