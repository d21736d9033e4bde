// GTP (3GPP TS 29.060 / 29.281) on UDP/TCP ports 2123 (GTP-C), 2152 (GTP-U) and 3386 (GTP'):
// the version 1 header with its optional sequence number, N-PDU number and extension
// headers. T-PDUs carry an IPv4/IPv6 packet (Protocol column `GTP <ICMP>` as tshark shows);
// version 2 messages go to `gtpv2`.

import { field, protocol } from '../core/registry.ts';
import { malformed } from './malformed.ts';

const messageTypes: Record<number, string> = {
  0x01: 'Echo request', 0x02: 'Echo response', 0x03: 'Version not supported', 0x04: 'Node alive request', 0x05: 'Node alive response',
  0x06: 'Redirection request', 0x07: 'Redirection response', 0x10: 'Create PDP context request', 0x11: 'Create PDP context response',
  0x12: 'Update PDP context request', 0x13: 'Update PDP context response', 0x14: 'Delete PDP context request', 0x15: 'Delete PDP context response',
  0x16: 'Initiate PDP Context Activation Request', 0x17: 'Initiate PDP Context Activation Response', 0x1a: 'Error indication',
  0x1b: 'PDU notification request', 0x1c: 'PDU notification response', 0x1d: 'PDU notification reject request', 0x1e: 'PDU notification reject response',
  0x1f: 'Supported extension headers notification', 0x20: 'Send routing information for GPRS request', 0x21: 'Send routing information for GPRS response',
  0x22: 'Failure report request', 0x23: 'Failure report response', 0x24: 'Note MS GPRS present request', 0x25: 'Note MS GPRS present response',
  0x30: 'Identification request', 0x31: 'Identification response', 0x32: 'SGSN context request', 0x33: 'SGSN context response',
  0x34: 'SGSN context acknowledgement', 0x35: 'Forward relocation request', 0x36: 'Forward relocation response', 0x37: 'Forward relocation complete',
  0x38: 'Relocation cancel request', 0x39: 'Relocation cancel response', 0x3a: 'Forward SRNS context', 0x3b: 'Forward relocation complete acknowledge',
  0x3c: 'Forward SRNS context acknowledge', 0x46: 'MBMS notification request', 0xf0: 'Data record transfer request', 0xf1: 'Data record transfer response',
  0xfe: 'End marker', 0xff: 'T-PDU',
};

const extTypes: Record<number, string> = {
  0x00: 'No more extension headers', 0x01: 'MBMS support indication', 0x02: 'MS Info Change Reporting support indication',
  0x20: 'Service Class Indicator', 0x40: 'UDP Port', 0x81: 'RAN Container', 0x82: 'Long PDCP PDU Number', 0x83: 'Xw RAN Container',
  0x84: 'NR RAN Container', 0x85: 'PDU Session Container', 0xc0: 'PDCP PDU number', 0xc1: 'Suspend Request', 0xc2: 'Suspend Response',
};

const f = {
  flags: field('gtp.flags', 'Flags', 'uint8', { base: 'hex' }),
  version: field('gtp.flags.version', 'Version', 'uint8', { bitmask: 0xe0, bitWidth: 8, values: { 0: 'GTP release 97/98 version', 1: 'GTP release 99 version', 2: 'GTPv2' } }),
  payload: field('gtp.flags.payload', 'Protocol type', 'uint8', { bitmask: 0x10, bitWidth: 8, values: { 0: 'GTP\'', 1: 'GTP' } }),
  reserved: field('gtp.flags.reserved', 'Reserved', 'uint8', { bitmask: 0x08, bitWidth: 8 }),
  e: field('gtp.flags.e', 'Is Next Extension Header present?', 'bool', { bitmask: 0x04, bitWidth: 8, trueFalse: ['Yes', 'No'] }),
  s: field('gtp.flags.s', 'Is Sequence Number present?', 'bool', { bitmask: 0x02, bitWidth: 8, trueFalse: ['Yes', 'No'] }),
  pn: field('gtp.flags.pn', 'Is N-PDU number present?', 'bool', { bitmask: 0x01, bitWidth: 8, trueFalse: ['Yes', 'No'] }),
  message: field('gtp.message', 'Message Type', 'uint8', { base: 'hex', values: messageTypes }),
  length: field('gtp.length', 'Length', 'uint16'),
  teid: field('gtp.teid', 'TEID', 'uint32', { base: 'hex_dec' }),
  seq: field('gtp.seq_number', 'Sequence number', 'uint16', { base: 'hex_dec' }),
  npdu: field('gtp.npdu_number', 'N-PDU Number', 'uint8', { base: 'hex' }),
  extNext: field('gtp.ext_hdr.next', 'Next extension header type', 'uint8', { base: 'hex', values: extTypes }),
  extHdr: field('gtp.ext_hdr', 'Extension header', 'none'),
  extLength: field('gtp.ext_hdr.length', 'Extension Header Length', 'uint8'),
  extPdcp: field('gtp.ext_hdr.pdcp_sn', 'PDCP Sequence Number', 'uint16'),
  extUdpPort: field('gtp.ext_hdr.udp_port', 'UDP Port', 'uint16'),
  cause: field('gtp.cause', 'Cause', 'uint8'),
};

