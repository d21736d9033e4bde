// LISP control plane (RFC 6830/9301) on UDP 4342: Map-Request, Map-Reply, Map-Register,
// Map-Notify and Encapsulated Control Messages (the inner IP/UDP/LISP packet is dissected).
// Info names the message, its notable flags and the first EID prefix (`... for 10.0.0.0/8`).

import { field, protocol } from '../core/registry.ts';
import { malformed } from './malformed.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import { formatIPv4, formatIPv6 } from '../core/format.ts';
import type { FieldDef } from '../core/types.ts';
import type { PacketContext } from '../core/context.ts';

const types: Record<number, string> = {
  0: 'Reserved', 1: 'Map-Request', 2: 'Map-Reply', 3: 'Map-Register', 4: 'Map-Notify', 5: 'Map-Referral', 6: 'Info', 8: 'Encapsulated Control Message',
};
const afis: Record<number, string> = { 0: 'Reserved', 1: 'IPv4', 2: 'IPv6', 16387: 'LCAF', 16389: 'MAC' };

const f = {
  type: field('lisp.type', 'Type', 'uint24', { bitmask: 0xf00000, bitWidth: 24, values: types }),
  mreqFlags: field('lisp.mreq.flags', 'Flags', 'uint24', { base: 'hex', bitmask: 0x0fc000, bitWidth: 24 }),
  mreqAuth: field('lisp.mreq.flags.auth', 'A bit (Authoritative)', 'bool', { bitmask: 0x080000, bitWidth: 24 }),
  mreqMrp: field('lisp.mreq.flags.mrp', 'M bit (Map-Reply present)', 'bool', { bitmask: 0x040000, bitWidth: 24 }),
  mreqProbe: field('lisp.mreq.flags.probe', 'P bit (Probe)', 'bool', { bitmask: 0x020000, bitWidth: 24 }),
  mreqSmr: field('lisp.mreq.flags.smr', 'S bit (Solicit-Map-Request)', 'bool', { bitmask: 0x010000, bitWidth: 24 }),
  mreqPitr: field('lisp.mreq.flags.pitr', 'p bit (Proxy ITR)', 'bool', { bitmask: 0x008000, bitWidth: 24 }),
  mreqSmri: field('lisp.mreq.flags.smri', 's bit (SMR-invoked)', 'bool', { bitmask: 0x004000, bitWidth: 24 }),
  irc: field('lisp.irc', 'ITR-RLOC Count', 'uint24', { bitmask: 0x00001f, bitWidth: 24 }),
  mrepProbe: field('lisp.mrep.flags.probe', 'P bit (Probe)', 'bool', { bitmask: 0x080000, bitWidth: 24 }),
  mrepEnlr: field('lisp.mrep.flags.enlr', 'E bit (Echo-Nonce locator reachability algorithm enabled)', 'bool', { bitmask: 0x040000, bitWidth: 24 }),
  mrepSec: field('lisp.mrep.flags.sec', 'S bit (LISP-SEC capable)', 'bool', { bitmask: 0x020000, bitWidth: 24 }),
  mregPmr: field('lisp.mreg.flags.pmr', 'P bit (Proxy-Map-Reply)', 'bool', { bitmask: 0x080000, bitWidth: 24 }),
  records: field('lisp.records', 'Record Count', 'uint8'),
  nonce: field('lisp.nonce', 'Nonce', 'uint64', { base: 'hex' }),
  keyid: field('lisp.keyid', 'Key ID', 'uint16', { base: 'hex' }),
  authlen: field('lisp.authlen', 'Authentication Data Length', 'uint16'),
  auth: field('lisp.auth', 'Authentication Data', 'bytes'),
  srceidAfi: field('lisp.mreq.srceid.afi', 'Source EID AFI', 'uint16', { values: afis }),
  srceidIpv4: field('lisp.mreq.srceid.ipv4', 'Source EID', 'ipv4'),
  srceidIpv6: field('lisp.mreq.srceid_ipv6', 'Source EID', 'ipv6'),
  itrRloc: field('lisp.mreq.itr_rloc', 'ITR-RLOC', 'none'),
  itrRlocAfi: field('lisp.mreq.itr_rloc.afi', 'ITR-RLOC AFI', 'uint16', { values: afis }),
  itrRlocIpv4: field('lisp.mreq.itr_rloc_ipv4', 'ITR-RLOC Address', 'ipv4'),
  itrRlocIpv6: field('lisp.mreq.itr_rloc_ipv6', 'ITR-RLOC Address', 'ipv6'),
  mreqRecord: field('lisp.mreq.record', 'Map-Request Record', 'none'),
  mreqPrefixLength: field('lisp.mreq.record.prefix.length', 'Prefix Length', 'uint8'),
  mreqPrefixAfi: field('lisp.mreq.record.prefix.afi', 'Prefix AFI', 'uint16', { values: afis }),
  mreqPrefixIpv4: field('lisp.mreq.record.prefix.ipv4', 'Prefix', 'ipv4'),
  mreqPrefixIpv6: field('lisp.mreq.record.prefix.ipv6', 'Prefix', 'ipv6'),
  mapping: field('lisp.mapping', 'Mapping Record', 'none'),
  ttl: field('lisp.mapping.ttl', 'Record TTL', 'uint32'),
  loccnt: field('lisp.mapping.loccnt', 'Locator Count', 'uint8'),
  masklen: field('lisp.mapping.eid.masklen', 'EID Mask Length', 'uint8'),
  act: field('lisp.mapping.act', 'Action', 'uint16', { bitmask: 0xe000, bitWidth: 16, values: { 0: 'No-Action', 1: 'Natively-Forward', 2: 'Send-Map-Request', 3: 'Drop/No-Reason' } }),
  mapAuth: field('lisp.mapping.auth', 'Authoritative bit', 'bool', { bitmask: 0x1000, bitWidth: 16 }),
  ver: field('lisp.mapping.ver', 'Mapping Version', 'uint16', { bitmask: 0x0fff, bitWidth: 16 }),
  eidAfi: field('lisp.mapping.eid.afi', 'EID Prefix AFI', 'uint16', { values: afis }),
  eidIpv4: field('lisp.mapping.eid.ipv4', 'EID Prefix', 'ipv4'),
  eidIpv6: field('lisp.mapping.eid.ipv6', 'EID Prefix', 'ipv6'),
  ecmSec: field('lisp.ecm.flags.sec', 'S bit (LISP-SEC capable)', 'bool', { bitmask: 0x08000000, bitWidth: 32 }),
  ecmDdt: field('lisp.ecm.flags.ddt', 'D bit (DDT-originated)', 'bool', { bitmask: 0x04000000, bitWidth: 32 }),
};

