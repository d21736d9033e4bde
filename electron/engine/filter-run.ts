// Display filtering over a capture engine: progressive, cancellable, and fast where the
// packet index can answer.
//
// The filter's syntax tree is evaluated per packet in three-valued logic (false, true,
// unknown). Leaves that only read fields the index columns hold (protocol existence of
// frame/ip/ipv6/tcp/udp/icmp/arp, addresses, ports, stream ids, TCP flag bits and
// tcp.analysis verdicts, frame number and lengths) are compiled on their own and evaluated
// against field occurrences synthesized from the columns, so literal parsing, CIDR, `in`
// sets and occurrence rules are the compiler's own. A leaf is "unknown" for a packet the
// index cannot describe exactly (tunnels, ICMP quoting headers, IP fragments, cut-short or
// unrecognised headers); then, and only then, the packet is fully decoded and the whole
// compiled filter runs on its tree. `a && b` is false as soon as either side is, `a || b`
// true as soon as either side is, so mixed filters decode only what the fast side leaves open.
//
// Some protocols cannot appear in a packet the index fully describes unless its transport
// says so (DNS: any UDP packet through the heuristic, TCP only on ports 53/5353); a leaf that
// only reads such a protocol's fields takes its "field absent" value for other packets.
//
// Full decodes keep one session per TCP/UDP stream (bounded LRU): a packet continues its
// stream's session when the previous packet of the stream was the last decoded there, else
// the stream's earlier packets are replayed into a fresh session first, as engine.dissect
// does. Stream ids in the tree are the index's (a fresh session would number from 0).

import { dissectFrame, Session } from '../../decoders/index.ts';
import { compileFilter, type DisplayFilter, type Expr } from '../../decoders/filter/index.ts';
import { chainTerms, Compiler } from '../../decoders/filter/compile.ts';
import { parseIPv4, parseIPv6 } from '../../decoders/filter/values.ts';
import type { Dissection, FieldDef, FieldNode, FrameInfo } from '../../decoders/core/types.ts';
import type { Registry } from '../../decoders/core/registry.ts';
import { L3, L4, ScanFlag, newScanResult, scanPacket } from '../../decoders/fast/scan.ts';
import { A } from '../../decoders/streams/tcp-analysis.ts';
import type { PacketIndex } from './packet-index.ts';
import type { DecodeAsFast } from './decode-as.ts';

export interface FilterProgress {
  checked: number;
  matched: number;
  /** Packets indexed so far (grows while the capture is still being indexed). */
  total: number;
  done: boolean;
}

export interface FilterResult {
  matched: number;
  ms: number;
  /** Packets that needed a full decode. */
  decoded: number;
  cancelled: boolean;
}

/** What a filter run needs from the engine. */
export interface FilterHost {
  readonly index: PacketIndex;
  readonly registry: Registry;
  /** Decode As rules in force (engine.ts): the packets they may change are decoded, not read from the index. */
  readonly decodeAsFast?: DecodeAsFast | null;
  readonly indexed: Promise<unknown>;
  packetBytes(i: number): Uint8Array;
  linkTypeOf(i: number): number;
}

/** Three-valued verdicts. */
const F = 0;
const T = 1;
const U = 2;
type Tri = 0 | 1 | 2;
type FastPred = (i: number) => Tri;

/** Slice of filtering between two yields to the event loop. */
const SLICE_MS = 30;
/** Entries of a leaf's verdict cache before it starts over. */
const MEMO_LIMIT = 1 << 20;
/** Streams whose decode session is kept between packets. */
const MAX_SESSIONS = 256;
/** Earlier packets of a stream replayed before a packet (first 3 + last REPLAY_LIMIT), as engine.dissect. */
const REPLAY_LIMIT = 256;
/** UDP ports whose payload may carry further IP layers the scan does not unwrap. */
const UDP_TUNNEL_PORTS = new Set([1701, 2123, 2152, 3544, 4341, 4342, 4500, 4789, 4790, 5246, 5247, 6081, 6633, 6653, 8472, 1293, 500]);

