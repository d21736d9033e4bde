// TPKT (RFC 1006) on TCP port 102: version, reserved, length; the payload is COTP.
// PDUs spanning segments are desegmented.

import { field, protocol } from '../core/registry.ts';
import { malformed } from './malformed.ts';
import { DESEGMENT_ONE_MORE_SEGMENT, NOT_MINE } from '../core/context.ts';

const f = {
  version: field('tpkt.version', 'Version', 'uint8'),
  reserved: field('tpkt.reserved', 'Reserved', 'uint8'),
  length: field('tpkt.length', 'Length', 'uint16'),
};

const MAX_PDUS = 64;

export default protocol({
  abbrev: 'tpkt',
  name: 'TPKT - ISO on TCP - RFC1006',
  short: 'TPKT',
  fields: f,
  register(r) {
    r.table('tcp.port', 102);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    if (!c.has(o, 1) || c.u8(o) !== 3) return NOT_MINE;
    let p = o;
    for (let i = 0; i < MAX_PDUS && p < c.end; i++) {
      if (ctx.canDesegment && c.remaining(p) < 4) {
        ctx.desegmentOffset = p;
        ctx.desegmentLen = DESEGMENT_ONE_MORE_SEGMENT;
        break;
      }
      const len = c.u16(p + 2);
      if (ctx.canDesegment && c.remaining(p) < len) {
        ctx.desegmentOffset = p;
        ctx.desegmentLen = len - c.remaining(p);
        break;
      }
      const version = c.u8(p);
      if (tree.owner) tree.owner.label = `TPKT, Version: ${version}, Length: ${len}`;
      tree.add(f.version, c, p, 1);
      tree.add(f.reserved, c, p + 1, 1);
      tree.add(f.length, c, p + 2, 2);
      if (len < 4) throw malformed('TPKT length below 4');
      ctx.callProtocol('cotp', c.sub(p + 4, len - 4), tree);
      p += len;
    }
    return c.remaining(o);
  },
});
