// Internet Group Management Protocol v0/v1/v2/v3 (RFC 1112, 2236, 3376) as Wireshark 4.0 shows
// it: the version is worked out from the type and length, the checksum verified, and the Info
// column lists v3 group records. Wireshark hands IGMP messages to its own per-type handlers, so
// frame.protocols reads `ip:igmp:igmp`; we record the same.

import { field, protocol } from '../core/registry.ts';
import { formatIPv4 } from '../core/format.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import { checksumShouldBe, inetChecksum } from './ip-shared.ts';
import { igmpTypeNames } from './ip-names.ts';

const recordTypeNames: Readonly<Record<number, string>> = {
  1: 'Mode Is Include', 2: 'Mode Is Exclude', 3: 'Change To Include Mode', 4: 'Change To Exclude Mode', 5: 'Allow New Sources', 6: 'Block Old Sources',
};
const checksumStatusNames = { 0: 'Bad', 1: 'Good', 2: 'Unverified' };

const f = {
  type: field('igmp.type', 'Type', 'uint8', { base: 'hex', values: igmpTypeNames }),
  reserved: field('igmp.reserved', 'Reserved', 'bytes'),
  version: field('igmp.version', 'IGMP Version', 'uint8'),
  checksum: field('igmp.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: field('igmp.checksum.status', 'Checksum Status', 'uint8', { values: checksumStatusNames }),
  maxResp: field('igmp.max_resp', 'Max Resp Time', 'uint8'),
  maxRespExp: field('igmp.max_resp.exp', 'Exponent', 'uint8', { base: 'hex', bitmask: 0x70, bitWidth: 8 }),
  maxRespMant: field('igmp.max_resp.mant', 'Mantissa', 'uint8', { base: 'hex', bitmask: 0x0f, bitWidth: 8 }),
  s: field('igmp.s', 'S', 'bool', { bitmask: 0x08, bitWidth: 8, trueFalse: ['SUPPRESS router side processing', 'Do not suppress router side processing'] }),
  qrv: field('igmp.qrv', 'QRV', 'uint8', { bitmask: 0x07, bitWidth: 8 }),
  qqic: field('igmp.qqic', 'QQIC', 'uint8'),
  numSrc: field('igmp.num_src', 'Num Src', 'uint16'),
  saddr: field('igmp.saddr', 'Source Address', 'ipv4'),
  numGrpRecs: field('igmp.num_grp_recs', 'Num Group Records', 'uint16'),
  groupRecord: field('igmp.group_record', 'Group Record', 'none'),
  recordType: field('igmp.record_type', 'Record Type', 'uint8', { values: recordTypeNames }),
  auxDataLen: field('igmp.aux_data_len', 'Aux Data Len', 'uint8'),
  maddr: field('igmp.maddr', 'Multicast Address', 'ipv4'),
  auxData: field('igmp.aux_data', 'Aux Data', 'bytes'),
  data: field('igmp.data', 'Data', 'bytes'),
  groupType: field('igmp.group_type', 'Type Of Group', 'uint8'),
  reply: field('igmp.reply', 'Reply', 'uint8'),
  identifier: field('igmp.identifier', 'Identifier', 'uint32'),
  accessKey: field('igmp.access_key', 'Access Key', 'bytes'),
  mtraceMaxHops: field('igmp.mtrace.max_hops', '# hops', 'uint8'),
  mtraceSaddr: field('igmp.mtrace.saddr', 'Source Address', 'ipv4'),
  mtraceRaddr: field('igmp.mtrace.raddr', 'Receiver Address', 'ipv4'),
  mtraceRspaddr: field('igmp.mtrace.rspaddr', 'Response Address', 'ipv4'),
  mtraceRespTtl: field('igmp.mtrace.resp_ttl', 'Response TTL', 'uint8'),
  mtraceQid: field('igmp.mtrace.q_id', 'Query ID', 'uint24'),
};

function checksum(c: Cursor, o: number, tree: Tree): void {
  const cks = c.u16(o + 2);
  const text = `0x${cks.toString(16).padStart(4, '0')}`;
  const len = c.reportedEnd - o;
  if (c.remaining(o) >= len) {
    const computed = inetChecksum(c.bytes(o, len));
    if (computed === 0) {
      tree.add(f.checksum, c, o + 2, 2, { label: `Checksum: ${text} [correct]` });
      tree.generated(f.checksumStatus, 1, '[Checksum Status: Good]', c, o + 2, 0);
    } else {
      const should = checksumShouldBe(cks, computed).toString(16).padStart(4, '0');
      const ct = tree.addTree(f.checksum, c, o + 2, 2, { label: `Checksum: ${text} incorrect, should be 0x${should}` });
      ct.expert('warn', 'checksum', `Bad checksum [should be 0x${should}]`);
      tree.generated(f.checksumStatus, 0, '[Checksum Status: Bad]', c, o + 2, 0);
    }
  } else {
    tree.add(f.checksum, c, o + 2, 2, { label: `Checksum: ${text} [unverified]` });
    tree.generated(f.checksumStatus, 2, '[Checksum Status: Unverified]', c, o + 2, 0);
  }
}

function typeItem(tree: Tree, c: Cursor, o: number): void {
  const t = c.u8(o);
  tree.add(f.type, c, o, 1, { label: `Type: ${igmpTypeNames[t] ?? 'Unknown Type'} (0x${t.toString(16).padStart(2, '0')})` });
}

function v3MaxResp(v: number): number {
  if (v < 128) return v;
  const exp = (v >> 4) & 7;
  const mant = v & 0x0f;
  return (mant | 0x10) << (exp + 3);
}

function sourceList(c: Cursor, p: number, n: number, tree: Tree): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++, p += 4) {
    out.push(formatIPv4(c.u32(p)));
    tree.add(f.saddr, c, p, 4);
  }
  return out;
}