/** Packet classes the fast leaves understand. */
const enum Cls {
  /** Only frame.* can be answered. */
  Opaque = 0,
  Arp = 1,
  /** IPv4/IPv6 with the transport in l4 (or none), no tunnel, no ICMP. */
  Ip = 2,
  /** IPv4/IPv6 carrying ICMP: the quoted headers hide further ip/tcp/udp layers. */
  Icmp = 3,
  /**
   * Tunnelled (VXLAN, GENEVE, GTP-U, GRE, IP in IP): the index holds the innermost transport.
   * No outer layer is TCP, ICMP or ARP, so the tcp fields are the inner TCP's (or absent), icmp
   * and arp are absent; nothing else is known.
   */
  Tunnel = 4,
}

type Filler = (i: number, cls: Cls, def: FieldDef, out: FieldNode[]) => boolean;

const ANALYSIS: Record<string, number> = {
  'tcp.analysis.retransmission': A.RETRANSMISSION | A.FAST_RETRANSMISSION | A.SPURIOUS_RETRANSMISSION,
  'tcp.analysis.fast_retransmission': A.FAST_RETRANSMISSION,
  'tcp.analysis.spurious_retransmission': A.SPURIOUS_RETRANSMISSION,
  'tcp.analysis.out_of_order': A.OUT_OF_ORDER,
  'tcp.analysis.lost_segment': A.LOST_PACKET,
  'tcp.analysis.ack_lost_segment': A.ACK_LOST_PACKET,
  'tcp.analysis.duplicate_ack': A.DUPLICATE_ACK,
  'tcp.analysis.zero_window': A.ZERO_WINDOW,
  'tcp.analysis.zero_window_probe': A.ZERO_WINDOW_PROBE,
  'tcp.analysis.zero_window_probe_ack': A.ZERO_WINDOW_PROBE_ACK,
  'tcp.analysis.window_full': A.WINDOW_FULL,
  'tcp.analysis.window_update': A.WINDOW_UPDATE,
  'tcp.analysis.keep_alive': A.KEEP_ALIVE,
  'tcp.analysis.keep_alive_ack': A.KEEP_ALIVE_ACK,
  'tcp.analysis.reused_ports': A.REUSED_PORTS,
};

const TCP_FLAG_BITS: Record<string, number> = {
  'tcp.flags.fin': 0x01, 'tcp.flags.syn': 0x02, 'tcp.flags.reset': 0x04, 'tcp.flags.push': 0x08,
  'tcp.flags.ack': 0x10, 'tcp.flags.urg': 0x20, 'tcp.flags.ece': 0x40, 'tcp.flags.cwr': 0x80,
};

/** Fields the columns answer exactly (for packets of a class they describe). */
const FAST_FIELDS = new Set([
  'frame', 'frame.number', 'frame.len', 'frame.cap_len',
  'ip', 'ip.src', 'ip.dst', 'ip.addr', 'ipv6', 'ipv6.src', 'ipv6.dst', 'ipv6.addr',
  'tcp', 'tcp.srcport', 'tcp.dstport', 'tcp.port', 'tcp.stream',
  'udp', 'udp.srcport', 'udp.dstport', 'udp.port', 'udp.stream',
  'icmp', 'icmpv6', 'arp',
  ...Object.keys(TCP_FLAG_BITS), ...Object.keys(ANALYSIS),
]);

/**
 * Protocols that can only be present, in a packet of class Ip, when its transport allows:
 * true means "may be there, decode to know".
 */
const GATED: Record<string, (ix: PacketIndex, i: number) => boolean> = {
  dns: (ix, i) => ix.l4[i] === L4.UDP || (ix.l4[i] === L4.TCP && (isDnsTcpPort(ix.srcPort[i]!) || isDnsTcpPort(ix.dstPort[i]!))),
};

function isDnsTcpPort(p: number): boolean {
  return p === 53 || p === 5353;
}

function node(def: FieldDef, value: FieldNode['value']): FieldNode {
  return { def, source: 0, offset: 0, length: 0, value, flags: 0, children: null };
}

/** Collects the kinds of expression nodes below `e` the fast path cannot synthesize. */
function plainLeaf(e: Expr): boolean {
  switch (e.k) {
    case 'word':
    case 'str':
    case 'char':
      return true;
    case 'neg':
      return plainLeaf(e.a);
    case 'cmp':
      return e.op !== 'contains' && e.op !== 'matches' && plainLeaf(e.a) && plainLeaf(e.b);
    case 'in':
      return plainLeaf(e.a) && e.items.every((it) => plainLeaf(it.lo) && (!it.hi || plainLeaf(it.hi)));
    default:
      return false;
  }
}