/** An AFI-tagged address; returns [next offset, text]. Only IPv4/IPv6 are decoded. */
function addr(c: Cursor, o: number, tree: Tree, afiDef: FieldDef, v4: FieldDef, v6: FieldDef): [number, string] {
  const afi = c.u16(o);
  tree.add(afiDef, c, o, 2);
  if (afi === 1) {
    tree.add(v4, c, o + 2, 4);
    return [o + 6, formatIPv4(c.u32(o + 2))];
  }
  if (afi === 2) {
    tree.add(v6, c, o + 2, 16);
    return [o + 18, formatIPv6(c.bytes(o + 2, 16))];
  }
  if (afi === 0) return [o + 2, ''];
  throw malformed(`unsupported AFI ${afi}`);
}

/** Map-Reply/Register/Notify records; returns [next offset, first EID prefix]. */
function mappingRecords(c: Cursor, o: number, count: number, tree: Tree): [number, string] {
  let p = o;
  let first = '';
  for (let i = 0; i < Math.min(count, 64); i++) {
    const t = tree.addTree(f.mapping, c, p, 0, { label: `Mapping Record ${i + 1}` });
    const start = p;
    t.add(f.ttl, c, p, 4);
    const loc = c.u8(p + 4);
    t.add(f.loccnt, c, p + 4, 1);
    const mask = c.u8(p + 5);
    t.add(f.masklen, c, p + 5, 1);
    t.add(f.act, c, p + 6, 2);
    t.add(f.mapAuth, c, p + 6, 2);
    t.add(f.ver, c, p + 8, 2);
    const [q, eid] = addr(c, p + 10, t, f.eidAfi, f.eidIpv4, f.eidIpv6);
    if (i === 0) first = `${eid}/${mask}`;
    p = q;
    if (t.owner) t.owner.length = p - start;
    for (let k = 0; k < loc; k++) {
      // Priority, weight, m-priority, m-weight, flags (2), locator AFI + address.
      const afi = c.u16(p + 6);
      const len = 8 + (afi === 1 ? 4 : afi === 2 ? 16 : 0);
      // The record never extends past the data: a locator cut short throws (truncated or malformed).
      c.check(p, len);
      p += len;
      if (t.owner) t.owner.length = p - start;
    }
  }
  return [p, first];
}

