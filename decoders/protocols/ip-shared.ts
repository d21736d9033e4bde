// Small things IPv4, IPv6, its extension headers and ICMP/ICMPv6 share (protocols never import
// each other; they share this helper and ctx.scratch keys).

/** Short DSCP names used in the DS field / traffic class summary (`DSCP: CS0`). */
const dscpShort: Readonly<Record<number, string>> = {
  0: 'CS0', 1: 'LE', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21', 20: 'AF22', 22: 'AF23',
  24: 'CS3', 26: 'AF31', 28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41', 36: 'AF42', 38: 'AF43', 40: 'CS5', 44: 'VA', 46: 'EF', 48: 'CS6', 56: 'CS7',
};
const ecnShort = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];

/** `DSCP: CS0, ECN: Not-ECT` of a DS field / traffic class byte. */
export function dsSummary(ds: number): string {
  return `DSCP: ${dscpShort[ds >> 2] ?? 'Unknown'}, ECN: ${ecnShort[ds & 3]}`;
}

/**
 * ctx.scratch key ICMP/ICMPv6 set to `true` while they decode the packet quoted in an error
 * message (Wireshark's pinfo->flags.in_error_pkt): no reassembly, no length complaints.
 */
export const IN_ERROR_PACKET = 'icmp.inErrorPacket';

/** ctx.scratch key where an IPv6 extension header leaves what IPv6 needs to go on. */
export const EXT_RESULT = 'ipv6.ext';

export interface ExtResult {
  nxt: number;
  /** Fragment header only. */
  fragOffset?: number;
  more?: boolean;
  ident?: number;
}