function v3Record(c: Cursor, p: number, ctx: PacketContext, tree: Tree): number {
  const rtype = c.u8(p);
  const aux = c.u8(p + 1) * 4;
  const n = c.u16(p + 2);
  const maddr = formatIPv4(c.u32(p + 4));
  const len = 8 + n * 4 + aux;
  const rt = tree.addTree(f.groupRecord, c, p, Math.min(len, Math.max(0, c.end - p)), { label: `Group Record : ${maddr}  ${recordTypeNames[rtype] ?? 'Unknown'}` });
  rt.add(f.recordType, c, p, 1);
  rt.add(f.auxDataLen, c, p + 1, 1);
  rt.add(f.numSrc, c, p + 2, 2);
  rt.add(f.maddr, c, p + 4, 4);
  let text: string;
  if (n === 0) {
    switch (rtype) {
      case 1: case 3: text = ` / Leave group ${maddr}`; break;
      case 2: case 4: text = ` / Join group ${maddr} for any sources`; break;
      case 5: text = ` / Group ${maddr}, ALLOW_NEW_SOURCES but no source specified (?)`; break;
      case 6: text = ` / Group ${maddr}, BLOCK_OLD_SOURCES but no source specified (?)`; break;
      default: text = ` / Group ${maddr} has unknown record type ${rtype}`;
    }
  } else {
    switch (rtype) {
      case 1: case 3: text = ` / Join group ${maddr} for source${n > 1 ? 's in' : ''} {`; break;
      case 2: case 4: text = ` / Join group ${maddr}, for source${n > 1 ? 's not in' : ' not'} {`; break;
      case 5: text = ` / Group ${maddr}, new source${n > 1 ? 's' : ''} {`; break;
      case 6: text = ` / Group ${maddr}, block source${n > 1 ? 's' : ''} {`; break;
      default: text = ` / Group ${maddr} has unknown record type ${rtype}, sources {`;
    }
    text += sourceList(c, p + 8, n, rt).join(', ') + '}';
  }
  ctx.appendInfo(text, '');
  if (aux) rt.add(f.auxData, c, p + 8 + n * 4, aux);
  return len;
}

