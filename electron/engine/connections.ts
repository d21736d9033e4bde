// Connections, conntrack-style: every TCP, UDP and ICMP/ICMPv6 flow of a capture with its
// endpoints (the initiator as A), first/last time, packets and bytes each way, its stream id
// and a state derived from the packets (a code + params, never English: the UI and the CLI
// word it through the i18n catalogs, see connections-format.ts).
//
// One pass over the packet index: TCP flows are tcp.stream, UDP flows udp.stream, and their
// states come from the index's TCP flags and tcp.analysis bits (the same analysis tshark
// runs: a SYN marked as a retransmission is a retry). Packet bytes are read back only for
// the few facts the index lacks: the ICMP type (ICMP packets) and the DNS header flags
// (UDP packets on port 53). No per-packet objects: one small record per flow.

import { L4, newScanResult, scanPacket, ScanFlag } from '../../decoders/fast/scan.ts';
import { A as TA } from '../../decoders/streams/tcp-analysis.ts';
import type { CaptureEngine } from './engine.ts';
import type { ConnProto, ConnState, Connection, UnreachableReason } from './connection-types.ts';
import { formatIPv4, formatIPv6, ipv4FromBytes } from '../../decoders/core/format.ts';

export type { ConnProto, ConnState, Connection, UnreachableReason } from './connection-types.ts';
export { CONN_STATES } from './connection-types.ts';

/** Per-flow facts gathered in the pass; turned into a Connection at the end. */
interface Flow {
  c: Connection;
  aId: number;
  // TCP
  syn: number;
  synRetries: number;
  synAck: boolean;
  handshake: boolean;
  finA: boolean;
  finB: boolean;
  rst: 0 | 1 | 2; // 1: from A, 2: from B
  rstAfter: number;
  rstBeforeSynAck: boolean;
  finsBeforeRst: boolean;
  // UDP / DNS
  dns: boolean;
  queries: number;
  responses: number;
  nxdomain: number;
  errorRcode: number;
  qname: string;
  // ICMP
  echoReq: number;
  echoRep: number;
  unreachable: number;
  timeExceeded: number;
  otherType: number;
  /** ICMP destination unreachable quoting this flow (TCP/UDP): its reason and code, null when none. */
  unreach: { reason: UnreachableReason; code: number } | null;
}

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;

