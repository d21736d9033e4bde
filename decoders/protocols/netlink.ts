// Linux netlink captures (LINKTYPE_NETLINK 253, from the nlmon device): a 16-byte cooked
// header like SLL's, whose last word is the netlink family, then netlink messages. The
// family goes through `netlink.family`; rtnetlink (family 0) is `netlink-route` below,
// which lays out each message header. Messages are in the capturing host's byte order;
// the cooked header's address type (824) tells which.

import { field, protocol } from '../core/registry.ts';

const ARPHRD_NETLINK = 824;

const familyNames: Record<number, string> = {
  0: 'Route', 2: 'User-mode socket protocols', 4: 'Firewalling hook', 5: 'Socket monitoring', 6: 'Netfilter ULOG', 7: 'IPsec',
  8: 'SELinux event notification', 9: 'Open-iSCSI', 10: 'Auditing', 11: 'FIB lookup', 12: 'Kernel connector', 13: 'Netfilter',
  14: 'IPv6 IP6 firewall', 15: 'DECnet routing messages', 16: 'Kernel messages to userspace', 17: 'Generic', 18: 'SCSI Transports',
  19: 'ecryptfs', 20: 'RDMA', 21: 'Crypto layer',
};

const f = {
  hatype: field('netlink.hatype', 'Link-layer address type', 'uint16', { values: { 824: 'Netlink' } }),
  family: field('netlink.family', 'Family', 'uint16', { base: 'hex', values: familyNames }),
  hdrLen: field('netlink.hdr_len', 'Length', 'uint32'),
  hdrType: field('netlink.hdr_type', 'Message type', 'uint16', { base: 'hex' }),
  hdrFlags: field('netlink.hdr_flags', 'Flags', 'uint16', { base: 'hex' }),
  flagRequest: field('netlink.hdr_flags.request', 'Request', 'uint16', { bitmask: 0x0001, bitWidth: 16 }),
  flagMulti: field('netlink.hdr_flags.multi', 'Multipart message', 'uint16', { bitmask: 0x0002, bitWidth: 16 }),
  flagAck: field('netlink.hdr_flags.ack', 'Ack', 'uint16', { bitmask: 0x0004, bitWidth: 16 }),
  flagEcho: field('netlink.hdr_flags.echo', 'Echo', 'uint16', { bitmask: 0x0008, bitWidth: 16 }),
  flagDumpIntr: field('netlink.hdr_flags.dump_intr', 'Dump inconsistent', 'uint16', { bitmask: 0x0010, bitWidth: 16 }),
  flagDumpFiltered: field('netlink.hdr_flags.dump_filtered', 'Dump filtered', 'uint16', { bitmask: 0x0020, bitWidth: 16 }),
  hdrSeq: field('netlink.hdr_seq', 'Sequence', 'uint32'),
  hdrPid: field('netlink.hdr_pid', 'Port ID', 'uint32'),
  attrData: field('netlink.attr_data', 'Data', 'bytes'),
};

/** Little-endian when the cooked header's address type only reads right that way. */
const LE_KEY = 'netlink.le';

export default protocol({
  abbrev: 'netlink',
  name: 'Linux netlink (cooked header)',
  short: 'Netlink',
  fields: f,
  register(r) {
    r.table('link', 253);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const le = c.u16(o + 2) !== ARPHRD_NETLINK && c.u16le(o + 2) === ARPHRD_NETLINK;
    ctx.scratch.set(LE_KEY, le);
    tree.add(f.hatype, c, o + 2, 2, { le });
    const family = le ? c.u16le(o + 14) : c.u16(o + 14);
    tree.add(f.family, c, o + 14, 2, { le });
    const next = c.sub(o + 16);
    if (ctx.call('netlink.family', family, next, tree) < 0) ctx.callData(next, tree);
    return c.end - c.start;
  },
});

const rtTypes: Record<number, string> = {
  16: 'Create network interface', 17: 'Delete network interface', 18: 'Get network interface', 19: 'Set network interface',
  20: 'Create IP address', 21: 'Delete IP address', 22: 'Get IP address', 24: 'Create routing table entry',
  25: 'Delete routing table entry', 26: 'Get routing table entry', 28: 'Create neighbour table entry',
  29: 'Delete neighbour table entry', 30: 'Get neighbour table entry', 32: 'Create routing rule', 33: 'Delete routing rule',
  34: 'Get routing rule', 36: 'Create queueing discipline', 37: 'Delete queueing discipline', 38: 'Get queueing discipline',
};

const r = {
  nltype: field('netlink-route.nltype', 'Message type', 'uint16', { values: { 1: 'Nothing', 2: 'Error', 3: 'End of a dump', 4: 'Data lost', ...rtTypes } }),
  header: field('netlink-route.header', 'Netlink message header', 'none'),
  body: field('netlink-route.data', 'Message data', 'bytes'),
};

export const netlinkRoute = protocol({
  abbrev: 'netlink-route',
  name: 'Linux rtnetlink (route netlink) protocol',
  short: 'Netlink route',
  fields: r,
  register(reg) {
    reg.table('netlink.family', 0);
  },
  dissect(c, ctx, tree) {
    const le = ctx.scratch.get(LE_KEY) === true;
    ctx.setInfo('');
    let m = c.start;
    // A netlink frame carries at least one message header: an empty one is malformed (or cut by the capture).
    if (c.reportedRemaining(m) === 0) c.check(m, 16);
    // Every message is at least 16 bytes long, so the walk ends within the frame. It runs to the
    // packet's reported end: a header cut by the capture reads past it (truncated), one cut by
    // the end of the packet is malformed.
    while (c.reportedRemaining(m) > 0) {
      const len = le ? c.u32le(m) : c.u32(m);
      const type = le ? c.u16le(m + 4) : c.u16(m + 4);
      const name = r.nltype.values![type] ?? 'Unknown';
      const h = tree.addTree(r.header, c, m, 16, { label: `Netlink message header (type: ${name})` });
      h.add(f.hdrLen, c, m, 4, { le });
      h.add(r.nltype, c, m + 4, 2, { le });
      const fl = h.addTree(f.hdrFlags, c, m + 6, 2, { le });
      for (const def of [f.flagRequest, f.flagMulti, f.flagAck, f.flagEcho, f.flagDumpIntr, f.flagDumpFiltered]) fl.add(def, c, m + 6, 2, { le });
      h.add(f.hdrSeq, c, m + 8, 4, { le });
      h.add(f.hdrPid, c, m + 12, 4, { le });
      if (len < 16) break;
      const body = Math.min(len, c.remaining(m)) - 16;
      if (body > 0) tree.add(r.body, c, m + 16, body);
      if (m + len > c.reportedEnd) c.check(m, len);
      // Plain arithmetic: `(len + 3) & ~3` wraps to 0 for lengths near 2^32 and would never advance.
      m += Math.ceil(len / 4) * 4;
    }
    return c.end - c.start;
  },
});
