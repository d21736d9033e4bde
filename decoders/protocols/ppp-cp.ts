// The PPP control protocols that share RFC 1661's packet format: LCP, IPCP, IPV6CP and CCP.
// Code, identifier, length, then options (configure packets) or code-specific data.

import { field, protocol } from '../core/registry.ts';
import type { ProtocolModule } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import type { FieldDef } from '../core/types.ts';
import { formatIPv4 } from '../core/format.ts';
import { pppProtocolNames } from './ppp.ts';

const codeNames: Record<number, string> = {
  1: 'Configuration Request',
  2: 'Configuration Ack',
  3: 'Configuration Nak',
  4: 'Configuration Reject',
  5: 'Termination Request',
  6: 'Termination Ack',
  7: 'Code Reject',
  8: 'Protocol Reject',
  9: 'Echo Request',
  10: 'Echo Reply',
  11: 'Discard Request',
  12: 'Identification',
  13: 'Time Remaining',
  14: 'Reset Request',
  15: 'Reset Ack',
};

/** Fields every control protocol shares (Wireshark registers them under `ppp`'s names). */
const common = {
  code: field('ppp.code', 'Code', 'uint8', { values: codeNames }),
  identifier: field('ppp.identifier', 'Identifier', 'uint8', { base: 'dec_hex' }),
  length: field('ppp.length', 'Length', 'uint16'),
  magic: field('ppp.magic_number', 'Magic Number', 'uint32', { base: 'hex' }),
  data: field('ppp.data', 'Data', 'bytes'),
};

interface OptionKind {
  readonly name: string;
  /** Abbrev of the option's heading (Wireshark registers each option as a small protocol). */
  readonly head?: string;
  /** Value field and how to read it (length of the value; -1: the rest of the option). */
  readonly def?: FieldDef;
  readonly size?: number;
  readonly text?: (c: Cursor, o: number, len: number) => string;
}

interface CpSpec {
  readonly abbrev: string;
  readonly name: string;
  readonly short: string;
  readonly key: number;
  readonly extraFields: Record<string, FieldDef>;
  readonly options: Record<number, OptionKind>;
  /** Codes beyond the configure/terminate set this protocol knows. */
  readonly maxCode: number;
}

function hex(n: number, w: number): string {
  return '0x' + n.toString(16).padStart(w, '0');
}

function makeCp(spec: CpSpec, shared: boolean): ProtocolModule {
  const p = spec.abbrev;
  const own = {
    optType: field(`${p}.opt.type`, 'Type', 'uint8'),
    optLength: field(`${p}.opt.length`, 'Length', 'uint8'),
    optData: field(`${p}.opt.data`, 'Data', 'bytes'),
    options: field(`${p}.options`, 'Options', 'none'),
    opt: field(`${p}.opt`, 'Option', 'none'),
    ...spec.extraFields,
  };
  const heads: Record<number, FieldDef> = {};
  for (const [type, kind] of Object.entries(spec.options)) if (kind.head) heads[Number(type)] = field(kind.head, kind.name, 'none');
  // `ppp.code` and friends are declared once, by the first module (LCP).
  const fields = [...Object.values(shared ? { ...common, ...own } : own), ...Object.values(heads)];

  function options(c: Cursor, o: number, end: number, tree: Tree): void {
    const names: string[] = [];
    for (let t = o; t + 2 <= end; ) {
      const len = c.u8(t + 1);
      names.push(spec.options[c.u8(t)]?.name ?? 'Unknown');
      if (len < 2) break;
      t += len;
    }
    const opts = tree.addTree(own.options, c, o, end - o, { label: `Options: (${end - o} bytes)${names.length ? ', ' + names.join(', ') : ''}` });
    // Each option is at least two bytes, so the loop is bounded by the packet length.
    for (let t = o; t + 2 <= end; ) {
      const type = c.u8(t);
      const len = c.u8(t + 1);
      const kind = spec.options[type];
      const valLen = Math.max(0, len - 2);
      let heading = kind?.name ?? `Unknown (${type})`;
      if (kind?.text && valLen > 0 && c.has(t + 2, valLen)) heading += `: ${kind.text(c, t + 2, valLen)}`;
      const sub = opts.addTree(heads[type] ?? own.opt, c, t, Math.max(2, Math.min(len, end - t)), { label: heading });
      sub.add(own.optType, c, t, 1, { label: `Type: ${kind?.name ?? 'Unknown'} (${type})` });
      const lenNode = sub.add(own.optLength, c, t + 1, 1);
      if (len < 2) {
        sub.expert('error', 'protocol', 'Invalid length for option', c, lenNode.offset, 1);
        break;
      }
      if (valLen > 0) {
        if (kind?.def && (kind.size === undefined || kind.size === valLen)) sub.add(kind.def, c, t + 2, valLen);
        else sub.add(own.optData, c, t + 2, valLen);
      }
      t += len;
    }
  }

  return protocol({
    abbrev: p,
    name: spec.name,
    short: spec.short,
    fields,
    dissect(c, ctx, tree) {
      const o = c.start;
      const code = c.u8(o);
      ctx.setInfo(codeNames[code] && code <= spec.maxCode ? codeNames[code]! : `Unknown (${hex(code, 2)})`);
      tree.add(common.code, c, o, 1);
      const id = c.u8(o + 1);
      tree.add(common.identifier, c, o + 1, 1, { label: `Identifier: ${id} (${hex(id, 2)})` });
      const length = c.u16(o + 2);
      tree.add(common.length, c, o + 2, 2);
      const end = o + Math.max(4, Math.min(length, c.reportedRemaining(o)));
      const magic = spec.extraFields.echoMagic ?? common.magic;
      const data = spec.extraFields.echoData ?? common.data;
      if (code >= 1 && code <= 4) {
        if (end > o + 4) options(c, o + 4, end, tree);
      } else if (code === 9 || code === 10 || code === 11 || (code === 12 || code === 13) && p === 'lcp') {
        if (end >= o + 8) tree.add(magic, c, o + 4, 4);
        if (end > o + 8) tree.add(data, c, o + 8, end - o - 8);
      } else if (code === 8 && spec.extraFields.rejProto) {
        tree.add(spec.extraFields.rejProto, c, o + 4, 2);
        if (end > o + 6) tree.add(data, c, o + 6, end - o - 6);
      } else if (end > o + 4) {
        tree.add(data, c, o + 4, end - o - 4);
      }
      // A length past the end of the packet makes it malformed (after what could be shown).
      if (length > c.reportedRemaining(o)) c.check(o, length);
      return end - o;
    },
  });
}