export default protocol({
  abbrev: 'igmp',
  name: 'Internet Group Management Protocol',
  short: 'IGMP',
  fields: f,
  register(r) {
    r.table('ip.proto', 2);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const type = c.u8(o);
    const len = c.reportedEnd - o;
    let version = -1;
    if (type >= 1 && type <= 8) version = 0;
    else if (type === 0x11) version = len === 8 ? (c.u8(o + 1) === 0 ? 1 : 2) : len >= 12 ? 3 : -1;
    else if (type === 0x12) version = 1;
    else if (type === 0x16 || type === 0x17) version = 2;
    else if (type === 0x22) version = 3;
    if (type === 0x1e || type === 0x1f) {
      // Multicast traceroute (mtrace), decoded by IGMP's own handler as well.
      ctx.protocols.push('igmp');
      ctx.columns.protocol = 'IGMP';
      const name = type === 0x1e ? 'Traceroute Response' : len === 24 ? 'Traceroute Query' : 'Traceroute Request';
      ctx.setInfo(name);
      tree.add(f.type, c, o, 1, { label: `Type: ${name} (0x${type.toString(16)})` });
      tree.add(f.mtraceMaxHops, c, o + 1, 1);
      checksum(c, o, tree);
      tree.add(f.maddr, c, o + 4, 4);
      tree.add(f.mtraceSaddr, c, o + 8, 4);
      tree.add(f.mtraceRaddr, c, o + 12, 4);
      tree.add(f.mtraceRspaddr, c, o + 16, 4);
      tree.add(f.mtraceRespTtl, c, o + 20, 1);
      tree.add(f.mtraceQid, c, o + 21, 3);
      if (c.reportedRemaining(o + 24) > 0) tree.add(f.data, c, o + 24, Math.min(c.remaining(o + 24), len - 24));
      return c.remaining(o);
    }
    if (version < 0) {
      ctx.columns.protocol = 'IGMP';
      ctx.setInfo(`Unknown Type:0x${type.toString(16).padStart(2, '0')}`);
      typeItem(tree, c, o);
      if (len > 1) tree.add(f.data, c, o + 1, Math.min(len - 1, c.remaining(o + 1)));
      return c.remaining(o);
    }
    // Wireshark's per-type IGMP handler shows up as a second `igmp` layer.
    ctx.protocols.push('igmp');
    ctx.columns.protocol = `IGMPv${version}`;
    tree.generated(f.version, version, `[IGMP Version: ${version}]`);
    typeItem(tree, c, o);
    const typeName = igmpTypeNames[type] ?? 'Unknown Type';
    ctx.setInfo(typeName);
    if (version === 0) {
      tree.add(f.reply, c, o + 1, 1);
      checksum(c, o, tree);
      tree.add(f.identifier, c, o + 4, 4);
      tree.add(f.maddr, c, o + 8, 4);
      tree.add(f.accessKey, c, o + 12, 8);
      return c.remaining(o);
    }
    if (version === 1 || (version === 3 && type === 0x22)) {
      tree.add(f.reserved, c, o + 1, 1);
    } else {
      const v = c.u8(o + 1);
      const t = version === 3 ? v3MaxResp(v) : v;
      tree.add(f.maxResp, c, o + 1, 1, { label: `Max Resp Time: ${(t / 10).toFixed(1)} sec (0x${v.toString(16).padStart(2, '0')})` });
    }
    checksum(c, o, tree);
    if (version === 3 && type === 0x22) {
      tree.add(f.reserved, c, o + 4, 2);
      const n = c.u16(o + 6);
      tree.add(f.numGrpRecs, c, o + 6, 2);
      let p = o + 8;
      for (let i = 0; i < n && p < c.reportedEnd; i++) p += v3Record(c, p, ctx, tree);
      return c.remaining(o);
    }
    const maddr = c.u32(o + 4);
    tree.add(f.maddr, c, o + 4, 4);
    if (version === 3) {
      tree.add(f.s, c, o + 8, 1);
      tree.add(f.qrv, c, o + 8, 1);
      tree.add(f.qqic, c, o + 9, 1);
      const n = c.u16(o + 10);
      tree.add(f.numSrc, c, o + 10, 2);
      ctx.appendInfo(maddr ? `, specific for group ${formatIPv4(maddr)}` : ', general', '');
      const srcs = sourceList(c, o + 12, n, tree);
      if (n) ctx.appendInfo(`, source${n > 1 ? 's' : ''} {${srcs.join(', ')}}`, '');
      return c.remaining(o);
    }
    if (version === 2) {
      if (type === 0x11) ctx.appendInfo(maddr ? `, specific for group ${formatIPv4(maddr)}` : ', general', '');
      else if (type === 0x16) ctx.appendInfo(`group ${formatIPv4(maddr)}`);
      else if (type === 0x17) ctx.appendInfo(formatIPv4(maddr));
    }
    return c.remaining(o);
  },
});
