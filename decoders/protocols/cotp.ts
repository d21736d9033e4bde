// ISO 8073/X.224 COTP: the TPDU header (length indicator, PDU type, references, class, TPDU
// number/EOT for data). Data TPDUs carry S7comm (protocol id 0x32) or other user data.

import { field, protocol } from '../core/registry.ts';

const types: Record<number, string> = {
  0x1: 'ED Expedited Data', 0x2: 'EA Expedited Data Acknowledgement', 0x5: 'RJ Reject', 0x6: 'AK Data Acknowledgement',
  0x7: 'ER TPDU Error', 0x8: 'DR Disconnect Request', 0xc: 'DC Disconnect Confirm', 0xd: 'CC Connect Confirm', 0xe: 'CR Connect Request', 0xf: 'DT Data',
};
const shortNames: Record<number, string> = { 0x1: 'ED', 0x2: 'EA', 0x5: 'RJ', 0x6: 'AK', 0x7: 'ER', 0x8: 'DR', 0xc: 'DC', 0xd: 'CC', 0xe: 'CR', 0xf: 'DT' };

const f = {
  li: field('cotp.li', 'Length', 'uint8'),
  type: field('cotp.type', 'PDU Type', 'uint8', { base: 'hex', values: types }),
  destref: field('cotp.destref', 'Destination reference', 'uint16', { base: 'hex' }),
  srcref: field('cotp.srcref', 'Source reference', 'uint16', { base: 'hex' }),
  class: field('cotp.class', 'Class', 'uint8', { bitmask: 0xf0, bitWidth: 8 }),
  tpduNumber: field('cotp.tpdu-number', 'TPDU number', 'uint8', { base: 'hex', bitmask: 0x7f, bitWidth: 8 }),
  eot: field('cotp.eot', 'Last data unit', 'bool', { bitmask: 0x80, bitWidth: 8, trueFalse: ['Yes', 'No'] }),
};

export default protocol({
  abbrev: 'cotp',
  name: 'ISO 8073/X.224 COTP Connection-Oriented Transport Protocol',
  short: 'COTP',
  fields: f,
  dissect(c, ctx, tree) {
    const o = c.start;
    const li = c.u8(o);
    tree.add(f.li, c, o, 1);
    const type = c.u8(o + 1) >> 4;
    tree.add(f.type, c, o + 1, 1, { value: type });
    const name = shortNames[type] ?? 'Unknown';
    if (type === 0xf) {
      tree.generated(f.destref, 0, '[Destination reference: 0x0000]');
      const nr = c.u8(o + 2);
      tree.add(f.tpduNumber, c, o + 2, 1);
      tree.add(f.eot, c, o + 2, 1);
      ctx.setInfo(`DT TPDU (${nr & 0x7f})${nr & 0x80 ? ' EOT' : ''}`);
      const data = c.sub(o + 1 + li);
      if (data.length > 0) {
        if (c.u8(o + 1 + li) === 0x32 && ctx.registry.protocol('s7comm')) ctx.callProtocol('s7comm', data, tree);
        else ctx.callData(data, tree);
      }
    } else if (type === 0xe || type === 0xd || type === 0x8 || type === 0xc) {
      tree.add(f.destref, c, o + 2, 2);
      tree.add(f.srcref, c, o + 4, 2);
      if (type === 0xe || type === 0xd) tree.add(f.class, c, o + 6, 1);
      ctx.setInfo(`${name} TPDU src-ref: 0x${c.u16(o + 4).toString(16).padStart(4, '0')} dst-ref: 0x${c.u16(o + 2).toString(16).padStart(4, '0')}`);
    } else {
      ctx.setInfo(`${name} TPDU`);
    }
    return c.remaining(o);
  },
});
