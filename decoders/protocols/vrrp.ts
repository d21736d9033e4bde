// VRRP v2/v3 (RFC 3768/5798), IP protocol 112: version/type, virtual router id, priority,
// address count, authentication (v2), advertisement interval, checksum and the addresses.

import { field, protocol } from '../core/registry.ts';

const f = {
  typever: field('vrrp.typever', 'VRRP message version and type', 'uint8'),
  version: field('vrrp.version', 'VRRP protocol version', 'uint8', { bitmask: 0xf0, bitWidth: 8 }),
  type: field('vrrp.type', 'VRRP packet type', 'uint8', { bitmask: 0x0f, bitWidth: 8, values: { 1: 'Advertisement' } }),
  virtRtrId: field('vrrp.virt_rtr_id', 'Virtual Rtr ID', 'uint8'),
  prio: field('vrrp.prio', 'Priority', 'uint8'),
  addrCount: field('vrrp.addr_count', 'Addr Count', 'uint8'),
  authType: field('vrrp.auth_type', 'Auth Type', 'uint8', { values: { 0: 'No Authentication', 1: 'Simple Text Authentication [RFC 2338] / Reserved [RFC 3768]', 2: 'IP Authentication Header [RFC 2338] / Reserved [RFC 3768]' } }),
  adverInt: field('vrrp.adver_int', 'Adver Int', 'uint8'),
  reservedMbz: field('vrrp.reserved_mbz', 'Reserved', 'uint8', { bitmask: 0xf0, bitWidth: 8 }),
  shortAdverInt: field('vrrp.short_adver_int', 'Adver Int', 'uint16', { bitmask: 0x0fff, bitWidth: 16 }),
  checksum: field('vrrp.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  ipAddr: field('vrrp.ip_addr', 'IP Address', 'ipv4'),
  ipv6Addr: field('vrrp.ipv6_addr', 'IPv6 Address', 'ipv6'),
  authString: field('vrrp.auth_string', 'Authentication String', 'string'),
};

export default protocol({
  abbrev: 'vrrp',
  name: 'Virtual Router Redundancy Protocol',
  short: 'VRRP',
  fields: f,
  register(r) {
    r.table('ip.proto', 112);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const tv = c.u8(o);
    const version = tv >> 4;
    const type = tv & 0x0f;
    const t = tree.addTree(f.typever, c, o, 1, { label: `Version ${version}, Packet type ${type} (${type === 1 ? 'Advertisement' : 'Unknown'})` });
    t.add(f.version, c, o, 1);
    t.add(f.type, c, o, 1);
    ctx.setInfo(`${type === 1 ? 'Announcement' : 'Unknown'} (v${version})`);
    tree.add(f.virtRtrId, c, o + 1, 1);
    tree.add(f.prio, c, o + 2, 1);
    const count = c.u8(o + 3);
    tree.add(f.addrCount, c, o + 3, 1);
    if (version === 3) {
      tree.add(f.reservedMbz, c, o + 4, 1);
      tree.add(f.shortAdverInt, c, o + 4, 2);
    } else {
      tree.add(f.authType, c, o + 4, 1);
      tree.add(f.adverInt, c, o + 5, 1);
    }
    tree.add(f.checksum, c, o + 6, 2);
    const v6 = ctx.netSrc?.kind === 'ipv6';
    let p = o + 8;
    for (let i = 0; i < count; i++) {
      if (v6) {
        tree.add(f.ipv6Addr, c, p, 16);
        p += 16;
      } else {
        tree.add(f.ipAddr, c, p, 4);
        p += 4;
      }
    }
    if (version === 2 && c.u8(o + 4) === 1) tree.add(f.authString, c, p, 8);
    return c.remaining(o);
  },
});
