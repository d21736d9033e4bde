// Small things IPv4, IPv6, its extension headers and ICMP/ICMPv6 share (protocols never import
// each other; they share this helper and ctx.scratch keys). TCP and UDP use its checksums.

import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import type { FieldDef } from '../core/types.ts';
import { frameTimeNs } from '../core/dissect.ts';

/** Short DSCP names used in the DS field / traffic class summary (`DSCP: CS0`). */
const dscpShort: Readonly<Record<number, string>> = {
  0: 'CS0', 1: 'LE', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21', 20: 'AF22', 22: 'AF23',
  24: 'CS3', 26: 'AF31', 28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41', 36: 'AF42', 38: 'AF43', 40: 'CS5', 46: 'EF PHB', 48: 'CS6', 56: 'CS7',
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

/** The Internet checksum (RFC 1071) of `data`, with `initial` as a 32-bit partial sum (pseudo-header). */
export function inetChecksum(data: Uint8Array, initial = 0): number {
  let sum = initial;
  const n = data.length;
  let i = 0;
  for (; i + 1 < n; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (i < n) sum += data[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** Partial sum of bytes (for pseudo-headers), to pass as `initial` to inetChecksum. */
export function partialSum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length & 1) sum += data[data.length - 1]! << 8;
  return sum;
}

/** What a checksum field should hold for the data to sum to zero (Wireshark's in_cksum_shouldbe). */
export function checksumShouldBe(field: number, computed: number): number {
  // computed is the checksum over the data including the field; zero means correct.
  // ~computed is the ones-complement sum including the field; take the field out again.
  let sum = (~computed & 0xffff) - field;
  if (sum < 0) sum += 0xffff;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** A matched echo request/reply pair. */
export interface EchoMatch {
  readonly requestFrame: number;
  readonly replyFrame: number;
  /** Reply time minus request time, in milliseconds. */
  readonly ms: number;
}

/**
 * Echo request/reply matching for ICMP and ICMPv6. Requests wait in a bounded table of open
 * requests; a match is stored for both frames so that looking at either again (the UI re-decodes
 * rows) finds its partner. Unanswered requests cost nothing once they age out of the table.
 */
export class EchoMatcher {
  private readonly open = new Map<string, { frame: number; time: bigint }>();
  private readonly matched = new Map<number, EchoMatch>();

  constructor(private readonly maxOpen = 65536) {}

  /** A request seen in `frame`; returns its match when one is already known. */
  request(key: string, frame: number, time: bigint, visited: boolean): EchoMatch | undefined {
    if (!visited) {
      this.open.delete(key);
      this.open.set(key, { frame, time });
      if (this.open.size > this.maxOpen) this.open.delete(this.open.keys().next().value as string);
    }
    return this.matched.get(frame);
  }

  /** A reply seen in `frame`, keyed like its request; returns the match when there is one. */
  reply(key: string, frame: number, time: bigint, visited: boolean): EchoMatch | undefined {
    const known = this.matched.get(frame);
    if (known || visited) return known;
    const req = this.open.get(key);
    if (!req || req.frame >= frame) return undefined;
    const m: EchoMatch = { requestFrame: req.frame, replyFrame: frame, ms: Number(time - req.time) / 1e6 };
    this.matched.set(req.frame, m);
    this.matched.set(frame, m);
    this.open.delete(key);
    return m;
  }
}

/** Partial sum of the IPv4/IPv6 pseudo-header for a transport checksum, or null without network addresses. */
export function pseudoHeaderSum(ctx: PacketContext, proto: number, length: number): number | null {
  const s = ctx.netSrc;
  const d = ctx.netDst;
  if (!s || !d || s.kind !== d.kind || (s.kind !== 'ipv4' && s.kind !== 'ipv6')) return null;
  return partialSum(s.bytes) + partialSum(d.bytes) + proto + (length >>> 16) + (length & 0xffff);
}

/**
 * A checksum field with its verification, as Wireshark shows it with validation on:
 * `[correct]`, or `incorrect, should be 0x....`, and a generated status (1 Good, 0 Bad,
 * 2 Unverified when `computed` is null because the covered bytes are not all there).
 * A bad checksum is common for packets sent by the capturing host (checksum offload), so it
 * raises no expert item and leaves the Info column alone: the tree says it, nothing shouts.
 */
export function addChecksum(tree: Tree, c: Cursor, off: number, field: FieldDef, status: FieldDef, name: string, computed: number | null, statusName = 'Checksum Status'): void {
  const v = c.u16(off);
  if (!tree.ctx.buildTree) return; // summary only: the items would go nowhere
  const hex = (x: number) => '0x' + x.toString(16).padStart(4, '0');
  if (computed === null) {
    tree.add(field, c, off, 2, { label: `${name}: ${hex(v)} [unverified]` });
    tree.generated(status, 2, `[${statusName}: Unverified]`, c, off, 0);
  } else if (computed === 0) {
    tree.add(field, c, off, 2, { label: `${name}: ${hex(v)} [correct]` });
    tree.generated(status, 1, `[${statusName}: Good]`, c, off, 0);
  } else {
    tree.add(field, c, off, 2, { label: `${name}: ${hex(v)} incorrect, should be ${hex(checksumShouldBe(v, computed))} (may be caused by checksum offload on the capturing host)` });
    tree.generated(status, 0, `[${statusName}: Bad]`, c, off, 0);
  }
}

export interface EchoFields {
  readonly respIn: FieldDef;
  readonly noResp: FieldDef;
  readonly respTo: FieldDef;
  readonly respTime: FieldDef;
}

/**
 * Request/reply matching of echo messages (ICMP and ICMPv6 alike): adds the tree items and
 * returns the Info suffix (` (reply in N)`, ` (no response found!)`, ` (request in N)`).
 * `key` identifies the exchange in the request's direction; `names` are each protocol's labels.
 */
export function matchEcho(ctx: PacketContext, tree: Tree, slot: string, key: string, isReply: boolean, f: EchoFields, names: { respIn: string; respTo: string; respTime: string }): string {
  const m = ctx.session.slot(slot, () => new EchoMatcher());
  const now = frameTimeNs(ctx.frame);
  if (!isReply) {
    const t = m.request(key, ctx.frame.number, now, ctx.visited);
    if (!ctx.visited) return '';
    if (t) {
      tree.generated(f.respIn, t.replyFrame, `[${names.respIn}: ${t.replyFrame}]`);
      return ` (reply in ${t.replyFrame})`;
    }
    tree.generated(f.noResp, null, '[No response seen]');
    return ' (no response found!)';
  }
  const t = m.reply(key, ctx.frame.number, now, ctx.visited);
  if (!t) return '';
  tree.generated(f.respTo, t.requestFrame, `[${names.respTo}: ${t.requestFrame}]`);
  tree.generated(f.respTime, t.ms, `[${names.respTime}: ${t.ms.toFixed(3)} ms]`);
  return ` (request in ${t.requestFrame})`;
}