/** The index-column evaluator of a compiled filter. */
class FastCompiler {
  /** Class of the packet being evaluated. */
  cur: Cls = Cls.Opaque;
  private readonly v4 = new Map<number, number>();
  private readonly v6 = new Map<number, Uint8Array>();
  /** Whether any leaf was answerable from the columns. */
  anyFast = false;

  private readonly scan = newScanResult();

  constructor(
    private readonly host: FilterHost,
    private readonly ix: PacketIndex,
    private readonly registry: Registry,
    private readonly text: string,
  ) {}

  classOf(i: number): Cls {
    const ix = this.ix;
    const fl = ix.scanFlags[i]!;
    if (fl & (ScanFlag.Short | ScanFlag.Fragment) || ix.reassembled.has(i)) return Cls.Opaque;
    const da = this.host.decodeAsFast;
    if (da && (da.all || fl & ScanFlag.Tunnel || da.tcp.has(ix.srcPort[i]!) && ix.l4[i] === L4.TCP || da.tcp.has(ix.dstPort[i]!) && ix.l4[i] === L4.TCP ||
      da.udp.has(ix.srcPort[i]!) && ix.l4[i] === L4.UDP || da.udp.has(ix.dstPort[i]!) && ix.l4[i] === L4.UDP)) return Cls.Opaque;
    // A tunnel whose innermost transport the scan reached (not GRE carrying PPP, say).
    if (fl & ScanFlag.Tunnel) return ix.l4[i] === L4.TCP || ix.l4[i] === L4.UDP ? Cls.Tunnel : Cls.Opaque;
    const l3 = ix.l3[i]!;
    if (l3 === L3.ARP) return Cls.Arp;
    if (l3 !== L3.IPv4 && l3 !== L3.IPv6) return Cls.Opaque;
    const l4 = ix.l4[i]!;
    if (l4 === L4.ICMP || l4 === L4.ICMPv6) {
      // Only error messages quote an IP header (and its transport): the type is in the bytes.
      const s = this.scan;
      scanPacket(this.host.packetBytes(i), this.host.linkTypeOf(i), s);
      if (s.l4 !== l4) return Cls.Icmp;
      const t = s.icmpType;
      const error = l4 === L4.ICMP ? t === 3 || t === 4 || t === 5 || t === 11 || t === 12 : t >= 1 && t <= 4;
      return error ? Cls.Icmp : Cls.Ip;
    }
    // Other IP protocols (ESP, GRE, OSPF ...): the index does not say which, nor what they carry.
    if (l4 === L4.None) return Cls.Opaque;
    if (l4 === L4.UDP && (UDP_TUNNEL_PORTS.has(ix.srcPort[i]!) || UDP_TUNNEL_PORTS.has(ix.dstPort[i]!))) return Cls.Opaque;
    return Cls.Ip;
  }

  private addr4(id: number): number {
    let v = this.v4.get(id);
    if (v === undefined) {
      v = parseIPv4(this.ix.addresses.text(id)) ?? 0;
      this.v4.set(id, v);
    }
    return v;
  }

  private addr6(id: number): Uint8Array {
    let v = this.v6.get(id);
    if (v === undefined) {
      v = parseIPv6(this.ix.addresses.text(id)) ?? new Uint8Array(16);
      this.v6.set(id, v);
    }
    return v;
  }

  /** Protocol and rest of each field's abbrev. */
  private readonly parts = new Map<FieldDef, [string, string]>();
  /** Synthesized occurrences, reused from packet to packet (at most two per field). */
  private readonly pool = new Map<FieldDef, [FieldNode, FieldNode]>();

  private node(def: FieldDef, k: 0 | 1, value: FieldNode['value']): FieldNode {
    let p = this.pool.get(def);
    if (!p) {
      p = [node(def, null), node(def, null)];
      this.pool.set(def, p);
    }
    const n = p[k] as { value: FieldNode['value'] };
    n.value = value;
    return n as FieldNode;
  }