const RCODES: Record<number, string> = { 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE' };

/** The first question name of a DNS message at b[o..end) (labels only, bounded), '' when absent. */
function questionName(b: Uint8Array, o: number, end: number): string {
  if (o + 12 > end || ((b[o + 4]! << 8) | b[o + 5]!) === 0) return '';
  let p = o + 12;
  const labels: string[] = [];
  for (let k = 0; k < 128 && p < end; k++) {
    const len = b[p]!;
    if (len === 0) return labels.join('.') || '<Root>';
    if (len & 0xc0 || p + 1 + len > end) return '';
    let s = '';
    for (let j = p + 1; j <= p + len; j++) {
      const ch = b[j]!;
      s += ch > 0x20 && ch < 0x7f ? String.fromCharCode(ch) : '\\' + ch.toString(8).padStart(3, '0');
    }
    labels.push(s);
    p += 1 + len;
  }
  return '';
}

function formatAddr(addr: string, proto: ConnProto): string {
  return proto === 'icmpv6' || addr.includes(':') ? 'ipv6' : 'ip';
}

/**
 * All flows of the capture (or of the packets `only`, ascending packet indexes), in order of
 * first appearance.
 */
export function connections(engine: CaptureEngine, only?: ArrayLike<number>): Connection[] {
  const idx = engine.index;
  const list: Flow[] = [];
  const tcp: (Flow | undefined)[] = [];
  const udp: (Flow | undefined)[] = [];
  const icmp = new Map<string, Flow>();
  /** TCP/UDP flows by `proto|src|sport|dst|dport` (both ways; the newest flow of a port pair wins). */
  const byEndpoints = new Map<string, Flow>();
  const s = newScanResult();
  const t0s = idx.count ? idx.tsSec[0]! : 0;
  const t0n = idx.count ? idx.tsNsec[0]! : 0;
  const n = only ? only.length : idx.count;
  for (let k = 0; k < n; k++) {
    const i = only ? only[k]! : k;
    const l4 = idx.l4[i]!;
    if (l4 !== L4.TCP && l4 !== L4.UDP && l4 !== L4.ICMP && l4 !== L4.ICMPv6) continue;
    const stream = idx.stream[i]!;
    if ((l4 === L4.TCP || l4 === L4.UDP) && stream < 0) continue;
    let ds = idx.tsSec[i]! - t0s;
    let dn = idx.tsNsec[i]! - t0n;
    if (dn < 0) {
      ds--;
      dn += 1e9;
    }
    const t = ds + dn / 1e9;
    const src = idx.src[i]!;
    const sport = idx.srcPort[i]!;
    const flags = idx.tcpFlags[i]!;
    let f: Flow | undefined;
    if (l4 === L4.TCP) f = tcp[stream];
    else if (l4 === L4.UDP) f = udp[stream];
    let icmpKey = '';
    let icmpType = -1;
    if (l4 === L4.ICMP || l4 === L4.ICMPv6) {
      const dst = idx.dst[i]!;
      icmpKey = `${l4}|${src < dst ? src : dst}|${src < dst ? dst : src}`;
      f = icmp.get(icmpKey);
      if (!(idx.scanFlags[i]! & ScanFlag.Fragment)) {
        scanPacket(engine.packetBytes(i), engine.linkTypeOf(i), s);
        if (s.l4 === l4) icmpType = s.icmpType;
      }
    }
    if (!f) {
      const proto: ConnProto = l4 === L4.TCP ? 'tcp' : l4 === L4.UDP ? 'udp' : l4 === L4.ICMP ? 'icmp' : 'icmpv6';
      // A SYN+ACK first: the capture missed the SYN, the receiver is the initiator.
      // No SYN at all (mid-stream): a well-known port sending to an ephemeral one is the server.
      const swap = l4 === L4.TCP && (flags & TH_SYN ? (flags & TH_ACK) !== 0 : sport < 1024 && idx.dstPort[i]! >= 1024);
      const aId = swap ? idx.dst[i]! : src;
      const bId = swap ? src : idx.dst[i]!;
      f = {
        c: {
          id: 0, proto, stream: l4 === L4.TCP || l4 === L4.UDP ? stream : -1,
          aAddr: idx.addresses.text(aId), aPort: swap ? idx.dstPort[i]! : sport, bAddr: idx.addresses.text(bId), bPort: swap ? sport : idx.dstPort[i]!,
          start: t, end: t, firstFrame: i + 1, packetsAB: 0, bytesAB: 0, packetsBA: 0, bytesBA: 0, state: 'established', params: {}, midStream: false, filter: '',
        },
        aId, syn: 0, synRetries: 0, synAck: false, handshake: false, finA: false, finB: false, rst: 0, rstAfter: 0, rstBeforeSynAck: false, finsBeforeRst: false,
        dns: false, queries: 0, responses: 0, nxdomain: 0, errorRcode: 0, qname: '',
        echoReq: 0, echoRep: 0, unreachable: 0, timeExceeded: 0, otherType: -1, unreach: null,
      };
      if (l4 === L4.TCP) tcp[stream] = f;
      else if (l4 === L4.UDP) udp[stream] = f;
      else icmp.set(icmpKey, f);
      if (l4 === L4.TCP || l4 === L4.UDP) {
        const c = f.c;
        byEndpoints.set(`${l4}|${c.aAddr}|${c.aPort}|${c.bAddr}|${c.bPort}`, f);
        byEndpoints.set(`${l4}|${c.bAddr}|${c.bPort}|${c.aAddr}|${c.aPort}`, f);
      }
      list.push(f);
    }
    const c = f.c;
    // Direction: same address and port as A (ICMP: same address).
    const fromA = src === f.aId && (l4 === L4.ICMP || l4 === L4.ICMPv6 || sport === c.aPort);
    const len = idx.origlenOf(i);
    if (fromA) {
      c.packetsAB++;
      c.bytesAB += len;
    } else {
      c.packetsBA++;
      c.bytesBA += len;
    }
    c.end = t;
    if (l4 === L4.TCP) {
      const syn = (flags & TH_SYN) !== 0;
      const ack = (flags & TH_ACK) !== 0;
      if (syn && !ack && fromA) {
        f.syn++;
        if (idx.analysis[i]! & TA.RETRANSMISSION) f.synRetries++;
      } else if (syn && ack && !fromA) f.synAck = true;
      else if (!syn && ack && fromA && f.synAck) f.handshake = true;
      if (!f.rst) {
        if (flags & TH_FIN) {
          if (fromA) f.finA = true;
          else f.finB = true;
        }
        if (flags & TH_RST) {
          f.rst = fromA ? 1 : 2;
          f.rstAfter = t - c.start;
          f.rstBeforeSynAck = !f.synAck;
          f.finsBeforeRst = f.finA && f.finB;
        }
      }
    } else if (l4 === L4.UDP) {
      if (c.aPort === 53 || c.bPort === 53 || sport === 53 || idx.dstPort[i]! === 53) {
        f.dns = true;
        if (!(idx.scanFlags[i]! & ScanFlag.Fragment)) {
          const b = engine.packetBytes(i);
          scanPacket(b, engine.linkTypeOf(i), s);
          if (s.l4 === L4.UDP && s.payloadLen >= 4) {
            const o = s.payloadOff;
            const end = o + s.payloadLen;
            if (b[o + 2]! & 0x80) {
              f.responses++;
              const rcode = b[o + 3]! & 0x0f;
              if (rcode === 3) f.nxdomain++;
              else if (rcode !== 0 && !f.errorRcode) f.errorRcode = rcode;
              if (rcode !== 0 && !f.qname) f.qname = questionName(b, o, end);
            } else {
              f.queries++;
              if (!f.qname) f.qname = questionName(b, o, end);
            }
          }
        }
      }
    } else if (icmpType >= 0) {
      const v6 = l4 === L4.ICMPv6;
      if (icmpType === (v6 ? 128 : 8)) f.echoReq++;
      else if (icmpType === (v6 ? 129 : 0)) f.echoRep++;
      else if (icmpType === (v6 ? 1 : 3)) {
        f.unreachable++;
        // conntrack's RELATED: the error quotes the packet it answers; mark that flow.
        const q = quotedFlow(engine.packetBytes(i), s, v6);
        const target = q && byEndpoints.get(q.key);
        if (target && !target.unreach) target.unreach = { reason: unreachableReason(s.icmpCode, v6), code: s.icmpCode };
      }
      else if (icmpType === (v6 ? 3 : 11)) f.timeExceeded++;
      else if (f.otherType < 0) f.otherType = icmpType;
    }
  }
  return list.map((f, id) => finish(f, id));
}

/** ICMP (v4 3, v6 1) codes as reasons. */
function unreachableReason(code: number, v6: boolean): UnreachableReason {
  if (v6) return code === 0 ? 'net' : code === 1 ? 'admin' : code === 3 ? 'host' : code === 4 ? 'port' : 'other';
  return code === 0 || code === 6 ? 'net' : code === 1 || code === 7 ? 'host' : code === 2 ? 'protocol' : code === 3 ? 'port' : code === 9 || code === 10 || code === 13 ? 'admin' : 'other';
}

/**
 * The TCP/UDP flow an ICMP error quotes (the IP header and first 8 bytes of the packet it
 * answers), as a `proto|src|sport|dst|dport` key; `s` holds the error's scan. Null when the
 * quote is cut short or holds another protocol (ICMPv6 after extension headers is not looked at).
 */
function quotedFlow(b: Uint8Array, s: ReturnType<typeof newScanResult>, v6: boolean): { key: string } | null {
  let icmp: number;
  if (!v6) {
    const ip = s.srcOff - 12;
    if (ip < 0 || s.addrLen !== 4) return null;
    icmp = ip + (b[ip]! & 15) * 4;
  } else {
    const ip = s.srcOff - 8;
    if (ip < 0 || s.addrLen !== 16 || b[ip + 6] !== 58) return null;
    icmp = ip + 40;
  }
  const q = icmp + 8;
  if (q >= b.length) return null;
  let proto: number;
  let src: string;
  let dst: string;
  let ports: number;
  if (b[q]! >> 4 === 4) {
    const ihl = (b[q]! & 15) * 4;
    if (ihl < 20 || q + ihl + 4 > b.length) return null;
    proto = b[q + 9]!;
    src = formatIPv4(ipv4FromBytes(b, q + 12));
    dst = formatIPv4(ipv4FromBytes(b, q + 16));
    ports = q + ihl;
  } else if (b[q]! >> 4 === 6) {
    if (q + 44 > b.length) return null;
    proto = b[q + 6]!;
    src = formatIPv6(b.subarray(q + 8, q + 24));
    dst = formatIPv6(b.subarray(q + 24, q + 40));
    ports = q + 40;
  } else return null;
  if (proto !== 6 && proto !== 17) return null;
  const sport = (b[ports]! << 8) | b[ports + 1]!;
  const dport = (b[ports + 2]! << 8) | b[ports + 3]!;
  return { key: `${proto}|${src}|${sport}|${dst}|${dport}` };
}

function finish(f: Flow, id: number): Connection {
  const c = f.c;
  c.id = id;
  const seconds = (x: number) => Math.round(x * 1000) / 1000;
  if (c.proto === 'tcp') {
    c.filter = `tcp.stream == ${c.stream}`;
    c.midStream = f.syn === 0 && !f.synAck;
    if (f.rst) {
      if (f.rst === 2 && f.rstBeforeSynAck && f.syn > 0) set(c, 'refused', { retries: f.synRetries });
      else if (f.finsBeforeRst) set(c, 'closed');
      else set(c, f.rst === 1 ? 'reset-by-client' : 'reset-by-server', { after: seconds(f.rstAfter) });
    } else if (f.finA && f.finB) set(c, 'closed');
    else if (f.finA) set(c, 'half-closed-client');
    else if (f.finB) set(c, 'half-closed-server');
    else if (f.syn > 0 && !f.synAck && f.unreach) set(c, 'unreachable', { ...f.unreach });
    else if (f.syn > 0 && !f.synAck) set(c, 'syn-unanswered', { retries: f.synRetries });
    else if (f.synAck && !f.handshake) set(c, 'half-open');
    else set(c, 'established');
  } else if (c.proto === 'udp') {
    c.filter = `udp.stream == ${c.stream}`;
    if (f.unreach && c.packetsBA === 0) set(c, 'unreachable', { ...f.unreach });
    else if (f.dns && (f.queries || f.responses)) {
      if (f.responses === 0) set(c, 'dns-unanswered', { queries: f.queries });
      else if (f.nxdomain) set(c, 'dns-nxdomain', { name: f.qname });
      else if (f.errorRcode) set(c, 'dns-error', { rcode: RCODES[f.errorRcode] ?? String(f.errorRcode), name: f.qname });
      else set(c, 'dns-answered', { queries: f.queries, responses: f.responses });
    } else set(c, c.packetsAB && c.packetsBA ? 'two-way' : 'one-way');
  } else {
    const fam = formatAddr(c.aAddr, c.proto);
    c.filter = `${fam}.addr == ${c.aAddr} && ${fam}.addr == ${c.bAddr} && ${c.proto}`;
    if (f.echoReq && f.echoRep) set(c, 'icmp-echo-answered', { requests: f.echoReq, replies: f.echoRep });
    else if (f.echoReq) set(c, 'icmp-echo-unanswered', { requests: f.echoReq });
    else if (f.unreachable) set(c, 'icmp-unreachable');
    else if (f.timeExceeded) set(c, 'icmp-time-exceeded');
    else set(c, 'icmp-other', { type: f.otherType < 0 ? (f.echoRep ? (c.proto === 'icmp' ? 0 : 129) : -1) : f.otherType });
  }
  return c;
}

function set(c: Connection, state: ConnState, params: Record<string, number | string> = {}): void {
  c.state = state;
  c.params = params;
}

const cache = new WeakMap<CaptureEngine, Connection[]>();

/**
 * Connections of the whole capture once it is indexed, computed once per engine. A live
 * capture (still being written) gets the packets indexed so far, not cached.
 */
export async function captureConnections(engine: CaptureEngine): Promise<Connection[]> {
  if ((engine as { live?: boolean }).live) return connections(engine);
  await engine.indexed;
  let rows = cache.get(engine);
  if (!rows) {
    rows = connections(engine);
    cache.set(engine, rows);
  }
  return rows;
}
