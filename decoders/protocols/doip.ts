// Diagnostics over IP (ISO 13400-2) on UDP/TCP 13400: the generic header (version, inverse
// version, payload type, length) and the common payloads' addresses. Info is the payload type.

import { field, protocol } from '../core/registry.ts';
import { NOT_MINE } from '../core/context.ts';
import { textItem } from './media-common.ts';

const types: Record<number, string> = {
  0x0000: 'Generic DoIP header NACK', 0x0001: 'Vehicle identification request', 0x0002: 'Vehicle identification request with EID',
  0x0003: 'Vehicle identification request with VIN', 0x0004: 'Vehicle announcement message/vehicle identification response message',
  0x0005: 'Routing activation request', 0x0006: 'Routing activation response', 0x0007: 'Alive check request', 0x0008: 'Alive check response',
  0x4001: 'DoIP entity status request', 0x4002: 'DoIP entity status response', 0x4003: 'Diagnostic power mode information request',
  0x4004: 'Diagnostic power mode information response', 0x8001: 'Diagnostic message', 0x8002: 'Diagnostic message ACK', 0x8003: 'Diagnostic message NACK',
};
const versions: Record<number, string> = { 0x01: 'DoIP ISO/DIS 13400-2:2010', 0x02: 'DoIP ISO 13400-2:2012', 0x03: 'DoIP ISO 13400-2:2019', 0xff: 'Default value for vehicle identification request messages' };

const f = {
  version: field('doip.version', 'Version', 'uint8', { base: 'hex', values: versions }),
  inverse: field('doip.inverse', 'Inverse version', 'uint8', { base: 'hex' }),
  type: field('doip.type', 'Type', 'uint16', { base: 'hex', values: types }),
  length: field('doip.length', 'Length', 'uint32'),
  sourceAddress: field('doip.source_address', 'Source Address', 'uint16', { base: 'hex' }),
  targetAddress: field('doip.target_address', 'Target Address', 'uint16', { base: 'hex' }),
  logicalAddress: field('doip.logical_address', 'Logical Address', 'uint16', { base: 'hex' }),
  testerAddress: field('doip.tester_logical_address', 'Tester Logical Address', 'uint16', { base: 'hex' }),
  vin: field('doip.vin', 'VIN', 'string'),
  eid: field('doip.eid', 'EID', 'bytes'),
  data: field('doip.data', 'User data', 'bytes'),
};

export default protocol({
  abbrev: 'doip',
  name: 'DoIP (ISO13400) Protocol',
  short: 'DoIP',
  fields: f,
  register(r) {
    r.table('udp.port', 13400);
    r.table('tcp.port', 13400);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    if (c.reportedRemaining(o) < 8 || !c.has(o, 2)) return NOT_MINE;
    const version = c.u8(o);
    if ((version ^ 0xff) !== c.u8(o + 1)) return NOT_MINE;
    const h = tree.addTree(textItem, c, o, 8, { label: 'Header' });
    h.add(f.version, c, o, 1);
    h.add(f.inverse, c, o + 1, 1);
    const type = c.u16(o + 2);
    h.add(f.type, c, o + 2, 2);
    const len = c.u32(o + 4);
    h.add(f.length, c, o + 4, 4);
    ctx.setInfo(types[type] ?? `0x${type.toString(16).padStart(4, '0')} Unknown Payload`);
    const p = o + 8;
    switch (type) {
      case 0x0003: tree.add(f.vin, c, p, 17); break;
      case 0x0002: tree.add(f.eid, c, p, 6); break;
      case 0x0004:
        tree.add(f.vin, c, p, 17);
        tree.add(f.logicalAddress, c, p + 17, 2);
        break;
      case 0x0005: case 0x0008: tree.add(f.sourceAddress, c, p, 2); break;
      case 0x0006:
        tree.add(f.testerAddress, c, p, 2);
        tree.add(f.sourceAddress, c, p + 2, 2);
        break;
      case 0x8001: case 0x8002: case 0x8003:
        tree.add(f.sourceAddress, c, p, 2);
        tree.add(f.targetAddress, c, p + 2, 2);
        if (type === 0x8001 && len > 4) tree.add(f.data, c, p + 4, Math.min(len - 4, c.remaining(p + 4)));
        break;
      default:
        break;
    }
    return Math.min(8 + len, c.remaining(o));
  },
});