  /** Pushes the occurrences of `def` in packet `i`; false when the columns cannot tell. */
  readonly fill: Filler = (i, cls, def, out) => {
    const ix = this.ix;
    const a = def.abbrev;
    if (a === 'frame') return out.push(this.node(def, 0, null)), true;
    if (a === 'frame.number') return out.push(this.node(def, 0, i + 1)), true;
    if (a === 'frame.len') return out.push(this.node(def, 0, ix.origlenOf(i))), true;
    if (a === 'frame.cap_len') return out.push(this.node(def, 0, ix.caplen[i]!)), true;
    if (cls === Cls.Opaque) return false;
    const l3 = ix.l3[i]!;
    const l4 = ix.l4[i]!;
    if (cls === Cls.Tunnel) {
      // No layer of a tunnel that reached TCP/UDP inside is ICMP or ARP.
      if (a === 'icmp' || a === 'icmpv6' || a === 'arp') return true;
      if (a !== 'tcp' && !a.startsWith('tcp.')) return false;
    }
    if (a === 'arp') {
      if (cls === Cls.Arp) out.push(this.node(def, 0, null));
      return true;
    }
    if (a === 'icmp' || a === 'icmpv6') {
      if (l4 === (a === 'icmp' ? L4.ICMP : L4.ICMPv6)) out.push(this.node(def, 0, null));
      return true;
    }
    let parts = this.parts.get(def);
    if (!parts) {
      const dot = a.indexOf('.');
      parts = dot < 0 ? [a, ''] : [a.slice(0, dot), a.slice(dot + 1)];
      this.parts.set(def, parts);
    }
    const [proto, rest] = parts;
    if (proto === 'ip' || proto === 'ipv6') {
      if (cls === Cls.Icmp) return false;
      if (l3 !== (proto === 'ip' ? L3.IPv4 : L3.IPv6)) return true;
      const v4 = proto === 'ip';
      if (rest === '') out.push(this.node(def, 0, null));
      else if (rest === 'src') out.push(this.node(def, 0, v4 ? this.addr4(ix.src[i]!) : this.addr6(ix.src[i]!)));
      else if (rest === 'dst') out.push(this.node(def, 0, v4 ? this.addr4(ix.dst[i]!) : this.addr6(ix.dst[i]!)));
      else if (rest === 'addr') out.push(this.node(def, 0, v4 ? this.addr4(ix.src[i]!) : this.addr6(ix.src[i]!)), this.node(def, 1, v4 ? this.addr4(ix.dst[i]!) : this.addr6(ix.dst[i]!)));
      else return false;
      return true;
    }
    if (proto === 'tcp' || proto === 'udp') {
      if (cls === Cls.Icmp) return false;
      if (l4 !== (proto === 'tcp' ? L4.TCP : L4.UDP)) return true;
      if (rest === '') out.push(this.node(def, 0, null));
      else if (rest === 'srcport') out.push(this.node(def, 0, ix.srcPort[i]!));
      else if (rest === 'dstport') out.push(this.node(def, 0, ix.dstPort[i]!));
      else if (rest === 'port') out.push(this.node(def, 0, ix.srcPort[i]!), this.node(def, 1, ix.dstPort[i]!));
      else if (rest === 'stream') {
        if (ix.stream[i]! < 0) return false;
        out.push(this.node(def, 0, ix.stream[i]!));
      } else if (a in TCP_FLAG_BITS) out.push(this.node(def, 0, (ix.tcpFlags[i]! & TCP_FLAG_BITS[a]!) !== 0));
      else if (a in ANALYSIS) {
        if (ix.analysis[i]! & ANALYSIS[a]!) out.push(this.node(def, 0, null));
      } else return false;
      return true;
    }
    return false;
  };

