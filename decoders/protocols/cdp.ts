// Cisco Discovery Protocol (LLC SNAP, Cisco OUI, PID 0x2000): version, TTL, checksum and the
// TLVs (device id, port id, platform, software version, ...). Info as tshark:
// `Device ID: R1  Port ID: FastEthernet0/0  `.

import { field, protocol } from '../core/registry.ts';
import { malformed } from './malformed.ts';

const tlvTypes: Record<number, string> = {
  0x0001: 'Device ID', 0x0002: 'Addresses', 0x0003: 'Port ID', 0x0004: 'Capabilities', 0x0005: 'Software version', 0x0006: 'Platform',
  0x0007: 'IP Prefixes', 0x0008: 'Protocol Hello', 0x0009: 'VTP Management Domain', 0x000a: 'Native VLAN', 0x000b: 'Duplex',
  0x000e: 'VoIP VLAN Reply', 0x000f: 'VoIP VLAN Query', 0x0010: 'Power consumption', 0x0011: 'MTU', 0x0012: 'Trust Bitmap',
  0x0013: 'Untrusted Port CoS', 0x0014: 'System Name', 0x0015: 'System Object ID', 0x0016: 'Management Addresses', 0x0017: 'Location',
};

const f = {
  version: field('cdp.version', 'Version', 'uint8'),
  ttl: field('cdp.ttl', 'TTL', 'uint8', { unit: ' seconds' }),
  checksum: field('cdp.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  tlv: field('cdp.tlv', 'TLV', 'none'),
  tlvType: field('cdp.tlv.type', 'Type', 'uint16', { base: 'hex', values: tlvTypes }),
  tlvLen: field('cdp.tlv.len', 'Length', 'uint16'),
  deviceid: field('cdp.deviceid', 'Device ID', 'string'),
  portid: field('cdp.portid', 'Sent through Interface', 'string'),
  platform: field('cdp.platform', 'Platform', 'string'),
  softwareVersion: field('cdp.software_version', 'Software version', 'string'),
  nativeVlan: field('cdp.native_vlan', 'Native VLAN', 'uint16'),
  vtpDomain: field('cdp.vtp_management_domain', 'VTP Management Domain', 'string'),
  capabilities: field('cdp.capabilities', 'Capabilities', 'uint32', { base: 'hex' }),
  duplex: field('cdp.duplex', 'Duplex', 'uint8', { values: { 0: 'Half', 1: 'Full' } }),
  data: field('cdp.data', 'Data', 'bytes'),
};

const MAX_TLVS = 128;

export default protocol({
  abbrev: 'cdp',
  name: 'Cisco Discovery Protocol',
  short: 'CDP',
  fields: f,
  register(r) {
    r.table('llc.cisco_pid', 0x2000);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    tree.add(f.version, c, o, 1);
    tree.add(f.ttl, c, o + 1, 1);
    tree.add(f.checksum, c, o + 2, 2);
    let info = '';
    let p = o + 4;
    for (let i = 0; i < MAX_TLVS && c.reportedRemaining(p) > 0; i++) {
      const type = c.u16(p);
      const len = c.u16(p + 2);
      if (len < 4) throw malformed('CDP TLV length below 4');
      const name = tlvTypes[type] ?? 'Unknown';
      const vlen = len - 4;
      const t = tree.addTree(f.tlv, c, p, Math.min(len, c.remaining(p)), { label: name });
      t.add(f.tlvType, c, p, 2);
      t.add(f.tlvLen, c, p + 2, 2);
      const v = p + 4;
      switch (type) {
        case 0x0001: {
          const s = c.ascii(v, vlen);
          t.add(f.deviceid, c, v, vlen, { value: s });
          if (t.owner) t.owner.label = `Device ID: ${s}`;
          info += `Device ID: ${s}  `;
          break;
        }
        case 0x0003: {
          const s = c.ascii(v, vlen);
          t.add(f.portid, c, v, vlen, { value: s });
          if (t.owner) t.owner.label = `Port ID: ${s}`;
          info += `Port ID: ${s}  `;
          break;
        }
        case 0x0005: t.add(f.softwareVersion, c, v, vlen, { value: c.ascii(v, vlen).replace(/\0.*$/s, '') }); break;
        case 0x0006: t.add(f.platform, c, v, vlen); break;
        case 0x0004: t.add(f.capabilities, c, v, 4); break;
        case 0x0009: t.add(f.vtpDomain, c, v, vlen); break;
        case 0x000a: t.add(f.nativeVlan, c, v, 2); break;
        case 0x000b: t.add(f.duplex, c, v, 1); break;
        default: if (vlen > 0) t.add(f.data, c, v, vlen); break;
      }
      // A TLV running past the end of the packet makes it malformed.
      if (p + len > c.reportedEnd) c.check(p, len);
      p += len;
    }
    ctx.setInfo(info);
    return c.remaining(o);
  },
});
