// Linux netfilter NFLOG (LINKTYPE_NFLOG 239): a 4-byte header (address family, version,
// resource id) and TLVs whose length/type are in host (little-endian) order and values in
// network order. NFULA_PAYLOAD holds the logged packet, IPv4 or IPv6 by the family.

import { field, protocol } from '../core/registry.ts';
import { ethertypeNames } from './ethertype-names.ts';

const tlvNames: Record<number, string> = {
  1: 'NFULA_PACKET_HDR',
  2: 'NFULA_MARK',
  3: 'NFULA_TIMESTAMP',
  4: 'NFULA_IFINDEX_INDEV',
  5: 'NFULA_IFINDEX_OUTDEV',
  6: 'NFULA_IFINDEX_PHYSINDEV',
  7: 'NFULA_IFINDEX_PHYSOUTDEV',
  8: 'NFULA_HWADDR',
  9: 'NFULA_PAYLOAD',
  10: 'NFULA_PREFIX',
  11: 'NFULA_UID',
  12: 'NFULA_SEQ',
  13: 'NFULA_SEQ_GLOBAL',
  14: 'NFULA_GID',
  15: 'NFULA_HWTYPE',
  16: 'NFULA_HWHEADER',
  17: 'NFULA_HWLEN',
  18: 'NFULA_CT',
  19: 'NFULA_CT_INFO',
};
const hookNames: Record<number, string> = { 0: 'Pre-routing', 1: 'Local in', 2: 'Forward', 3: 'Local out', 4: 'Post-routing' };

const f = {
  family: field('nflog.family', 'Family', 'uint8', { values: { 0: 'Unspecified', 2: 'IPv4', 10: 'IPv6', 7: 'Bridge' } }),
  version: field('nflog.version', 'Version', 'uint8'),
  resId: field('nflog.res_id', 'Resource id', 'uint16'),
  tlv: field('nflog.tlv', 'TLV', 'bytes'),
  tlvLength: field('nflog.tlv_length', 'Length', 'uint16'),
  tlvType: field('nflog.tlv_type', 'Type', 'uint16', { bitmask: 0x7fff, bitWidth: 16, values: tlvNames }),
  protocol: field('nflog.protocol', 'HW protocol', 'uint16', { base: 'hex', values: ethertypeNames }),
  hook: field('nflog.hook', 'Netfilter hook', 'uint8', { values: hookNames }),
  indev: field('nflog.ifindex_indev', 'IFINDEX_INDEV', 'uint32'),
  outdev: field('nflog.ifindex_outdev', 'IFINDEX_OUTDEV', 'uint32'),
  physindev: field('nflog.ifindex_physindev', 'IFINDEX_PHYSINDEV', 'uint32'),
  physoutdev: field('nflog.ifindex_physoutdev', 'IFINDEX_PHYSOUTDEV', 'uint32'),
  prefix: field('nflog.prefix', 'Prefix', 'string'),
  uid: field('nflog.uid', 'UID', 'int32'),
  gid: field('nflog.gid', 'GID', 'int32'),
  value: field('nflog.tlv_value', 'Value', 'bytes'),
};

const NFULA_PAYLOAD = 9;

export default protocol({
  abbrev: 'nflog',
  name: 'Linux Netfilter NFLOG',
  short: 'NFLOG',
  fields: f,
  register(r) {
    r.table('link', 239);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const family = c.u8(o);
    tree.add(f.family, c, o, 1);
    tree.add(f.version, c, o + 1, 1);
    tree.add(f.resId, c, o + 2, 2);
    let t = o + 4;
    // NFLOG always carries TLVs (at least the packet header one): none at all is malformed.
    if (c.reportedRemaining(t) === 0) c.check(t, 4);
    let payload: { at: number; len: number } | null = null;
    // Each TLV advances by at least 4 bytes, so the walk is bounded by the frame length.
    // As Wireshark, the walk runs to the packet's reported end: a short TLV header throws.
    while (c.reportedRemaining(t) > 0) {
      const len = c.u16le(t);
      const type = c.u16le(t + 2) & 0x7fff;
      if (len < 4) break;
      const name = tlvNames[type] ?? 'Unknown';
      const sub = tree.addTree(f.tlv, c, t, Math.min(len, c.remaining(t)), { label: `TLV Type: ${name} (${type}), Length: ${len}` });
      sub.add(f.tlvLength, c, t, 2, { le: true });
      sub.add(f.tlvType, c, t + 2, 2, { le: true });
      const v = t + 4;
      const vlen = len - 4;
      switch (type) {
        case 1:
          sub.add(f.protocol, c, v, 2);
          sub.add(f.hook, c, v + 2, 1);
          break;
        case 4:
          sub.add(f.indev, c, v, 4);
          break;
        case 5:
          sub.add(f.outdev, c, v, 4);
          break;
        case 6:
          sub.add(f.physindev, c, v, 4);
          break;
        case 7:
          sub.add(f.physoutdev, c, v, 4);
          break;
        case 10: {
          const raw = c.ascii(v, vlen);
          const nul = raw.indexOf('\0');
          sub.add(f.prefix, c, v, vlen, { value: nul < 0 ? raw : raw.slice(0, nul), label: `Prefix: ${nul < 0 ? raw : raw.slice(0, nul)}` });
          break;
        }
        case 11:
          sub.add(f.uid, c, v, 4);
          break;
        case 14:
          sub.add(f.gid, c, v, 4);
          break;
        case NFULA_PAYLOAD:
          payload = { at: v, len: vlen };
          break;
        default:
          if (vlen > 0) sub.add(f.value, c, v, vlen);
      }
      // A TLV running past the end of the packet makes it malformed (a capture cut does not).
      if (t + len > c.reportedEnd) c.check(t, len);
      t += (len + 3) & ~3;
    }
    if (payload) {
      const next = c.sub(payload.at, payload.len);
      const et = family === 2 ? 0x0800 : family === 10 ? 0x86dd : -1;
      if (et < 0 || ctx.call('ethertype', et, next, tree) < 0) ctx.callData(next, tree);
    }
    return c.end - c.start;
  },
});