  /**
   * A number identifying every column value the fields `defs` are synthesized from (packet
   * class, l3, l4 and the fields' own columns), or null when they do not fit in 52 bits.
   */
  private memoKey(defs: readonly FieldDef[]): ((i: number) => number) | null {
    const ix = this.ix;
    const parts: [(i: number) => number, number][] = [[(i) => this.cur * 256 + ix.l3[i]! * 64 + (ix.l4[i]! & 63), 11]];
    const want = new Set<string>();
    for (const d of defs) {
      const a = d.abbrev;
      if (a === 'frame.number') return null;
      if (a === 'frame.len') want.add('len');
      else if (a === 'frame.cap_len') want.add('caplen');
      else if (/^ipv?6?\.(src|dst|addr)$/.test(a)) want.add(a.endsWith('src') ? 'src' : a.endsWith('dst') ? 'dst' : 'src').add(a.endsWith('addr') ? 'dst' : 'src');
      else if (/\.(srcport|dstport|port)$/.test(a)) want.add('sport').add('dport');
      else if (a.endsWith('.stream')) want.add('stream');
      else if (a in TCP_FLAG_BITS) want.add('flags');
      else if (a in ANALYSIS) want.add('analysis');
    }
    // Each part gives -1 when its value does not fit its bits: that packet is evaluated unmemoized.
    const fit = (v: number, bits: number): number => (v < 2 ** bits ? v : -1);
    for (const w of want) {
      if (w === 'len') parts.push([(i) => fit(ix.origlenOf(i), 18), 18]);
      else if (w === 'caplen') parts.push([(i) => fit(ix.caplen[i]!, 18), 18]);
      else if (w === 'src') parts.push([(i) => fit(ix.src[i]!, 20), 20]);
      else if (w === 'dst') parts.push([(i) => fit(ix.dst[i]!, 20), 20]);
      else if (w === 'sport') parts.push([(i) => ix.srcPort[i]!, 16]);
      else if (w === 'dport') parts.push([(i) => ix.dstPort[i]!, 16]);
      else if (w === 'flags') parts.push([(i) => ix.tcpFlags[i]! & 0xff, 8]);
      else if (w === 'analysis') parts.push([(i) => ix.analysis[i]!, 16]);
      else if (w === 'stream') parts.push([(i) => fit(ix.stream[i]! + 1, 24), 24]);
    }
    const bits = parts.reduce((n, p) => n + p[1], 0);
    if (bits > 52) return null;
    return (i) => {
      let k = 0;
      for (let p = 0; p < parts.length; p++) {
        const v = parts[p]![0](i);
        if (v < 0) return -1;
        k = k * 2 ** parts[p]![1] + v;
      }
      return k;
    };
  }

  /** Compiles `e` to a three-valued per-packet predicate. */
  compile(e: Expr): FastPred {
    switch (e.k) {
      case 'and':
      case 'or': {
        const preds = chainTerms(e).map((t) => this.compile(t));
        if (e.k === 'and') {
          return (i) => {
            let r: Tri = T;
            for (let k = 0; k < preds.length; k++) {
              const v = preds[k]!(i);
              if (v === F) return F;
              if (v === U) r = U;
            }
            return r;
          };
        }
        return (i) => {
          let r: Tri = F;
          for (let k = 0; k < preds.length; k++) {
            const v = preds[k]!(i);
            if (v === T) return T;
            if (v === U) r = U;
          }
          return r;
        };
      }
      case 'xor': {
        const a = this.compile(e.a);
        const b = this.compile(e.b);
        return (i) => {
          const x = a(i);
          if (x === U) return U;
          const y = b(i);
          return y === U ? U : x !== y ? T : F;
        };
      }
      case 'not': {
        const a = this.compile(e.a);
        return (i) => {
          const v = a(i);
          return v === U ? U : v === T ? F : T;
        };
      }
      default:
        return this.leaf(e);
    }
  }

  private leaf(e: Expr): FastPred {
    const unknown: FastPred = () => U;
    if (!plainLeaf(e)) return unknown;
    let compiled;
    try {
      compiled = new Compiler(this.registry, this.text).compile(e);
    } catch {
      return unknown;
    }
    const defs = compiled.defs;
    if (defs.length === 0) return unknown;
    const fast = defs.every((d) => FAST_FIELDS.has(d.abbrev));
    if (fast) {
      this.anyFast = true;
      const lists: FieldNode[][] = defs.map(() => []);
      const slotOf = new Map<FieldDef, number>(defs.map((d, k) => [d, k]));
      const fill = (def: FieldDef, out: FieldNode[]): void => {
        const l = lists[slotOf.get(def)!]!;
        for (let k = 0; k < l.length; k++) out.push(l[k]!);
      };
      const fillOne = this.fill;
      const evaluate = (i: number): Tri => {
        const cls = this.cur;
        for (let k = 0; k < defs.length; k++) {
          const l = lists[k]!;
          l.length = 0;
          if (!fillOne(i, cls, defs[k]!, l)) return U;
        }
        return compiled.matchFields(fill) ? T : F;
      };
      const key = this.memoKey(defs);
      if (!key) return evaluate;
      // The leaf's verdict depends only on the column values it reads: remember it per value tuple.
      const memo = new Map<number, Tri>();
      return (i) => {
        const k = key(i);
        if (k < 0) return evaluate(i);
        let v = memo.get(k);
        if (v === undefined) {
          v = evaluate(i);
          if (memo.size >= MEMO_LIMIT) memo.clear();
          memo.set(k, v);
        }
        return v;
      };
    }
    // Gated protocols: with all fields absent the leaf has a fixed value.
    const gates: ((ix: PacketIndex, i: number) => boolean)[] = [];
    for (const d of defs) {
      const p = d.proto ?? d.abbrev.split('.')[0]!;
      const g = GATED[p];
      if (!g) return unknown;
      if (!gates.includes(g)) gates.push(g);
    }
    this.anyFast = true;
    const absent: Tri = compiled.matchFields(() => {}) ? T : F;
    const ix = this.ix;
    return (i) => {
      if (this.cur !== Cls.Ip && this.cur !== Cls.Tunnel) return U;
      for (const g of gates) if (g(ix, i)) return U;
      return absent;
    };
  }
}