const num = (c: Cursor, o: number, len: number): string => String(len === 2 ? c.u16(o) : len === 1 ? c.u8(o) : c.u32(o));
const hexText = (c: Cursor, o: number, len: number): string => hex(len === 4 ? c.u32(o) : c.u16(o), len * 2);
const ipText = (c: Cursor, o: number): string => formatIPv4(c.u32(o));
const protoText = (c: Cursor, o: number): string => {
  const v = c.u16(o);
  return `${pppProtocolNames[v] ?? 'Unknown'} (${hex(v, 4)})`;
};

const lcpExtra = {
  mru: field('lcp.opt.mru', 'Maximum Receive Unit', 'uint16'),
  accm: field('lcp.opt.asyncmap', 'Async Control Character Map', 'uint32', { base: 'hex' }),
  auth: field('lcp.opt.auth_protocol', 'Authentication Protocol', 'uint16', { base: 'hex', values: pppProtocolNames }),
  quality: field('lcp.opt.quality_protocol', 'Quality Protocol', 'uint16', { base: 'hex', values: pppProtocolNames }),
  magic: field('lcp.opt.magic_number', 'Magic Number', 'uint32', { base: 'hex' }),
  mrru: field('lcp.opt.mrru', 'MRRU', 'uint16'),
  echoMagic: field('lcp.magic_number', 'Magic Number', 'uint32', { base: 'hex' }),
  echoData: field('lcp.data', 'Data', 'bytes'),
  rejProto: field('lcp.rej_proto', 'Rejected Protocol', 'uint16', { base: 'hex', values: pppProtocolNames }),
};
export const lcp = makeCp({
  abbrev: 'lcp',
  name: 'PPP Link Control Protocol',
  short: 'PPP LCP',
  key: 0xc021,
  extraFields: lcpExtra,
  maxCode: 13,
  options: {
    0: { name: 'Vendor Specific', head: 'lcp.opt.vendor' },
    1: { name: 'Maximum Receive Unit', head: 'lcp.opt.mtu_bytes', def: lcpExtra.mru, size: 2, text: num },
    2: { name: 'Async Control Character Map', head: 'lcp.opt.asyncmap_bytes', def: lcpExtra.accm, size: 4, text: hexText },
    3: { name: 'Authentication Protocol', head: 'lcp.opt.auth_protocol_bytes', def: lcpExtra.auth, text: protoText },
    4: { name: 'Quality Protocol', head: 'lcp.opt.quality_protocol_bytes', def: lcpExtra.quality, text: protoText },
    5: { name: 'Magic Number', head: 'lcp.opt.magic_number_bytes', def: lcpExtra.magic, size: 4, text: hexText },
    7: { name: 'Protocol Field Compression', head: 'lcp.opt.field_compress' },
    8: { name: 'Address and Control Field Compression', head: 'lcp.opt.addr_field_compress' },
    13: { name: 'Callback', head: 'lcp.opt.callback' },
    17: { name: 'Multilink MRRU', head: 'lcp.opt.multilink_mrru', def: lcpExtra.mrru, size: 2, text: num },
    18: { name: 'Multilink Short Sequence Number Header Format', head: 'lcp.opt.multilink_ssnh' },
    19: { name: 'Multilink Endpoint Discriminator', head: 'lcp.opt.multilink_ep_disc' },
  },
}, true);

