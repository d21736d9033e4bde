// The encapsulation stack of one packet, for the Layers view: each protocol layer of the
// dissection tree with the bytes of its own header (where the next layer starts), its key
// fields, its tunnel depth, and the trailers/padding after the payload.
//
// Pure: works on the contract's JSON tree (the renderer computes it from the packet it
// already has; unit tests from engine.packet()). No node:*, no DOM.

import type { JsonNode } from './tree-json.ts';

export type LayerKind = 'link' | 'network' | 'transport' | 'tunnel' | 'application' | 'data' | 'trailer';

export interface LayerField {
  /** Field abbrev (what a display filter uses). */
  field: string;
  value: string;
}

export interface Layer {
  /** Protocol abbrev (`eth`, `ip`, `vxlan` ...) or the trailer field (`eth.padding`). */
  abbrev: string;
  /** Short display name (`Ethernet`, `IPv4`, `VXLAN`, `Padding`). */
  name: string;
  /** The tree node's heading. */
  label: string;
  kind: LayerKind;
  /** Path of the node in the tree ("3", or "1.4" for a trailer inside its Ethernet node). */
  path: string;
  source: number;
  /** This layer's own bytes: from its start to where the next layer starts. */
  offset: number;
  length: number;
  /** Bytes the protocol node covers in all (header and what it carries). */
  totalLength: number;
  /** 0 outside any tunnel; +1 after each tunnel header (VXLAN, GRE, GENEVE, GTP, IP-in-IP ...). */
  depth: number;
  fields: LayerField[];
}

const NAMES: Record<string, string> = {
  eth: 'Ethernet', vlan: '802.1Q', sll: 'Linux SLL', sll2: 'Linux SLL2', null: 'Null/Loopback', loop: 'Loopback', nflog: 'NFLOG', chdlc: 'Cisco HDLC',
  ip: 'IPv4', ipv6: 'IPv6', arp: 'ARP', mpls: 'MPLS', pwethcw: 'PW control word', pppoes: 'PPPoE', pppoed: 'PPPoE discovery', ppp: 'PPP',
  tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', icmpv6: 'ICMPv6', igmp: 'IGMP', sctp: 'SCTP', esp: 'ESP', ah: 'AH',
  vxlan: 'VXLAN', gre: 'GRE', geneve: 'GENEVE', gtp: 'GTP', l2tp: 'L2TP', teredo: 'Teredo',
  http: 'HTTP', dns: 'DNS', mdns: 'mDNS', tls: 'TLS', dhcp: 'DHCP', ntp: 'NTP', data: 'Data', ftp: 'FTP', smtp: 'SMTP', sip: 'SIP',
  'eth.padding': 'Padding', 'eth.trailer': 'Trailer', 'eth.fcs': 'FCS',
  'ipv6.hopopts': 'IPv6 Hop-by-Hop', 'ipv6.dstopts': 'IPv6 Dest. Options', 'ipv6.routing': 'IPv6 Routing', 'ipv6.fraghdr': 'IPv6 Fragment',
};

const LINK = new Set(['eth', 'vlan', 'sll', 'sll2', 'null', 'loop', 'nflog', 'chdlc', 'mpls', 'pwethcw', 'pppoes', 'pppoed', 'ppp', 'llc', 'stp', 'ieee8021ad']);
const NETWORK = new Set(['ip', 'ipv6', 'arp', 'ah', 'esp']);
const TRANSPORT = new Set(['tcp', 'udp', 'icmp', 'icmpv6', 'igmp', 'sctp']);
const IP = (abbrev: string) => abbrev === 'ip' || abbrev === 'ipv6';
/** IPv6 extension headers are network-layer headers of the IPv6 packet they follow. */
const IPV6_EXT = (abbrev: string) => abbrev.startsWith('ipv6.');
/** Headers after which the following layers are one tunnel level deeper. */
const TUNNEL = new Set(['vxlan', 'gre', 'geneve', 'gtp', 'l2tp', 'teredo', 'pwethcw']);

