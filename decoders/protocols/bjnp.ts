// Canon BJNP (printer/scanner discovery and control) on UDP 8611-8614: the 16-byte header.

import { field, protocol } from '../core/registry.ts';

const types: Record<number, string> = { 0x01: 'Printer Command', 0x02: 'Scanner Command', 0x81: 'Printer Response', 0x82: 'Scanner Response' };
const codes: Record<number, string> = { 0x01: 'Discover', 0x10: 'Print Job Command', 0x11: 'Print Job Details', 0x12: 'Close', 0x20: 'Get Status', 0x21: 'Print', 0x30: 'Get ID', 0x32: 'Scan' };

const f = {
  id: field('bjnp.id', 'Id', 'string'),
  type: field('bjnp.type', 'Type', 'uint8', { values: types }),
  code: field('bjnp.code', 'Code', 'uint8', { values: codes }),
  seqNo: field('bjnp.seq_no', 'Sequence Number', 'uint32'),
  sessionId: field('bjnp.session_id', 'Session Id', 'uint16'),
  payloadLen: field('bjnp.payload_len', 'Payload Length', 'uint32'),
  payload: field('bjnp.payload', 'Payload', 'bytes'),
};

export default protocol({
  abbrev: 'bjnp',
  name: 'Canon BJNP',
  short: 'BJNP',
  fields: f,
  register(r) {
    for (let port = 8611; port <= 8614; port++) r.table('udp.port', port);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    tree.add(f.id, c, o, 4);
    const type = c.u8(o + 4);
    const code = c.u8(o + 5);
    tree.add(f.type, c, o + 4, 1);
    tree.add(f.code, c, o + 5, 1);
    const info = `${types[type] ?? 'Unknown'}: ${codes[code] ?? 'Unknown'}`;
    if (tree.owner) tree.owner.label = `Canon BJNP, ${info}`;
    ctx.setInfo(info);
    tree.add(f.seqNo, c, o + 6, 4);
    tree.add(f.sessionId, c, o + 10, 2);
    const len = c.u32(o + 12);
    tree.add(f.payloadLen, c, o + 12, 4);
    if (len > 0) tree.add(f.payload, c, o + 16, Math.min(len, c.remaining(o + 16)));
    return c.remaining(o);
  },
});
