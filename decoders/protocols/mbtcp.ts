// Modbus/TCP (MBAP header) on TCP port 502: transaction id, protocol id, length, unit id;
// the PDU goes to `modbus`. Info as tshark: `   Query: Trans:    17; Unit: 255, Func:   4: ...`.

import { field, protocol } from '../core/registry.ts';

const f = {
  transId: field('mbtcp.trans_id', 'Transaction Identifier', 'uint16'),
  protId: field('mbtcp.prot_id', 'Protocol Identifier', 'uint16'),
  len: field('mbtcp.len', 'Length', 'uint16'),
  unitId: field('mbtcp.unit_id', 'Unit Identifier', 'uint8'),
};

export default protocol({
  abbrev: 'mbtcp',
  name: 'Modbus/TCP',
  short: 'Modbus/TCP',
  fields: f,
  register(r) {
    r.table('tcp.port', 502);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const trans = c.u16(o);
    tree.add(f.transId, c, o, 2);
    tree.add(f.protId, c, o + 2, 2);
    const len = c.u16(o + 4);
    tree.add(f.len, c, o + 4, 2);
    const unit = c.u8(o + 6);
    tree.add(f.unitId, c, o + 6, 1);
    const query = ctx.dstPort === 502;
    ctx.scratch.set('modbus.query', query);
    ctx.scratch.set('modbus.info', `${(query ? 'Query' : 'Response').padStart(8)}: Trans: ${String(trans).padStart(5)}; Unit: ${String(unit).padStart(3)}, `);
    if (len > 1) ctx.callProtocol('modbus', c.sub(o + 7, len - 1), tree);
    return c.remaining(o);
  },
});