/** Key fields shown for each protocol, in display order (all occurrences for MPLS labels). */
const KEY_FIELDS: Record<string, string[]> = {
  eth: ['eth.src', 'eth.dst', 'eth.type'],
  vlan: ['vlan.id', 'vlan.priority', 'vlan.etype'],
  sll: ['sll.pkttype', 'sll.src.eth', 'sll.etype'],
  sll2: ['sll2.pkttype', 'sll2.ifindex', 'sll2.src.eth', 'sll2.etype'],
  ip: ['ip.src', 'ip.dst', 'ip.proto', 'ip.ttl'],
  ipv6: ['ipv6.src', 'ipv6.dst', 'ipv6.nxt', 'ipv6.hlim'],
  arp: ['arp.opcode', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4', 'arp.src.hw_mac'],
  mpls: ['mpls.label', 'mpls.exp', 'mpls.bottom', 'mpls.ttl'],
  tcp: ['tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq', 'tcp.ack', 'tcp.len'],
  udp: ['udp.srcport', 'udp.dstport', 'udp.length'],
  icmp: ['icmp.type', 'icmp.code'],
  icmpv6: ['icmpv6.type', 'icmpv6.code'],
  vxlan: ['vxlan.vni'],
  geneve: ['geneve.vni', 'geneve.proto_type'],
  gre: ['gre.proto', 'gre.key'],
  gtp: ['gtp.teid', 'gtp.message'],
  pppoes: ['pppoe.session_id'],
  dns: ['dns.id', 'dns.qry.name', 'dns.flags.rcode'],
  mdns: ['dns.qry.name'],
  http: ['http.request.method', 'http.request.uri', 'http.response.code', 'http.host'],
};
const MULTI = new Set(['mpls.label']);
const TRAILERS = new Set(['eth.padding', 'eth.trailer', 'eth.fcs']);

function kindOf(abbrev: string): LayerKind {
  if (abbrev === 'data') return 'data';
  if (TUNNEL.has(abbrev)) return 'tunnel';
  if (LINK.has(abbrev)) return 'link';
  if (NETWORK.has(abbrev) || IPV6_EXT(abbrev)) return 'network';
  if (TRANSPORT.has(abbrev)) return 'transport';
  return 'application';
}

/** The value shown for a key field: TCP flags as their names, others as formatted. */
function shownValue(n: JsonNode): string {
  if (n.field === 'tcp.flags') {
    const m = /\(([^)]*)\)\s*$/.exec(n.label);
    return m ? m[1]! : n.value ?? '';
  }
  return n.value ?? '';
}

function keyFields(node: JsonNode): LayerField[] {
  const wanted = KEY_FIELDS[node.field];
  if (!wanted) return [];
  const found = new Map<string, string[]>();
  const walk = (list: JsonNode[] | undefined, depth: number) => {
    if (!list || depth > 6) return;
    for (const c of list) {
      if (wanted.includes(c.field) && !c.hidden && c.value !== undefined) {
        const a = found.get(c.field) ?? [];
        if (a.length === 0 || MULTI.has(c.field)) a.push(shownValue(c));
        found.set(c.field, a);
      }
      walk(c.children, depth + 1);
    }
  };
  walk(node.children, 0);
  const out: LayerField[] = [];
  for (const f of wanted) for (const v of found.get(f) ?? []) out.push({ field: f, value: v });
  return out;
}

const SKIP = (n: JsonNode) => n.hidden === true || n.field === 'frame' || n.field.startsWith('_ws.') || n.field === 'geninfo';

/** The layers of a packet's tree, outermost first, trailers last (by offset). */
export function packetLayers(tree: readonly JsonNode[]): Layer[] {
  const tops: { node: JsonNode; path: string }[] = [];
  tree.forEach((n, i) => {
    if (!SKIP(n)) tops.push({ node: n, path: String(i) });
  });
  // Undissected payload the last protocol holds as a child (ICMP echo data) is a band of its own.
  const last = tops[tops.length - 1];
  last?.node.children?.forEach((c, ci) => {
    if (c.field === 'data' && !c.hidden && c.length > 0 && c.offset > last.node.offset) tops.push({ node: c, path: `${last.path}.${ci}` });
  });
  const layers: Layer[] = [];
  const trailers: Layer[] = [];
  let depth = 0;
  let prevIp = false;
  tops.forEach(({ node, path }, k) => {
    const kind = kindOf(node.field);
    // IP directly after IP or its extension headers (IP-in-IP, 6in4): a tunnel without a tunnel header.
    if (IP(node.field) && prevIp) depth++;
    const end = node.offset + node.length;
    // The header ends where the next layer of the same data source starts inside this node.
    let length = node.length;
    const next = tops.slice(k + 1).find((t) => t.node.source === node.source);
    if (next && next.node.offset >= node.offset && next.node.offset < end) length = next.node.offset - node.offset;
    // Trailers inside this node (Ethernet padding, trailer, FCS) are bands of their own.
    node.children?.forEach((c, ci) => {
      if (!TRAILERS.has(c.field) || c.hidden || c.length === 0) return;
      trailers.push({ abbrev: c.field, name: NAMES[c.field] ?? c.field, label: c.label, kind: 'trailer', path: `${path}.${ci}`, source: c.source, offset: c.offset, length: c.length, totalLength: c.length, depth, fields: [] });
      // A layer without a next one ends where its trailer starts.
      if (!next && c.source === node.source && c.offset > node.offset && c.offset < node.offset + length) length = c.offset - node.offset;
    });
    layers.push({
      abbrev: node.field,
      name: NAMES[node.field] ?? node.field.toUpperCase(),
      label: node.label,
      kind,
      path,
      source: node.source,
      offset: node.offset,
      length: Math.max(0, length),
      totalLength: node.length,
      depth,
      fields: keyFields(node),
    });
    if (kind === 'tunnel') depth++;
    prevIp = IP(node.field) || (prevIp && IPV6_EXT(node.field));
  });
  trailers.sort((a, b) => a.offset - b.offset);
  return [...layers, ...trailers];
}
