// NTP (RFC 5905) on UDP port 123: flags (leap indicator, version, mode), stratum, poll,
// precision, root delay/dispersion, reference id and the four timestamps.

import { field, protocol } from '../core/registry.ts';
import { formatIPv4 } from '../core/format.ts';
import type { Cursor } from '../core/cursor.ts';

const modes: Record<number, string> = { 0: 'reserved', 1: 'symmetric active', 2: 'symmetric passive', 3: 'client', 4: 'server', 5: 'broadcast', 6: 'NTP control message', 7: 'reserved for private use' };
const leap: Record<number, string> = { 0: 'no warning', 1: 'last minute of the day has 61 seconds', 2: 'last minute of the day has 59 seconds', 3: 'unknown (clock unsynchronized)' };

const f = {
  flags: field('ntp.flags', 'Flags', 'uint8', { base: 'hex' }),
  li: field('ntp.flags.li', 'Leap Indicator', 'uint8', { bitmask: 0xc0, bitWidth: 8, values: leap }),
  vn: field('ntp.flags.vn', 'Version number', 'uint8', { bitmask: 0x38, bitWidth: 8 }),
  mode: field('ntp.flags.mode', 'Mode', 'uint8', { bitmask: 0x07, bitWidth: 8, values: modes }),
  stratum: field('ntp.stratum', 'Peer Clock Stratum', 'uint8'),
  ppoll: field('ntp.ppoll', 'Peer Polling Interval', 'uint8'),
  precision: field('ntp.precision', 'Peer Clock Precision', 'uint8'),
  rootdelay: field('ntp.rootdelay', 'Root Delay', 'uint32'),
  rootdispersion: field('ntp.rootdispersion', 'Root Dispersion', 'uint32'),
  refid: field('ntp.refid', 'Reference ID', 'bytes'),
  reftime: field('ntp.reftime', 'Reference Timestamp', 'abs_time'),
  org: field('ntp.org', 'Origin Timestamp', 'abs_time'),
  rec: field('ntp.rec', 'Receive Timestamp', 'abs_time'),
  xmt: field('ntp.xmt', 'Transmit Timestamp', 'abs_time'),
};

const NTP_EPOCH_OFFSET = 2208988800n;

/** An NTP 64-bit timestamp as nanoseconds since the Unix epoch. */
function ntpTime(c: Cursor, o: number): bigint {
  const sec = BigInt(c.u32(o));
  const frac = BigInt(c.u32(o + 4));
  if (sec === 0n && frac === 0n) return 0n;
  return (sec - NTP_EPOCH_OFFSET) * 1_000_000_000n + ((frac * 1_000_000_000n) >> 32n);
}

export default protocol({
  abbrev: 'ntp',
  name: 'Network Time Protocol',
  short: 'NTP',
  fields: f,
  register(r) {
    r.table('udp.port', 123);
    r.table('tcp.port', 123);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const flags = c.u8(o);
    const vn = (flags >> 3) & 7;
    const mode = flags & 7;
    const summary = `NTP Version ${vn}, ${modes[mode]}`;
    if (tree.owner) tree.owner.label = `Network Time Protocol (${summary})`;
    ctx.setInfo(summary);
    const ft = tree.addTree(f.flags, c, o, 1, { label: `Flags: 0x${flags.toString(16).padStart(2, '0')}, Leap Indicator: ${leap[flags >> 6]}, Version number: NTP Version ${vn}, Mode: ${modes[mode]}` });
    ft.add(f.li, c, o, 1);
    ft.add(f.vn, c, o, 1);
    ft.add(f.mode, c, o, 1);
    if (mode === 6 || mode === 7) return c.remaining(o);
    tree.add(f.stratum, c, o + 1, 1);
    tree.add(f.ppoll, c, o + 2, 1);
    tree.add(f.precision, c, o + 3, 1);
    tree.add(f.rootdelay, c, o + 4, 4);
    tree.add(f.rootdispersion, c, o + 8, 4);
    const stratum = c.u8(o + 1);
    const refLabel = stratum <= 1 ? c.ascii(o + 12, 4).replace(/\0+$/, '') : formatIPv4(c.u32(o + 12));
    tree.add(f.refid, c, o + 12, 4, { label: `Reference ID: ${refLabel}` });
    tree.add(f.reftime, c, o + 16, 8, { value: ntpTime(c, o + 16) });
    tree.add(f.org, c, o + 24, 8, { value: ntpTime(c, o + 24) });
    tree.add(f.rec, c, o + 32, 8, { value: ntpTime(c, o + 32) });
    tree.add(f.xmt, c, o + 40, 8, { value: ntpTime(c, o + 40) });
    return c.remaining(o);
  },
});
