// PPP over Ethernet (RFC 2516): Discovery (`pppoed`, Ethernet type 0x8863) with its tags,
// and Session (`pppoes`, 0x8864) carrying PPP. Both share the six-byte header whose fields
// Wireshark names `pppoe.*`; they belong to the (never dispatched) `pppoe` protocol here too.

import { field, protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';

const codeNames: Record<number, string> = {
  0x00: 'Session Data',
  0x07: 'Active Discovery Offer (PADO)',
  0x09: 'Active Discovery Initiation (PADI)',
  0x0a: 'Active Discovery Session-Grant (PADG)',
  0x0b: 'Active Discovery Session-Credit Response (PADC)',
  0x0c: 'Active Discovery Quality (PADQ)',
  0x19: 'Active Discovery Request (PADR)',
  0x65: 'Active Discovery Session-confirmation (PADS)',
  0xa7: 'Active Discovery Terminate (PADT)',
  0xd3: 'Active Discovery Message (PADM)',
  0xd4: 'Active Discovery Network (PADN)',
};

const tagNames: Record<number, string> = {
  0x0000: 'End-Of-List',
  0x0101: 'Service-Name',
  0x0102: 'AC-Name',
  0x0103: 'Host-Uniq',
  0x0104: 'AC-Cookie',
  0x0105: 'Vendor-Specific',
  0x0106: 'Credits',
  0x0107: 'Metrics',
  0x0108: 'Sequence Number',
  0x0109: 'Credit Scale Factor',
  0x0110: 'Relay-Session-Id',
  0x0111: 'HURL',
  0x0112: 'MOTM',
  0x0120: 'PPP-Max-Payload',
  0x0121: 'IP Route Add',
  0x0201: 'Service-Name-Error',
  0x0202: 'AC-System-Error',
  0x0203: 'Generic-Error',
};

/** The shared header, Wireshark's `pppoe.*` fields. */
export const pppoeFields = {
  version: field('pppoe.version', 'Version', 'uint8', { bitmask: 0xf0, bitWidth: 8 }),
  type: field('pppoe.type', 'Type', 'uint8', { bitmask: 0x0f, bitWidth: 8 }),
  code: field('pppoe.code', 'Code', 'uint8', { base: 'hex', values: codeNames }),
  sessionId: field('pppoe.session_id', 'Session ID', 'uint16', { base: 'hex' }),
  payloadLength: field('pppoe.payload_length', 'Payload Length', 'uint16'),
};

const d = {
  tags: field('pppoed.tags', 'PPPoE Tags', 'none'),
  tag: field('pppoed.tag', 'Tag', 'uint16', { base: 'hex', values: tagNames }),
  tagLength: field('pppoed.tag_length', 'Tag Length', 'uint16'),
  unknown: field('pppoed.tag.unknown_data', 'Unknown Data', 'bytes'),
  serviceName: field('pppoed.tags.service_name', 'Service-Name', 'string'),
  acName: field('pppoed.tags.ac_name', 'AC-Name', 'string'),
  hostUniq: field('pppoed.tags.host_uniq', 'Host-Uniq', 'bytes'),
  acCookie: field('pppoed.tags.ac_cookie', 'AC-Cookie', 'bytes'),
  vendorId: field('pppoed.tags.vendor_id', 'Vendor id', 'uint32'),
  vendorUnspecified: field('pppoed.tags.vendor_unspecified', 'Vendor unspecified', 'bytes'),
  credits: field('pppoed.tags.credits', 'Credits', 'bytes'),
  metrics: field('pppoed.tags.metrics', 'Metrics', 'bytes'),
  seqNum: field('pppoed.tags.seq_num', 'Sequence Number', 'uint16', { base: 'hex' }),
  creditScale: field('pppoed.tags.credit_scale', 'Credit Scale Factor', 'uint16'),
  relaySessionId: field('pppoed.tags.relay_session_id', 'Relay-Session-Id', 'bytes'),
  hurl: field('pppoed.tags.hurl', 'HURL', 'bytes'),
  motm: field('pppoed.tags.motm', 'MOTM', 'bytes'),
  maxPayload: field('pppoed.tags.max_payload', 'PPP-Max-Payload', 'bytes'),
  ipRouteAdd: field('pppoed.tags.ip_route_add', 'IP Route Add', 'bytes'),
  serviceNameError: field('pppoed.tags.service_name_error', 'Service-Name-Error', 'string'),
  acSystemError: field('pppoed.tags.ac_system_error', 'AC-System-Error', 'string'),
  genericError: field('pppoed.tags.generic_error', 'Generic-Error', 'string'),
};

function header(c: Cursor, o: number, tree: Tree): { code: number; length: number } {
  tree.add(pppoeFields.version, c, o, 1);
  tree.add(pppoeFields.type, c, o, 1);
  const code = c.u8(o + 1);
  tree.add(pppoeFields.code, c, o + 1, 1);
  tree.add(pppoeFields.sessionId, c, o + 2, 2);
  const length = c.u16(o + 4);
  tree.add(pppoeFields.payloadLength, c, o + 4, 2);
  return { code, length };
}

/** The shared header fields live in the `pppoe` protocol, as in Wireshark; it is never dispatched. */
export default protocol({
  abbrev: 'pppoe',
  name: 'PPP-over-Ethernet',
  short: 'PPPoE',
  fields: pppoeFields,
  dissect(c, _ctx, tree) {
    header(c, c.start, tree);
    return 6;
  },
});

export const pppoed = protocol({
  abbrev: 'pppoed',
  name: 'PPP-over-Ethernet Discovery',
  short: 'PPPoED',
  fields: d,
  register(r) {
    r.table('ethertype', 0x8863);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const code = c.u8(o + 1);
    ctx.setInfo(codeNames[code] ?? `Unknown (0x${code.toString(16).padStart(2, '0')})`);
    const h = header(c, o, tree);
    if (h.length === 0) return 6;
    const tags = tree.addTree(d.tags, c, o + 6, Math.min(h.length, c.remaining(o + 6)));
    const end = o + 6 + h.length;
    let t = o + 6;
    // Each tag is at least 4 bytes, so the walk ends within payload_length / 4 steps.
    while (t + 4 <= end) {
      const tag = c.u16(t);
      const len = c.u16(t + 2);
      const v = t + 4;
      switch (tag) {
        case 0x0101:
          if (len > 0) tags.add(d.serviceName, c, v, len);
          break;
        case 0x0102: {
          const name = c.ascii(v, len);
          tags.add(d.acName, c, v, len, { value: name });
          ctx.appendInfo(`AC-Name='${name}'`);
          break;
        }
        case 0x0103:
          tags.add(d.hostUniq, c, v, len);
          break;
        case 0x0104:
          tags.add(d.acCookie, c, v, len);
          break;
        case 0x0105:
          if (len >= 4) tags.add(d.vendorId, c, v, 4);
          if (len > 4) tags.add(d.vendorUnspecified, c, v + 4, len - 4);
          break;
        case 0x0106:
          tags.add(d.credits, c, v, len);
          break;
        case 0x0107:
          tags.add(d.metrics, c, v, len);
          break;
        case 0x0108:
          tags.add(d.seqNum, c, v, Math.min(len, 2));
          break;
        case 0x0109:
          tags.add(d.creditScale, c, v, Math.min(len, 2));
          break;
        case 0x0110:
          tags.add(d.relaySessionId, c, v, len);
          break;
        case 0x0111:
          tags.add(d.hurl, c, v, len);
          break;
        case 0x0112:
          tags.add(d.motm, c, v, len);
          break;
        case 0x0120:
          tags.add(d.maxPayload, c, v, len);
          break;
        case 0x0121:
          tags.add(d.ipRouteAdd, c, v, len);
          break;
        case 0x0201:
          tags.add(d.serviceNameError, c, v, len);
          break;
        case 0x0202:
          tags.add(d.acSystemError, c, v, len);
          break;
        case 0x0203:
          tags.add(d.genericError, c, v, len);
          break;
        case 0x0000:
          break;
        default:
          if (len > 0) tags.add(d.unknown, c, v, len);
      }
      t = v + len;
    }
    return 6 + h.length;
  },
});

export const pppoes = protocol({
  abbrev: 'pppoes',
  name: 'PPP-over-Ethernet Session',
  short: 'PPPoES',
  fields: { tags: field('pppoes.tags', 'PPPoE Tags', 'none') },
  register(r) {
    r.table('ethertype', 0x8864);
    r.table('link', 51); // LINKTYPE_PPP_ETHER: PPPoE session header, no Ethernet
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const h = header(c, o, tree);
    // A payload length past the frame is not flagged (Wireshark 4.0 is silent too): PPP gets what there is.
    const len = Math.min(h.length, c.reportedRemaining(o + 6));
    ctx.callProtocol('ppp', c.sub(o + 6, len), tree);
    return 6 + len;
  },
});
