// BGP-4 (RFC 4271) on TCP port 179: the common header (marker, length, type) of every message
// in the segment, OPEN, UPDATE, NOTIFICATION and ROUTE-REFRESH fields. PDUs that continue in
// the next segment are desegmented. Info lists the messages (`UPDATE Message, UPDATE Message`).

import { field, protocol } from '../core/registry.ts';
import { malformed } from './malformed.ts';
import { DESEGMENT_ONE_MORE_SEGMENT } from '../core/context.ts';

const types: Record<number, string> = { 1: 'OPEN Message', 2: 'UPDATE Message', 3: 'NOTIFICATION Message', 4: 'KEEPALIVE Message', 5: 'ROUTE-REFRESH Message', 6: 'CAPABILITY Message', 128: 'ROUTE-REFRESH Message (Cisco)' };
const majorErrors: Record<number, string> = { 1: 'Message Header Error', 2: 'OPEN Message Error', 3: 'UPDATE Message Error', 4: 'Hold Timer Expired', 5: 'Finite State Machine Error', 6: 'Cease', 7: 'CAPABILITY Message Error' };

const f = {
  marker: field('bgp.marker', 'Marker', 'bytes'),
  length: field('bgp.length', 'Length', 'uint16'),
  type: field('bgp.type', 'Type', 'uint8', { values: Object.fromEntries(Object.entries(types).map(([k, v]) => [k, v.replace(' Message', '')])) }),
  version: field('bgp.open.version', 'Version', 'uint8'),
  myas: field('bgp.open.myas', 'My AS', 'uint16'),
  holdtime: field('bgp.open.holdtime', 'Hold Time', 'uint16'),
  identifier: field('bgp.open.identifier', 'BGP Identifier', 'ipv4'),
  optLen: field('bgp.open.opt.len', 'Optional Parameters Length', 'uint8'),
  opt: field('bgp.open.opt', 'Optional Parameters', 'none'),
  withdrawnLength: field('bgp.update.withdrawn_routes.length', 'Withdrawn Routes Length', 'uint16'),
  pathAttrLength: field('bgp.update.path_attributes.length', 'Total Path Attribute Length', 'uint16'),
  majorError: field('bgp.notify.major_error', 'Major error Code', 'uint8', { values: majorErrors }),
  minorError: field('bgp.notify.minor_error', 'Minor error Code (Message Header)', 'uint8'),
  afi: field('bgp.route_refresh.afi', 'Address family identifier (AFI)', 'uint16', { values: { 1: 'IPv4', 2: 'IPv6' } }),
  safi: field('bgp.route_refresh.safi', 'Subsequent address family identifier (SAFI)', 'uint8', { values: { 1: 'Unicast', 2: 'Multicast' } }),
  message: field('bgp.message', 'Message', 'none'),
};

const MAX_MESSAGES = 256;

export default protocol({
  abbrev: 'bgp',
  name: 'Border Gateway Protocol',
  short: 'BGP',
  fields: f,
  register(r) {
    r.table('tcp.port', 179);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const names: string[] = [];
    let p = o;
    try {
      for (let i = 0; i < MAX_MESSAGES && p < c.end; i++) {
        if (ctx.canDesegment && c.remaining(p) < 19) {
          ctx.desegmentOffset = p;
          ctx.desegmentLen = DESEGMENT_ONE_MORE_SEGMENT;
          break;
        }
        const len = c.u16(p + 16);
        if (ctx.canDesegment && c.remaining(p) < len) {
          ctx.desegmentOffset = p;
          ctx.desegmentLen = len - c.remaining(p);
          break;
        }
        const type = c.u8(p + 18);
        const name = types[type] ?? `Unknown Message (${type})`;
        names.push(name);
        const t = tree.addTree(f.message, c, p, Math.min(Math.max(len, 19), c.remaining(p)), { label: name });
        t.add(f.marker, c, p, 16);
        t.add(f.length, c, p + 16, 2);
        t.add(f.type, c, p + 18, 1);
        if (len < 19) throw malformed('BGP length below 19');
        const q = p + 19;
        switch (type) {
          case 1: {
            t.add(f.version, c, q, 1);
            t.add(f.myas, c, q + 1, 2);
            t.add(f.holdtime, c, q + 3, 2);
            t.add(f.identifier, c, q + 5, 4);
            const optLen = c.u8(q + 9);
            t.add(f.optLen, c, q + 9, 1);
            if (optLen) t.add(f.opt, c, q + 10, optLen, { label: `Optional Parameters` });
            if (q + 10 + optLen > p + len) throw malformed('optional parameters overrun the message');
            break;
          }
          case 2: {
            const wl = c.u16(q);
            t.add(f.withdrawnLength, c, q, 2);
            t.add(f.pathAttrLength, c, q + 2 + wl, 2);
            break;
          }
          case 3:
            t.add(f.majorError, c, q, 1);
            t.add(f.minorError, c, q + 1, 1);
            break;
          case 5:
            t.add(f.afi, c, q, 2);
            t.add(f.safi, c, q + 3, 1);
            break;
          default:
            break;
        }
        p += len;
      }
    } finally {
      if (names.length) ctx.setInfo(names.join(', '));
    }
    return c.remaining(o);
  },
});