export interface FilterRunOptions {
  /** Evaluate every packet by full decode (the reference the fast path is checked against). */
  noFastPath?: boolean;
}

/** One display-filter pass over an engine's packets. */
export class FilterRun {
  private buf = new Int32Array(1024);
  count = 0;
  checked = 0;
  decoded = 0;
  private cancelled = false;
  readonly done: Promise<FilterResult>;
  private readonly filter: DisplayFilter;
  private readonly fast: FastPred | null;
  private readonly fc: FastCompiler;
  private readonly sessions = new Map<number, { session: Session; last: number }>();

  /** Throws FilterError for an invalid filter. */
  constructor(
    private readonly host: FilterHost,
    readonly expr: string,
    private readonly onProgress?: (p: FilterProgress) => void,
    opts: FilterRunOptions = {},
  ) {
    this.filter = compileFilter(expr, host.registry);
    this.fc = new FastCompiler(host, host.index, host.registry, expr);
    const ast = this.filter.ast;
    const fast = ast && !opts.noFastPath ? this.fc.compile(ast) : null;
    this.fast = fast && this.fc.anyFast ? fast : null;
    this.done = this.run();
  }

  /** Packet indexes (0-based) that pass, in capture order; the first `count` are valid. */
  get matches(): Int32Array {
    return this.buf.subarray(0, this.count);
  }

