// The DNS message dissector shared by DNS (UDP/TCP port 53), mDNS (5353) and LLMNR (5355).
// Names use compression pointers; a hostile message can point in circles, so every name walk
// is bounded by the number of bytes the message has (as Wireshark's get_dns_name does).

import { frameTimeNs } from '../core/dissect.ts';
import { BoundsError, type Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { ProtocolModule } from '../core/registry.ts';
import { DESEGMENT_ONE_MORE_SEGMENT } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import { formatIPv4, formatIPv6, formatNsTime, ipv4FromBytes } from '../core/format.ts';
import { dnsFields as f, dnsText } from './dns-fields.ts';
import { className, dnsOpcodes, dnsRcodes, dnsTypeLong, secondsText, typeShort } from './dns-names.ts';

export type DnsVariant = 'dns' | 'mdns' | 'llmnr';

const TITLES: Record<DnsVariant, string> = {
  dns: 'Domain Name System',
  mdns: 'Multicast Domain Name System',
  llmnr: 'Link-local Multicast Name Resolution',
};

/** Longest name text kept (Wireshark's MAX_DNAME_LEN is 255 on the wire; text grows with escapes). */
const MAX_NAME_TEXT = 1025;

export interface DnsName {
  /** Display text: `www.example.com`, `<Root>` for the empty name. */
  readonly text: string;
  /** Bytes the name occupies where it starts (up to and including the first pointer). */
  readonly length: number;
  readonly labels: number;
}

/** UTF-8 bytes to text, invalid sequences as U+FFFD (how tshark prints them). */
export function utf8Text(b: readonly number[] | Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const x = b[i]!;
    if (x < 0x80) {
      s += String.fromCharCode(x);
      i++;
      continue;
    }
    const n = x >= 0xf0 && x < 0xf5 ? 3 : x >= 0xe0 && x < 0xf0 ? 2 : x >= 0xc2 && x < 0xe0 ? 1 : 0;
    let cp = n === 3 ? x & 7 : n === 2 ? x & 15 : x & 31;
    let ok = n > 0 && i + n < b.length;
    for (let k = 1; ok && k <= n; k++) {
      const y = b[i + k]!;
      if ((y & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (y & 0x3f);
    }
    if (ok && ((n === 2 && cp < 0x800) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (!ok) {
      s += '\ufffd';
      i++;
      continue;
    }
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}

const ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/**
 * Reads the domain name at `offset`; pointers are relative to `msgStart`. Throws a
 * BoundsError on a reserved label type (0x80) or a read past the data, as Wireshark does.
 */
export function readDnsName(c: Cursor, msgStart: number, offset: number, shared?: { steps: number }): DnsName {
  const out: number[] = [];
  let labels = 0;
  let length = -1;
  let o = offset;
  let processed = 0;
  const budget = Math.max(1, c.reportedEnd - msgStart);
  for (;;) {
    const len = c.u8(o++);
    if (len === 0) break;
    processed++;
    // All names of one message share a step budget: thousands of records each pointing into
    // a long chain must not cost billions of steps.
    if (shared && --shared.steps < 0) throw new BoundsError('reported', o - 1, 1);
    switch (len & 0xc0) {
      case 0x00: {
        if (labels > 0 && out.length < MAX_NAME_TEXT) out.push(0x2e);
        labels++;
        const bytes = c.bytes(o, len);
        for (let i = 0; i < bytes.length; i++) {
          const ch = bytes[i]!;
          if (out.length >= MAX_NAME_TEXT) break;
          if (ch < 0x20 || ch === 0x7f) {
            const esc = ESCAPES[ch] ?? '\\' + ch.toString(8).padStart(3, '0');
            for (let k = 0; k < esc.length; k++) out.push(esc.charCodeAt(k));
          } else out.push(ch);
        }
        o += len;
        processed += len;
        break;
      }
      case 0x40:
        // EDNS0 extended label types: only the (obsolete) bit-string label was ever defined.
        throw new BoundsError('reported', o - 1, 1);
      case 0x80:
        throw new BoundsError('reported', o - 1, 1);
      default: {
        const target = msgStart + (((len & 0x3f) << 8) | c.u8(o));
        o++;
        processed++;
        if (length < 0) length = o - offset;
        if (processed >= budget) return { text: '<Name contains a pointer that loops>', length, labels };
        o = target;
      }
    }
  }
  if (length < 0) length = o - offset;
  return { text: labels === 0 ? '<Root>' : utf8Text(out), length, labels };
}

/** One query and its answer, as Wireshark's dns_transaction_t. */
interface Transaction {
  id: number;
  reqFrame: number;
  reqNs: bigint;
  repFrame: number;
}

interface DnsTracking {
  /** Transactions per conversation and id, oldest first. */
  byKey: Map<string, Transaction[]>;
  /** What each message (frame:offset) was matched to on the first pass. */
  seen: Map<string, Transaction | null>;
}

const RETRANSMIT_NS = 5_000_000_000n;


function addrKey(ctx: PacketContext): string {
  const hex = (b: Uint8Array | undefined): string => (b ? Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('') : '?');
  const a = hex(ctx.netSrc?.bytes) + ':' + ctx.srcPort;
  const b = hex(ctx.netDst?.bytes) + ':' + ctx.dstPort;
  return a < b ? a + '|' + b : b + '|' + a;
}

/** Request/response matching by conversation and transaction id (first pass records; later passes read). */
function track(ctx: PacketContext, variant: DnsVariant, id: number, response: boolean, msgStart: number): Transaction | null {
  const st = ctx.session.slot('dns', (): DnsTracking => ({ byKey: new Map(), seen: new Map() }));
  const memoKey = `${ctx.frame.number}:${msgStart}:${ctx.sources.length}`;
  if (st.seen.has(memoKey)) return st.seen.get(memoKey)!;
  if (ctx.visited) return null;
  const key = `${variant}|${addrKey(ctx)}|${id}`;
  let list = st.byKey.get(key);
  let last = list?.[list.length - 1];
  if (!response) {
    const now = frameTimeNs(ctx.frame);
    if (!last || last.repFrame > 0 || now - last.reqNs > RETRANSMIT_NS) {
      last = { id, reqFrame: ctx.frame.number, reqNs: now, repFrame: 0 };
      if (!list) st.byKey.set(key, (list = []));
      if (list.length > 64) list.shift();
      list.push(last);
    }
  } else if (last && last.repFrame === 0) {
    last.repFrame = ctx.frame.number;
  }
  const result = last ?? null;
  st.seen.set(memoKey, result);
  return result;
}

interface DnsParse {
  readonly budget: { steps: number };
  readonly c: Cursor;
  readonly ctx: PacketContext;
  readonly msgStart: number;
  readonly variant: DnsVariant;
  readonly info: string[];
}

function addName(tree: Tree, p: DnsParse, def: typeof f.qryName, offset: number): DnsName {
  const n = readDnsName(p.c, p.msgStart, offset, p.budget);
  tree.add(def, p.c, offset, n.length, { value: n.text });
  return n;
}

function dissectQuery(p: DnsParse, tree: Tree, offset: number): number {
  const { c } = p;
  const n = readDnsName(c, p.msgStart, offset, p.budget);
  const type = c.u16(offset + n.length);
  const rawClass = c.u16(offset + n.length + 2);
  const mdns = p.variant === 'mdns';
  const cls = mdns ? rawClass & 0x7fff : rawClass;
  const qu = (rawClass & 0x8000) !== 0;
  const quText = mdns ? (qu ? ', "QU" question' : ', "QM" question') : '';
  p.info.push(`${typeShort(type)} ${n.text}${quText}`);
  const len = n.length + 4;
  const q = tree.subtree(tree.add(dnsText, c, offset, len, { label: `${n.text}: type ${typeShort(type)}, class ${className(cls)}${quText}` }));
  q.add(f.qryName, c, offset, n.length, { value: n.text });
  q.generated(f.qryNameLen, n.text.length, `[Name Length: ${n.text.length}]`);
  q.generated(f.labels, n.labels, `[Label Count: ${n.labels}]`);
  q.add(f.qryType, c, offset + n.length, 2, { value: type });
  if (mdns) {
    q.add(f.qryClass, c, offset + n.length + 2, 2, { value: cls, label: `.000 0000 0000 ${(cls & 0xf).toString(2).padStart(4, '0')} = Class: ${className(cls)} (0x${cls.toString(16).padStart(4, '0')})` });
    q.add(f.qryQu, c, offset + n.length + 2, 2, { value: qu, label: `${qu ? '1' : '0'}... .... .... .... = "QU" question: ${qu ? 'True' : 'False'}` });
  } else {
    q.add(f.qryClass, c, offset + n.length + 2, 2, { value: cls, label: `Class: ${className(cls)} (0x${cls.toString(16).padStart(4, '0')})` });
  }
  return len;
}

function ttlLabel(ttl: number): string {
  return `Time to live: ${ttl} (${secondsText(ttl)})`;
}

/** One resource record; returns its length. */
function dissectRR(p: DnsParse, tree: Tree, offset: number): number {
  const { c, msgStart } = p;
  const n = readDnsName(c, msgStart, offset, p.budget);
  let o = offset + n.length;
  const type = c.u16(o);
  const rawClass = c.u16(o + 2);
  const mdns = p.variant === 'mdns';
  const flush = mdns && (rawClass & 0x8000) !== 0;
  const cls = mdns ? rawClass & 0x7fff : rawClass;
  c.u32(o + 4);
  const dataLen = c.u16(o + 8);
  const tname = typeShort(type);
  p.info.push(tname + (flush ? ', cache flush' : ''));
  const total = n.length + 10 + dataLen;
  const heading = type === 41 ? `${n.text}: type OPT` : `${n.text}: type ${tname}, class ${className(cls)}${flush ? ', cache flush' : ''}`;
  // Like Wireshark's record item: may run past the captured bytes (cut to them), not past the packet.
  const shown = offset + total > c.end && offset + total <= c.reportedEnd ? c.end - offset : total;
  const rrNode = tree.add(dnsText, c, offset, shown, { label: heading });
  const rr = tree.subtree(rrNode);
  rr.add(f.respName, c, offset, n.length, { value: n.text });
  rr.add(f.respType, c, o, 2, { value: type });
  if (type === 41) {
    const size = mdns ? rawClass & 0x7fff : rawClass;
    rr.add(mdns ? mdnsPayloadSize() : f.udpPayloadSize, c, o + 2, 2, { value: size, label: mdns ? `.${(size & 0x7fff).toString(2).padStart(15, '0').replace(/(\d{3})(\d{4})(\d{4})(\d{4})/, '$1 $2 $3 $4')} = UDP payload size: 0x${size.toString(16).padStart(4, '0')}` : `UDP payload size: ${size}` });
    if (mdns) rr.add(f.cacheFlush, c, o + 2, 2, { value: flush, label: `${flush ? '1' : '0'}... .... .... .... = Cache flush: ${flush ? 'True' : 'False'}` });
    rr.add(f.extRcode, c, o + 4, 1);
    rr.add(f.ednsVersion, c, o + 5, 1);
    const z = rr.addTree(f.respZ, c, o + 6, 2);
    z.add(f.respZDo, c, o + 6, 2);
    z.add(f.respZReserved, c, o + 6, 2);
  } else {
    const clsText = `${className(cls)} (0x${cls.toString(16).padStart(4, '0')})`;
    if (mdns) {
      rr.add(f.respClass, c, o + 2, 2, { value: cls, label: `.000 0000 0000 ${(cls & 0xf).toString(2).padStart(4, '0')} = Class: ${clsText}` });
      rr.add(f.cacheFlush, c, o + 2, 2, { value: flush, label: `${flush ? '1' : '0'}... .... .... .... = Cache flush: ${flush ? 'True' : 'False'}` });
    } else {
      rr.add(f.respClass, c, o + 2, 2, { value: cls, label: `Class: ${clsText}` });
    }
    const ttl = c.u32(o + 4);
    rr.add(f.ttl, c, o + 4, 4, { value: ttl, label: ttlLabel(ttl) });
  }
  rr.add(f.respLen, c, o + 8, 2, { value: dataLen });
  o += 10;
  const extra = dissectRdata(p, rr, type, o, dataLen);
  if (extra) rrNode.label = heading + extra;
  // Parts of the data we do not decode (NSEC bitmaps, ...) must still be there.
  c.check(offset, total);
  return total;
}

let mdnsPayload: typeof f.udpPayloadSize | null = null;
/** mDNS shows the OPT payload size in hex (a second Wireshark field under the same name). */
function mdnsPayloadSize(): typeof f.udpPayloadSize {
  return (mdnsPayload ??= { ...f.udpPayloadSize, base: 'hex' });
}

/** RFC 4648 base32hex, lower case, unpadded (how tshark prints NSEC3 hashes). */
function base32hex(b: Uint8Array): string {
  const A = '0123456789abcdefghijklmnopqrstuv';
  let out = '';
  let bits = 0;
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = (v << 8) | b[i]!;
    bits += 8;
    while (bits >= 5) {
      out += A[(v >>> (bits - 5)) & 31];
      bits -= 5;
    }
    v &= (1 << bits) - 1;
  }
  if (bits > 0) out += A[(v << (5 - bits)) & 31];
  return out;
}

/** NSEC/NSEC3 type bitmaps: each type present is listed as a dns.resp.type item, as tshark does. */
function typeBitmaps(p: DnsParse, rr: Tree, o: number, end: number): void {
  const { c } = p;
  for (let x = o, n = 0; x + 2 <= end && n < 256; n++) {
    const win = c.u8(x);
    const bl = c.u8(x + 1);
    for (let i = 0; i < bl && x + 2 + i < end; i++) {
      const byte = c.u8(x + 2 + i);
      for (let bit = 0; bit < 8; bit++) {
        if (!(byte & (0x80 >> bit))) continue;
        const t = win * 256 + i * 8 + bit;
        rr.add(f.respType, c, x + 2 + i, 1, { value: t, label: `RR type in bit map: ${dnsTypeLong[t] ?? `Unknown (${t})`}` });
      }
    }
    x += 2 + bl;
  }
}

/** The type-specific part of a record; returns the text added to the record's heading. */
function dissectRdata(p: DnsParse, rr: Tree, type: number, o: number, len: number): string {
  const { c, info } = p;
  const end = o + len;
  const name = (def: typeof f.cname, at: number): DnsName => addName(rr, p, def, at);
  switch (type) {
    case 1: {
      if (len !== 4) break;
      const a = formatIPv4(ipv4FromBytes(c.bytes(o, 4)));
      info.push(a);
      rr.add(f.a, c, o, 4);
      return `, addr ${a}`;
    }
    case 28: {
      if (len !== 16) break;
      const a = formatIPv6(c.bytes(o, 16));
      info.push(a);
      rr.add(f.aaaa, c, o, 16);
      return `, addr ${a}`;
    }
    case 2: {
      const n = name(f.ns, o);
      info.push(n.text);
      return `, ns ${n.text}`;
    }
    case 5: {
      const n = name(f.cname, o);
      info.push(n.text);
      return `, cname ${n.text}`;
    }
    case 39: {
      const n = name(f.dname, o);
      info.push(n.text);
      return `, dname ${n.text}`;
    }
    case 12: {
      const n = name(f.ptr, o);
      info.push(n.text);
      return `, ${n.text}`;
    }
    case 6: {
      const m = name(f.soaMname, o);
      info.push(m.text);
      let x = o + m.length;
      const r = name(f.soaRname, x);
      x += r.length;
      rr.add(f.soaSerial, c, x, 4);
      const timed = (def: typeof f.soaRefresh, at: number): void => {
        const v = c.u32(at);
        rr.add(def, c, at, 4, { value: v, label: `${def.name}: ${v} (${secondsText(v)})` });
      };
      timed(f.soaRefresh, x + 4);
      timed(f.soaRetry, x + 8);
      timed(f.soaExpire, x + 12);
      timed(f.soaMinimum, x + 16);
      return `, mname ${m.text}`;
    }
    case 15: {
      const pref = c.u16(o);
      rr.add(f.mxPref, c, o, 2);
      const n = name(f.mxExchange, o + 2);
      info.push(`${pref} ${n.text}`);
      return `, preference ${pref}, mx ${n.text}`;
    }
    case 16: {
      let x = o;
      for (let i = 0; x < end && i < 65536; i++) {
        const l = c.u8(x);
        rr.add(f.txtLength, c, x, 1);
        rr.add(f.txt, c, x + 1, l, { value: utf8Text(c.bytes(x + 1, l)) });
        x += 1 + l;
      }
      return '';
    }
    case 33: {
      const owner = rr.nodes[0];
      const prio = c.u16(o);
      const weight = c.u16(o + 2);
      const port = c.u16(o + 4);
      if (owner && typeof owner.value === 'string') {
        // `_service._proto.name` is shown split into its parts, all over the owner name's bytes.
        const parts = owner.value.split('.');
        rr.nodes.shift();
        const [svc, proto] = parts;
        rr.nodes.unshift(
          { def: f.srvService, source: owner.source, offset: owner.offset, length: owner.length, value: svc ?? '', flags: 0, children: null },
          { def: f.srvProto, source: owner.source, offset: owner.offset, length: owner.length, value: proto ?? '', flags: 0, children: null },
          { def: f.srvName, source: owner.source, offset: owner.offset, length: owner.length, value: parts.slice(2).join('.'), flags: 0, children: null },
        );
      }
      rr.add(f.srvPriority, c, o, 2);
      rr.add(f.srvWeight, c, o + 2, 2);
      rr.add(f.srvPort, c, o + 4, 2);
      const t = name(f.srvTarget, o + 6);
      info.push(`${prio} ${weight} ${port} ${t.text}`);
      return `, priority ${prio}, weight ${weight}, port ${port}, target ${t.text}`;
    }
    case 47: {
      const n = name(f.nsecNext, o);
      info.push(n.text);
      typeBitmaps(p, rr, o + n.length, end);
      return `, next domain name ${n.text}`;
    }
    case 50: {
      // NSEC3 (RFC 5155): hash parameters, the next hashed owner (base32hex), type bitmaps.
      rr.add(f.nsec3Algo, c, o, 1);
      rr.add(f.nsec3Flags, c, o + 1, 1);
      rr.add(f.nsec3Iterations, c, o + 2, 2);
      const sl = c.u8(o + 4);
      rr.add(f.nsec3SaltLength, c, o + 4, 1);
      if (sl) rr.add(f.nsec3SaltValue, c, o + 5, sl);
      const hl = c.u8(o + 5 + sl);
      rr.add(f.nsec3HashLength, c, o + 5 + sl, 1);
      const hash = c.bytes(o + 6 + sl, hl);
      rr.generated(f.nsec3HashValue, base32hex(hash), `[Next hashed owner: ${base32hex(hash)}]`, c, o + 6 + sl, hl);
      typeBitmaps(p, rr, o + 6 + sl + hl, end);
      return '';
    }
    case 41: {
      let x = o;
      for (let i = 0; x + 4 <= end && i < 65536; i++) {
        const code = c.u16(x);
        const olen = c.u16(x + 2);
        const opt = rr.addTree(f.opt, c, x, 4 + olen, { label: `Option: ${f.optCode.values![code] ?? `Unknown (${code})`}` });
        opt.add(f.optCode, c, x, 2);
        opt.add(f.optLen, c, x + 2, 2);
        if (olen) opt.add(f.optData, c, x + 4, olen);
        x += 4 + olen;
      }
      return '';
    }
  }
  if (len > 0) rr.add(f.data, c, o, len);
  return '';
}

/**
 * Dissects one DNS message that starts at `msgStart` (after the TCP length prefix, if any).
 * Returns the message length in bytes (to the end of the last record read).
 */
export function dissectDnsMessage(c: Cursor, ctx: PacketContext, tree: Tree, variant: DnsVariant, msgStart: number): number {
  const id = c.u16(msgStart);
  const flags = c.u16(msgStart + 2);
  const response = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  if (tree.owner) tree.owner.label = `${TITLES[variant]} (${response ? 'response' : 'query'})`;
  const opName = dnsOpcodes[opcode] ?? `Unknown operation (${opcode})`;
  const rcodeName = dnsRcodes[rcode] ?? `Unknown error (${rcode})`;
  let info = `${opName}${response ? ' response' : ''} 0x${id.toString(16).padStart(4, '0')}`;
  if (response && rcode !== 0) info += ' ' + rcodeName;
  ctx.setInfo(info);

  tree.add(f.id, c, msgStart, 2);
  const trans = track(ctx, variant, id, response, msgStart);
  if (trans && !response && trans.reqFrame !== ctx.frame.number) {
    tree.expert('warn', 'protocol', `DNS query retransmission. Original request in frame ${trans.reqFrame}`);
  }
  const ft = tree.addTree(f.flags, c, msgStart + 2, 2, { label: `Flags: 0x${flags.toString(16).padStart(4, '0')} ${opName}${response ? ` response, ${rcodeName}` : ''}` });
  ft.add(f.response, c, msgStart + 2, 2);
  ft.add(f.opcode, c, msgStart + 2, 2);
  if (variant === 'llmnr') {
    ft.add(f.conflict, c, msgStart + 2, 2);
    ft.add(f.truncated, c, msgStart + 2, 2);
    ft.add(f.tentative, c, msgStart + 2, 2);
  } else {
    if (response) ft.add(f.authoritative, c, msgStart + 2, 2);
    ft.add(f.truncated, c, msgStart + 2, 2);
    ft.add(f.recdesired, c, msgStart + 2, 2);
    if (response) ft.add(f.recavail, c, msgStart + 2, 2);
    ft.add(f.z, c, msgStart + 2, 2);
    if (response) ft.add(f.authenticated, c, msgStart + 2, 2);
    else if (variant === 'dns') ft.add(f.authenticated, c, msgStart + 2, 2, { label: `.... .... ..${flags & 0x20 ? '1' : '0'}. .... = AD bit: ${flags & 0x20 ? 'Set' : 'Not set'}` });
    ft.add(f.checkdisable, c, msgStart + 2, 2);
  }
  if (response) ft.add(f.rcode, c, msgStart + 2, 2);

  const update = opcode === 5;
  const counts = [c.u16(msgStart + 4), c.u16(msgStart + 6), c.u16(msgStart + 8), c.u16(msgStart + 10)];
  tree.add(update ? f.countZones : f.countQueries, c, msgStart + 4, 2);
  tree.add(update ? f.countPrereq : f.countAnswers, c, msgStart + 6, 2);
  tree.add(update ? f.countUpdates : f.countAuth, c, msgStart + 8, 2);
  tree.add(f.countAdd, c, msgStart + 10, 2);

  const p: DnsParse = { budget: { steps: 250_000 }, c, ctx, msgStart, variant, info: [] };
  const flush = (): void => {
    // tshark's Info column holds at most 4095 characters (COL_MAX_INFO_LEN).
    if (p.info.length && ctx.columns.info.length < 4095) {
      ctx.appendInfo(p.info.join(' '));
      if (ctx.columns.info.length > 4095) ctx.columns.info = ctx.columns.info.slice(0, 4095);
    }
    p.info.length = 0;
  };
  let o = msgStart + 12;
  const headings = update ? ['Zone', 'Prerequisites', 'Updates', 'Additional records'] : ['Queries', 'Answers', 'Authoritative nameservers', 'Additional records'];
  try {
    for (let s = 0; s < 4; s++) {
      const count = counts[s]!;
      if (!count) continue;
      const sectionNode = tree.add(dnsText, c, o, 0, { label: headings[s] });
      const st = tree.subtree(sectionNode);
      const sStart = o;
      for (let i = 0; i < count; i++) {
        o += s === 0 ? dissectQuery(p, st, o) : dissectRR(p, st, o);
        sectionNode.length = o - sStart;
        flush();
      }
    }
  } finally {
    flush();
  }
  if (!response) {
    if (trans && trans.reqFrame !== ctx.frame.number) {
      tree.generated(f.retransmitRequestIn, trans.reqFrame, `[Retransmitted request. Original request in: ${trans.reqFrame}]`);
      tree.generated(f.retransmission, true, '[Retransmission: True]');
    } else if (trans && trans.repFrame) {
      tree.generated(f.responseIn, trans.repFrame, `[Response In: ${trans.repFrame}]`);
    }
  } else if (!trans) {
    tree.generated(f.unsolicited, true, '[Unsolicited: True]');
  } else if (trans.repFrame === ctx.frame.number) {
    const dt = frameTimeNs(ctx.frame) - trans.reqNs;
    tree.generated(f.responseTo, trans.reqFrame, `[Request In: ${trans.reqFrame}]`);
    tree.generated(f.time, dt, `[Time: ${formatNsTime(dt)} seconds]`);
  } else {
    tree.generated(f.retransmitResponseIn, trans.repFrame, `[Retransmitted response. Original response in: ${trans.repFrame}]`);
    tree.generated(f.retransmission, true, '[Retransmission: True]');
  }
  return o - msgStart;
}

/** Which transport carried this layer: the nearest tcp/udp in the protocol stack. */
export function overTcp(ctx: PacketContext): boolean {
  for (let i = ctx.protocols.length - 1; i >= 0; i--) {
    const p = ctx.protocols[i];
    if (p === 'tcp') return true;
    if (p === 'udp') return false;
  }
  return false;
}

/**
 * DNS over TCP: a 2-byte length before each message; several messages may share a segment
 * and one may span segments (the TCP desegmentation contract asks for the missing bytes).
 * The first message goes into `tree`; each further one becomes a layer of its own (`self`).
 */
export function dissectDnsTcp(c: Cursor, ctx: PacketContext, tree: Tree, variant: DnsVariant, self: ProtocolModule | undefined): number {
  const start = c.start;
  let o = start;
  // To the reported end: a capture cut short stops with a short-capture marker.
  for (let n = 0; o < c.reportedEnd && n < 65536; n++) {
    const avail = c.end - o;
    const need = avail < 2 ? -1 : 2 + c.u16(o);
    if (ctx.canDesegment && (need < 0 || avail < need)) {
      ctx.desegmentOffset = o;
      ctx.desegmentLen = need < 0 ? DESEGMENT_ONE_MORE_SEGMENT : need - avail;
      return o - start;
    }
    if (n === 0) {
      const plen = c.u16(o);
      tree.add(f.length, c, o, 2);
      const msg = c.sub(o + 2, plen);
      dissectDnsMessage(msg, ctx, tree, variant, msg.start);
      o += 2 + plen;
    } else {
      if (!self || avail < 2) break;
      const used = ctx.run(self, c.sub(o, need), tree);
      if (used <= 0) break;
      o += used;
    }
  }
  return o - start;
}

export function dnsTitle(variant: DnsVariant): string {
  return TITLES[variant];
}

export { dnsTypeLong };