const MAX_EXT = 16;

export default protocol({
  abbrev: 'gtp',
  name: 'GPRS Tunneling Protocol',
  short: 'GTP',
  fields: f,
  register(r) {
    for (const port of [2123, 2152, 3386]) {
      r.table('udp.port', port);
      r.table('tcp.port', port);
    }
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const flags = c.u8(o);
    const version = flags >> 5;
    if (version === 2) {
      // GTPv2-C shares the ports; the GTP layer shows in frame.protocols without a tree of its own.
      const used = ctx.callProtocol('gtpv2', c.sub(o), tree);
      return used < 0 ? c.remaining(o) : used;
    }
    const ft = tree.addTree(f.flags, c, o, 1);
    ft.add(f.version, c, o, 1);
    ft.add(f.payload, c, o, 1);
    ft.add(f.reserved, c, o, 1);
    ft.add(f.e, c, o, 1);
    ft.add(f.s, c, o, 1);
    ft.add(f.pn, c, o, 1);
    const type = c.u8(o + 1);
    tree.add(f.message, c, o + 1, 1);
    ctx.setInfo(messageTypes[type] ?? `Unknown message (0x${type.toString(16).padStart(2, '0')})`);
    const length = c.u16(o + 2);
    tree.add(f.length, c, o + 2, 2);
    if (version !== 1) return c.remaining(o);
    tree.add(f.teid, c, o + 4, 4);
    let p = o + 8;
    if (flags & 0x07) {
      if (flags & 0x02) tree.add(f.seq, c, p, 2);
      if (flags & 0x01) tree.add(f.npdu, c, p + 2, 1);
      let next = c.u8(p + 3);
      if (flags & 0x04) tree.add(f.extNext, c, p + 3, 1);
      p += 4;
      for (let i = 0; i < MAX_EXT && flags & 0x04 && next !== 0; i++) {
        const elen = c.u8(p) * 4;
        if (elen === 0) throw malformed('extension header length 0');
        const et = tree.addTree(f.extHdr, c, p, elen, { label: `Extension header (${extTypes[next] ?? 'Unknown'})` });
        et.add(f.extLength, c, p, 1);
        if (next === 0xc0) et.add(f.extPdcp, c, p + 1, 2);
        else if (next === 0x40) et.add(f.extUdpPort, c, p + 1, 2);
        next = c.u8(p + elen - 1);
        et.add(f.extNext, c, p + elen - 1, 1);
        p += elen;
      }
    }
    const end = o + 8 + length;
    if (type === 0xff) {
      const inner = c.sub(p, Math.max(0, end - p));
      if (inner.length <= 0) return c.remaining(o);
      const v = c.u8(p) >> 4;
      const used = v === 4 ? ctx.callProtocol('ip', inner, tree) : v === 6 ? ctx.callProtocol('ipv6', inner, tree) : ctx.callData(inner, tree);
      if (v === 4 || v === 6) ctx.columns.protocol = `GTP <${ctx.columns.protocol}>`;
      void used;
      return c.remaining(o);
    }
    if (p < end && c.has(p, 2) && c.u8(p) === 1) tree.add(f.cause, c, p + 1, 1);
    return c.remaining(o);
  },
});