  cancel(): void {
    this.cancelled = true;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  private push(i: number): void {
    if (this.count === this.buf.length) {
      const b = new Int32Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.count++] = i;
  }

  /** Evaluates packet `i`. */
  test(i: number): boolean {
    if (this.fast) {
      this.fc.cur = this.fc.classOf(i);
      const v = this.fast(i);
      if (v !== U) return v === T;
    }
    if (!this.filter.ast) return true;
    this.decoded++;
    return this.filter.match(this.decode(i));
  }

  private frameInfo(i: number): FrameInfo {
    const idx = this.host.index;
    return { number: i + 1, linkType: this.host.linkTypeOf(i), tsSec: idx.tsSec[i]!, tsNsec: idx.tsNsec[i]!, caplen: idx.caplen[i]!, origlen: idx.origlenOf(i), interfaceId: idx.iface[i]! };
  }

  private ns(i: number): bigint {
    return this.host.index.timeNs(i);
  }

  /** Full dissection of packet `i` with its stream's context. */
  decode(i: number): Dissection {
    const idx = this.host.index;
    const stream = idx.stream[i]!;
    const key = stream < 0 ? -1 : idx.l4[i] === L4.TCP ? stream : stream + 2 ** 30;
    let s = key >= 0 ? this.sessions.get(key) : undefined;
    const prev = idx.prevInStream[i]!;
    if (s && s.last !== prev && s.last < prev) {
      // Packets of the stream answered without a decode since: catch the session up.
      const gap: number[] = [];
      let p = prev;
      while (p > s.last && gap.length <= REPLAY_LIMIT) {
        gap.push(p);
        p = idx.prevInStream[p]!;
      }
      if (p === s.last) {
        for (let k = gap.length - 1; k >= 0; k--) {
          const q = gap[k]!;
          if (q > 0) s.session.previousTime = this.ns(q - 1);
          dissectFrame(this.host.registry, s.session, this.frameInfo(q), this.host.packetBytes(q), { tree: false });
        }
        s.last = prev;
      }
    }
    if (!s || s.last !== prev) {
      const session = new Session();
      session.firstTime = this.ns(0);
      const chain: number[] = [];
      for (let p = prev; p >= 0; p = idx.prevInStream[p]!) chain.push(p);
      chain.reverse();
      const replay = chain.length > REPLAY_LIMIT ? [...chain.slice(0, 3), ...chain.slice(-REPLAY_LIMIT)] : chain;
      for (const p of replay) {
        if (p > 0) session.previousTime = this.ns(p - 1);
        dissectFrame(this.host.registry, session, this.frameInfo(p), this.host.packetBytes(p), { tree: false });
      }
      s = { session, last: prev };
    }
    if (key >= 0) {
      this.sessions.delete(key);
      this.sessions.set(key, s);
      if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    }
    // A datagram completed by this frame: its earlier fragments first (IP reassembly).
    const frags = idx.reassembled.get(i);
    if (frags) {
      for (const p of frags) {
        if (p === i) continue;
        if (p > 0) s.session.previousTime = this.ns(p - 1);
        dissectFrame(this.host.registry, s.session, this.frameInfo(p), this.host.packetBytes(p), { tree: false });
      }
    }
    if (i > 0) s.session.previousTime = this.ns(i - 1);
    const d = dissectFrame(this.host.registry, s.session, this.frameInfo(i), this.host.packetBytes(i), { tree: true });
    s.last = i;
    fixIndexStreamIds(d, idx, i);
    return d;
  }

  private async run(): Promise<FilterResult> {
    const t0 = performance.now();
    const idx = this.host.index;
    let indexDone = false;
    void this.host.indexed.then(() => (indexDone = true), () => (indexDone = true));
    for (;;) {
      if (this.cancelled) break;
      const until = performance.now() + SLICE_MS;
      while (this.checked < idx.count && !this.cancelled) {
        const end = Math.min(idx.count, this.checked + 256);
        for (let i = this.checked; i < end; i++) if (this.test(i)) this.push(i);
        this.checked = end;
        if (performance.now() >= until) break;
      }
      const caughtUp = this.checked >= idx.count;
      if (caughtUp && indexDone) break;
      this.onProgress?.({ checked: this.checked, matched: this.count, total: idx.count, done: false });
      // Wait for more packets (or just yield between slices).
      await new Promise((r) => (caughtUp ? setTimeout(r, 5) : setImmediate(r)));
    }
    this.sessions.clear();
    const ms = performance.now() - t0;
    if (!this.cancelled) this.onProgress?.({ checked: this.checked, matched: this.count, total: idx.count, done: true });
    return { matched: this.count, ms, decoded: this.decoded, cancelled: this.cancelled };
  }
}

/**
 * The stream index node of the layer the index numbered (the innermost TCP/UDP layer of a
 * tunnel the scan unwraps, else the outermost) carries the capture-wide id; a private
 * session numbered it from 0.
 */
/** Puts the index's capture-wide tcp.stream / udp.stream numbers (both UDP levels of a tunnel) into a tree. */
export function fixIndexStreamIds(d: Dissection, idx: PacketIndex, i: number): void {
  const stream = idx.stream[i]!;
  if (stream >= 0) fixStreamIds(d, idx.l4[i] === L4.TCP ? 'tcp.stream' : 'udp.stream', stream, (idx.scanFlags[i]! & ScanFlag.Tunnel) !== 0);
  // The outer UDP of a tunnel, or the datagram an ICMP error quotes: the first udp.stream.
  const extra = idx.tunnels.extraUdpStreamOf(i);
  if (extra >= 0) fixStreamIds(d, 'udp.stream', extra, false);
}

export function fixStreamIds(d: Dissection, abbrev: string, id: number, innermost: boolean): void {
  let last: FieldNode | null = null;
  const walk = (list: readonly FieldNode[]): void => {
    for (const n of list) {
      if (n.def.abbrev === abbrev && (innermost || !last)) last = n;
      if (n.children) walk(n.children);
    }
  };
  walk(d.tree);
  const n = last as FieldNode | null;
  if (n) {
    (n as { value: FieldNode['value'] }).value = id;
    n.label = `[Stream index: ${id}]`;
  }
}
