// OSPF v2/v3 (RFC 2328/5340), IP protocol 89: the common header (version, type, length,
// router id, area id, checksum). Info names the packet type (`Hello Packet`).

import { field, protocol } from '../core/registry.ts';

const types: Record<number, string> = { 1: 'Hello Packet', 2: 'DB Description', 3: 'LS Request', 4: 'LS Update', 5: 'LS Acknowledge' };

const f = {
  version: field('ospf.version', 'Version', 'uint8'),
  msg: field('ospf.msg', 'Message Type', 'uint8', { values: types }),
  packetLength: field('ospf.packet_length', 'Packet Length', 'uint16'),
  srcrouter: field('ospf.srcrouter', 'Source OSPF Router', 'ipv4'),
  areaId: field('ospf.area_id', 'Area ID', 'ipv4'),
  checksum: field('ospf.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  authType: field('ospf.auth.type', 'Auth Type', 'uint16'),
  instanceId: field('ospf.instance_id', 'Instance ID', 'uint8'),
};

export default protocol({
  abbrev: 'ospf',
  name: 'Open Shortest Path First',
  short: 'OSPF',
  fields: f,
  register(r) {
    r.table('ip.proto', 89);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const version = c.u8(o);
    const type = c.u8(o + 1);
    tree.add(f.version, c, o, 1);
    tree.add(f.msg, c, o + 1, 1);
    ctx.setInfo(types[type] ?? 'Unknown');
    tree.add(f.packetLength, c, o + 2, 2);
    tree.add(f.srcrouter, c, o + 4, 4);
    tree.add(f.areaId, c, o + 8, 4);
    tree.add(f.checksum, c, o + 12, 2);
    if (version === 2) tree.add(f.authType, c, o + 14, 2);
    else tree.add(f.instanceId, c, o + 14, 1);
    return c.remaining(o);
  },
});
