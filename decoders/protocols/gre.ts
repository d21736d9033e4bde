// Generic Routing Encapsulation (RFC 2784/2890) and Enhanced GRE for PPTP (RFC 2637, version 1)
// as Wireshark 4.0 shows it. The payload is handed on by its protocol type through the
// `ethertype` table (IP, IPv6, PPP, and 0x6558 transparent Ethernet bridging when a protocol
// registered for it); unclaimed payload becomes data.

import { field, protocol } from '../core/registry.ts';
import { bitPicture } from '../core/format.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import { checksumShouldBe, inetChecksum } from './ip-shared.ts';
import { greProtoNames } from './ip-names.ts';

const yesNo: readonly [string, string] = ['Yes', 'No'];

const f = {
  proto: field('gre.proto', 'Protocol Type', 'uint16', { base: 'hex', values: greProtoNames }),
  flagsAndVersion: field('gre.flags_and_version', 'Flags and Version', 'uint16', { base: 'hex' }),
  flagChecksum: field('gre.flags.checksum', 'Checksum Bit', 'bool', { bitmask: 0x8000, bitWidth: 16, trueFalse: yesNo }),
  flagRouting: field('gre.flags.routing', 'Routing Bit', 'bool', { bitmask: 0x4000, bitWidth: 16, trueFalse: yesNo }),
  flagKey: field('gre.flags.key', 'Key Bit', 'bool', { bitmask: 0x2000, bitWidth: 16, trueFalse: yesNo }),
  flagSeq: field('gre.flags.sequence_number', 'Sequence Number Bit', 'bool', { bitmask: 0x1000, bitWidth: 16, trueFalse: yesNo }),
  flagSsr: field('gre.flags.strict_source_route', 'Strict Source Route Bit', 'bool', { bitmask: 0x0800, bitWidth: 16, trueFalse: yesNo }),
  flagRecursion: field('gre.flags.recursion_control', 'Recursion control', 'uint16', { bitmask: 0x0700, bitWidth: 16 }),
  flagAck: field('gre.flags.ack', 'Acknowledgment', 'bool', { bitmask: 0x0080, bitWidth: 16, trueFalse: yesNo }),
  flagReserved: field('gre.flags.reserved', 'Flags (Reserved)', 'uint16', { bitmask: 0x00f8, bitWidth: 16 }),
  flagVersion: field('gre.flags.version', 'Version', 'uint16', { bitmask: 0x0007, bitWidth: 16, values: { 0: 'GRE', 1: 'Enhanced GRE' } }),
  checksum: field('gre.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: field('gre.checksum.status', 'Checksum Status', 'uint8', { values: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } }),
  offset: field('gre.offset', 'Offset', 'uint16'),
  key: field('gre.key', 'Key', 'uint32', { base: 'hex' }),
  payloadLength: field('gre.key.payload_length', 'Payload Length', 'uint16'),
  callId: field('gre.key.call_id', 'Call ID', 'uint16'),
  sequenceNumber: field('gre.sequence_number', 'Sequence Number', 'uint32'),
  ackNumber: field('gre.ack_number', 'Acknowledgment Number', 'uint32'),
  routing: field('gre.routing', 'Routing', 'none'),
  routingAf: field('gre.routing.address_family', 'Address Family', 'uint16'),
  routingSreOffset: field('gre.routing.sre_offset', 'SRE Offset', 'uint8'),
  routingSreLength: field('gre.routing.src_length', 'SRE Length', 'uint8'),
  routingInformation: field('gre.routing.information', 'Routing Information', 'bytes'),
};

function checksumItem(c: Cursor, o: number, tree: Tree): void {
  const cks = c.u16(o + 4);
  const text = `0x${cks.toString(16).padStart(4, '0')}`;
  const len = c.reportedEnd - o;
  if (c.remaining(o) >= len) {
    const computed = inetChecksum(c.bytes(o, len));
    if (computed === 0) {
      tree.add(f.checksum, c, o + 4, 2, { label: `Checksum: ${text} [correct]` });
      tree.generated(f.checksumStatus, 1, '[Checksum Status: Good]', c, o + 4, 0);
    } else {
      const should = checksumShouldBe(cks, computed).toString(16).padStart(4, '0');
      const ct = tree.addTree(f.checksum, c, o + 4, 2, { label: `Checksum: ${text} incorrect, should be 0x${should}` });
      ct.expert('warn', 'checksum', 'Incorrect GRE Checksum');
      tree.generated(f.checksumStatus, 0, '[Checksum Status: Bad]', c, o + 4, 0);
    }
  } else {
    tree.add(f.checksum, c, o + 4, 2, { label: `Checksum: ${text} [unverified]` });
    tree.generated(f.checksumStatus, 2, '[Checksum Status: Unverified]', c, o + 4, 0);
  }
}

export default protocol({
  abbrev: 'gre',
  name: 'Generic Routing Encapsulation',
  short: 'GRE',
  fields: f,
  register(r) {
    r.table('ip.proto', 47);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const fv = c.u16(o);
    const proto = c.u16(o + 2);
    const version = fv & 7;
    const protoName = greProtoNames[proto] ?? `0x${proto.toString(16).padStart(4, '0')}`;
    ctx.setInfo(`Encapsulated ${protoName}`);
    if (tree.owner) tree.owner.label = `Generic Routing Encapsulation (${protoName})`;
    const ft = tree.addTree(f.flagsAndVersion, c, o, 2);
    ft.add(f.flagChecksum, c, o, 2);
    ft.add(f.flagRouting, c, o, 2);
    ft.add(f.flagKey, c, o, 2);
    ft.add(f.flagSeq, c, o, 2);
    ft.add(f.flagSsr, c, o, 2);
    ft.add(f.flagRecursion, c, o, 2);
    if (version === 1) {
      ft.add(f.flagAck, c, o, 2);
      const rsv = (fv >> 3) & 0x0f;
      ft.add(f.flagReserved, c, o, 2, { value: rsv, label: `${bitPicture(0x0078, 16, fv & 0x0078)} = Flags (Reserved): ${rsv}` });
    } else {
      ft.add(f.flagReserved, c, o, 2);
    }
    ft.add(f.flagVersion, c, o, 2);
    tree.add(f.proto, c, o + 2, 2);
    let p = o + 4;
    const hasRouting = (fv & 0x4000) !== 0;
    if (fv & 0x8000 || hasRouting) {
      checksumItem(c, o, tree);
      tree.add(f.offset, c, p + 2, 2);
      p += 4;
    }
    if (fv & 0x2000) {
      if (version === 1) {
        tree.add(f.payloadLength, c, p, 2);
        tree.add(f.callId, c, p + 2, 2);
      } else {
        tree.add(f.key, c, p, 4);
      }
      p += 4;
    }
    if (fv & 0x1000) {
      tree.add(f.sequenceNumber, c, p, 4);
      p += 4;
    }
    if (version === 1 && fv & 0x0080) {
      tree.add(f.ackNumber, c, p, 4);
      p += 4;
    }
    if (hasRouting) {
      for (let guard = 0; guard < 64; guard++) {
        const af = c.u16(p);
        const sreLen = c.u8(p + 3);
        const rt = tree.addTree(f.routing, c, p, 4 + sreLen, { label: 'Routing' });
        rt.add(f.routingAf, c, p, 2);
        rt.add(f.routingSreOffset, c, p + 2, 1);
        rt.add(f.routingSreLength, c, p + 3, 1);
        if (sreLen) rt.add(f.routingInformation, c, p + 4, sreLen);
        p += 4 + sreLen;
        if (af === 0 && sreLen === 0) break;
      }
    }
    if (c.reportedRemaining(p) > 0) {
      const payload = c.sub(p);
      if (ctx.call('ethertype', proto, payload, tree) < 0) ctx.callData(payload, tree);
    }
    return c.remaining(o);
  },
});