const ipcpExtra = {
  compress: field('ipcp.opt.compress_proto', 'IP Compression Protocol', 'uint16', { base: 'hex' }),
  ipAddress: field('ipcp.opt.ip_address', 'IP Address', 'ipv4'),
  priDns: field('ipcp.opt.pri_dns_address', 'Primary DNS Address', 'ipv4'),
  priNbns: field('ipcp.opt.pri_nbns_address', 'Primary NBNS Address', 'ipv4'),
  secDns: field('ipcp.opt.sec_dns_address', 'Secondary DNS Address', 'ipv4'),
  secNbns: field('ipcp.opt.sec_nbns_address', 'Secondary NBNS Address', 'ipv4'),
};
export const ipcp = makeCp({
  abbrev: 'ipcp',
  name: 'PPP IP Control Protocol',
  short: 'PPP IPCP',
  key: 0x8021,
  extraFields: ipcpExtra,
  maxCode: 7,
  options: {
    1: { name: 'IP Addresses', head: 'ipcp.opt.addrs' },
    2: { name: 'IP Compression Protocol', head: 'ipcp.opt.compress', def: ipcpExtra.compress, text: protoText },
    3: { name: 'IP Address', head: 'ipcp.opt.addr', def: ipcpExtra.ipAddress, size: 4, text: ipText },
    129: { name: 'Primary DNS Server IP Address', head: 'ipcp.opt.pri_dns', def: ipcpExtra.priDns, size: 4, text: ipText },
    130: { name: 'Primary NBNS Server IP Address', head: 'ipcp.opt.pri_nbns', def: ipcpExtra.priNbns, size: 4, text: ipText },
    131: { name: 'Secondary DNS Server IP Address', head: 'ipcp.opt.sec_dns', def: ipcpExtra.secDns, size: 4, text: ipText },
    132: { name: 'Secondary NBNS Server IP Address', head: 'ipcp.opt.sec_nbns', def: ipcpExtra.secNbns, size: 4, text: ipText },
  },
}, false);

const ipv6cpExtra = {
  ifid: field('ipv6cp.interface_identifier', 'Interface Identifier', 'bytes'),
};
export const ipv6cp = makeCp({
  abbrev: 'ipv6cp',
  name: 'PPP IPv6 Control Protocol',
  short: 'PPP IPV6CP',
  key: 0x8057,
  extraFields: ipv6cpExtra,
  maxCode: 7,
  options: {
    1: { name: 'Interface Identifier', head: 'ipv6cp.opt.interface_identifier', def: ipv6cpExtra.ifid, size: 8 },
    2: { name: 'IPv6 compression', head: 'ipv6cp.opt.compress' },
  },
}, false);

export const ccp = makeCp({
  abbrev: 'ccp',
  name: 'PPP Compression Control Protocol',
  short: 'PPP CCP',
  key: 0x80fd,
  extraFields: {},
  maxCode: 15,
  options: {
    0: { name: 'OUI' },
    1: { name: 'Predictor type 1', head: 'ccp.opt.predict1' },
    2: { name: 'Predictor type 2', head: 'ccp.opt.predict2' },
    3: { name: 'Puddle Jumper', head: 'ccp.opt.puddle' },
    16: { name: 'Hewlett-Packard PPC', head: 'ccp.opt.hpppc' },
    17: { name: 'Stac Electronics LZS', head: 'ccp.opt.stac' },
    18: { name: 'Microsoft PPE/PPC', head: 'ccp.opt.mppe' },
    19: { name: 'Gandalf FZA', head: 'ccp.opt.gfza' },
    20: { name: 'V.42bis compression', head: 'ccp.opt.v42bis' },
    21: { name: 'BSD LZW Compress', head: 'ccp.opt.bsdcomp' },
    23: { name: 'LZS-DCP', head: 'ccp.opt.lzsdcp' },
    24: { name: 'MVRCA (Magnalink)', head: 'ccp.opt.mvrca' },
    26: { name: 'Deflate', head: 'ccp.opt.deflate' },
  },
}, false);