function message(c: Cursor, o: number, tree: Tree, ctx: PacketContext): string {
  const type = c.u8(o) >> 4;
  tree.add(f.type, c, o, 3);
  const name = types[type] ?? 'Unknown';
  switch (type) {
    case 1: {
      const flags = c.u24(o);
      const ft = tree.addTree(f.mreqFlags, c, o, 3);
      for (const d of [f.mreqAuth, f.mreqMrp, f.mreqProbe, f.mreqSmr, f.mreqPitr, f.mreqSmri]) ft.add(d, c, o, 3);
      const irc = flags & 0x1f;
      tree.add(f.irc, c, o, 3);
      const recs = c.u8(o + 3);
      tree.add(f.records, c, o + 3, 1);
      tree.add(f.nonce, c, o + 4, 8);
      let [p] = addr(c, o + 12, tree, f.srceidAfi, f.srceidIpv4, f.srceidIpv6);
      for (let i = 0; i <= irc; i++) {
        const t = tree.addTree(f.itrRloc, c, p, 0, { label: `ITR-RLOC ${i + 1}` });
        [p] = addr(c, p, t, f.itrRlocAfi, f.itrRlocIpv4, f.itrRlocIpv6);
      }
      let prefix = '';
      for (let i = 0; i < Math.min(recs, 64); i++) {
        const t = tree.addTree(f.mreqRecord, c, p, 0, { label: `Map-Request Record ${i + 1}` });
        const mask = c.u8(p + 1);
        t.add(f.mreqPrefixLength, c, p + 1, 1);
        const [q, a] = addr(c, p + 2, t, f.mreqPrefixAfi, f.mreqPrefixIpv4, f.mreqPrefixIpv6);
        if (i === 0) prefix = `${a}/${mask}`;
        p = q;
      }
      const flagText = (flags & 0x020000 ? ' (RLOC-probe)' : '') + (flags & 0x010000 ? ' (SMR)' : '') + (flags & 0x004000 ? ' (SMR-invoked)' : '');
      return `${name}${flagText}${prefix ? ' for ' + prefix : ''}`;
    }
    case 2: {
      const flags = c.u24(o);
      tree.add(f.mrepProbe, c, o, 3);
      tree.add(f.mrepEnlr, c, o, 3);
      tree.add(f.mrepSec, c, o, 3);
      const recs = c.u8(o + 3);
      tree.add(f.records, c, o + 3, 1);
      tree.add(f.nonce, c, o + 4, 8);
      const [, prefix] = mappingRecords(c, o + 12, recs, tree);
      return `${name}${flags & 0x080000 ? ' (RLOC-probe reply)' : ''}${prefix ? ' for ' + prefix : ''}`;
    }
    case 3: case 4: {
      if (type === 3) tree.add(f.mregPmr, c, o, 3);
      const recs = c.u8(o + 3);
      tree.add(f.records, c, o + 3, 1);
      tree.add(f.nonce, c, o + 4, 8);
      tree.add(f.keyid, c, o + 12, 2);
      const alen = c.u16(o + 14);
      tree.add(f.authlen, c, o + 14, 2);
      if (alen) tree.add(f.auth, c, o + 16, alen);
      const [, prefix] = mappingRecords(c, o + 16 + alen, recs, tree);
      return `${name}${prefix ? ' for ' + prefix : ''}`;
    }
    case 8: {
      const ddt = (c.u32(o) & 0x04000000) !== 0;
      tree.add(f.ecmSec, c, o, 4);
      tree.add(f.ecmDdt, c, o, 4);
      const inner = c.sub(o + 4);
      const v = c.u8(o + 4) >> 4;
      ctx.callProtocol(v === 6 ? 'ipv6' : 'ip', inner, tree);
      const innerInfo = ctx.columns.info;
      ctx.columns.protocol = 'LISP';
      const m = /^(Map-Request)(.*)$/.exec(innerInfo);
      return m ? `Encapsulated ${m[1]}${ddt ? ' (DDT-originated)' : ''}${m[2]}` : `Encapsulated ${innerInfo}`;
    }
    default:
      return name;
  }
}

export default protocol({
  abbrev: 'lisp',
  name: 'Locator/ID Separation Protocol',
  short: 'LISP',
  fields: f,
  register(r) {
    r.table('udp.port', 4342);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    ctx.setInfo(message(c, o, tree, ctx));
    return c.remaining(o);
  },
});
