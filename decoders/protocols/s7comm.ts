// Siemens S7 Communication (protocol id 0x32) over COTP: the header (ROSCTR, PDU reference,
// parameter/data lengths, error class/code for acknowledgements), the job function and
// the userdata parameter (type, function group, subfunction) with the SZL id/index of
// Read SZL responses. Info as tshark: `ROSCTR:[Ack_Data] Function:[Read Var]`.

import { field, protocol } from '../core/registry.ts';

const rosctrs: Record<number, string> = { 1: 'Job', 2: 'Ack', 3: 'Ack_Data', 7: 'Userdata' };
const functions: Record<number, string> = {
  0x00: 'CPU services', 0xf0: 'Setup communication', 0x04: 'Read Var', 0x05: 'Write Var', 0x1a: 'Request download', 0x1b: 'Download block',
  0x1c: 'Download ended', 0x1d: 'Start upload', 0x1e: 'Upload', 0x1f: 'End upload', 0x28: 'PI-Service', 0x29: 'PLC Stop',
};
const udTypes: Record<number, string> = { 0x0: 'Push', 0x4: 'Request', 0x8: 'Response', 0x3: 'NDRequest', 0x7: 'NDResponse' };
const groups: Record<number, string> = {
  0x0: 'Mode-transition', 0x1: 'Programmer commands', 0x2: 'Cyclic data', 0x3: 'Block functions', 0x4: 'CPU functions',
  0x5: 'Security', 0x6: 'PBC BSEND/BRECV', 0x7: 'Time functions', 0xf: 'NC programming',
};
const cpuSubfuncs: Record<number, string> = { 0x01: 'Read SZL', 0x02: 'Message service', 0x03: 'Diagnostic message', 0x05: 'ALARM_8 indication', 0x06: 'NOTIFY indication', 0x0b: 'ALARM ack', 0x13: 'Scan indication', 0x16: 'ALARM_S indication' };
const blockSubfuncs: Record<number, string> = { 0x01: 'List blocks', 0x02: 'List blocks of type', 0x03: 'Get block info' };
const timeSubfuncs: Record<number, string> = { 0x01: 'Read clock', 0x02: 'Set clock', 0x03: 'Read clock (following)', 0x04: 'Set clock' };

const f = {
  protid: field('s7comm.header.protid', 'Protocol Id', 'uint8', { base: 'hex' }),
  rosctr: field('s7comm.header.rosctr', 'ROSCTR', 'uint8', { values: rosctrs }),
  redid: field('s7comm.header.redid', 'Redundancy Identification (Reserved)', 'uint16', { base: 'hex' }),
  pduref: field('s7comm.header.pduref', 'Protocol Data Unit Reference', 'uint16'),
  parlg: field('s7comm.header.parlg', 'Parameter length', 'uint16'),
  datlg: field('s7comm.header.datlg', 'Data length', 'uint16'),
  errcls: field('s7comm.header.errcls', 'Error class', 'uint8', { base: 'hex' }),
  errcod: field('s7comm.header.errcod', 'Error code', 'uint8', { base: 'hex' }),
  func: field('s7comm.param.func', 'Function', 'uint8', { base: 'hex', values: functions }),
  itemcount: field('s7comm.param.itemcount', 'Item count', 'uint8'),
  udHead: field('s7comm.param.userdata.head', 'Parameter head', 'uint24', { base: 'hex' }),
  udLength: field('s7comm.param.userdata.length', 'Parameter length', 'uint8'),
  udMethod: field('s7comm.param.userdata.reqres1', 'Method (Request/Response)', 'uint8', { base: 'hex' }),
  udType: field('s7comm.param.userdata.type', 'Type', 'uint8', { bitmask: 0xf0, bitWidth: 8, values: udTypes }),
  udGroup: field('s7comm.param.userdata.funcgroup', 'Function group', 'uint8', { bitmask: 0x0f, bitWidth: 8, values: groups }),
  udSubfunc: field('s7comm.param.userdata.subfunc', 'Subfunction', 'uint8'),
  udSeq: field('s7comm.param.userdata.seq_num', 'Sequence number', 'uint8'),
  returncode: field('s7comm.data.returncode', 'Return code', 'uint8', { base: 'hex' }),
  transportsize: field('s7comm.data.transportsize', 'Transport size', 'uint8', { base: 'hex' }),
  dataLength: field('s7comm.data.length', 'Length', 'uint16'),
  szlId: field('s7comm.data.userdata.szl_id', 'SZL-ID', 'uint16', { base: 'hex' }),
  szlIndex: field('s7comm.data.userdata.szl_index', 'SZL-Index', 'uint16', { base: 'hex' }),
};

const hex4 = (n: number): string => '0x' + n.toString(16).padStart(4, '0');

export default protocol({
  abbrev: 's7comm',
  name: 'S7 Communication',
  short: 'S7COMM',
  fields: f,
  dissect(c, ctx, tree) {
    const o = c.start;
    tree.add(f.protid, c, o, 1);
    const rosctr = c.u8(o + 1);
    tree.add(f.rosctr, c, o + 1, 1);
    tree.add(f.redid, c, o + 2, 2);
    tree.add(f.pduref, c, o + 4, 2);
    const parlg = c.u16(o + 6);
    tree.add(f.parlg, c, o + 6, 2);
    tree.add(f.datlg, c, o + 8, 2);
    let p = o + 10;
    if (rosctr === 2 || rosctr === 3) {
      tree.add(f.errcls, c, p, 1);
      tree.add(f.errcod, c, p + 1, 1);
      p += 2;
    }
    let info = `ROSCTR:[${rosctrs[rosctr] ?? 'Unknown'}]`;
    if (rosctr === 7 && parlg >= 8) {
      tree.add(f.udHead, c, p, 3);
      tree.add(f.udLength, c, p + 3, 1);
      tree.add(f.udMethod, c, p + 4, 1);
      const tg = c.u8(p + 5);
      tree.add(f.udType, c, p + 5, 1);
      tree.add(f.udGroup, c, p + 5, 1);
      const sub = c.u8(p + 6);
      tree.add(f.udSubfunc, c, p + 6, 1);
      tree.add(f.udSeq, c, p + 7, 1);
      const group = tg & 0x0f;
      const subNames = group === 4 ? cpuSubfuncs : group === 3 ? blockSubfuncs : group === 7 ? timeSubfuncs : {};
      info += ` Function:[${udTypes[tg >> 4] ?? 'Unknown'}] -> [${groups[group] ?? 'Unknown'}] -> [${subNames[sub] ?? 'Unknown'}]`;
      const d = p + parlg;
      if (group === 4 && sub === 0x01 && c.has(d, 8) && c.u8(d) === 0xff) {
        tree.add(f.returncode, c, d, 1);
        tree.add(f.transportsize, c, d + 1, 1);
        tree.add(f.dataLength, c, d + 2, 2);
        tree.add(f.szlId, c, d + 4, 2);
        tree.add(f.szlIndex, c, d + 6, 2);
        info += ` ID=${hex4(c.u16(d + 4))} Index=${hex4(c.u16(d + 6))}`;
      }
    } else if (parlg >= 1) {
      const fn = c.u8(p);
      tree.add(f.func, c, p, 1);
      info += ` Function:[${functions[fn] ?? 'Unknown'}]`;
      if ((fn === 0x04 || fn === 0x05) && parlg >= 2) tree.add(f.itemcount, c, p + 1, 1);
    }
    ctx.setInfo(info);
    return c.remaining(o);
  },
});
