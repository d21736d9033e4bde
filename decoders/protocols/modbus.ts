// Modbus PDU (function code, exception flag and the common request/response fields),
// carried by Modbus/TCP. Leaves the Protocol column as `Modbus/TCP`.

import { field, protocol } from '../core/registry.ts';

const functions: Record<number, string> = {
  1: 'Read Coils', 2: 'Read Discrete Inputs', 3: 'Read Holding Registers', 4: 'Read Input Registers', 5: 'Write Single Coil',
  6: 'Write Single Register', 7: 'Read Exception Status', 8: 'Diagnostics', 11: 'Get Comm Event Counter', 12: 'Get Comm Event Log',
  15: 'Write Multiple Coils', 16: 'Write Multiple Registers', 17: 'Report Slave ID', 20: 'Read File Record', 21: 'Write File Record',
  22: 'Mask Write Register', 23: 'Read Write Register', 24: 'Read FIFO Queue', 43: 'Encapsulated Interface Transport',
};

const f = {
  funcCode: field('modbus.func_code', 'Function Code', 'uint8', { bitmask: 0x7f, bitWidth: 8, values: functions }),
  exceptionCode: field('modbus.exception_code', 'Exception Code', 'uint8'),
  referenceNum: field('modbus.reference_num', 'Reference Number', 'uint16'),
  wordCnt: field('modbus.word_cnt', 'Word Count', 'uint16'),
  byteCnt: field('modbus.byte_cnt', 'Byte Count', 'uint8'),
  data: field('modbus.data', 'Data', 'bytes'),
};

export default protocol({
  abbrev: 'modbus',
  name: 'Modbus',
  short: '',
  fields: f,
  dissect(c, ctx, tree) {
    const o = c.start;
    const fc = c.u8(o);
    tree.add(f.funcCode, c, o, 1);
    const code = fc & 0x7f;
    const prefix = (ctx.scratch.get('modbus.info') as string | undefined) ?? '';
    ctx.setInfo(`${prefix}Func: ${String(code).padStart(3)}: ${functions[code] ?? 'Unknown function'}${fc & 0x80 ? '. Exception' : ''}`);
    if (fc & 0x80) {
      tree.add(f.exceptionCode, c, o + 1, 1);
      return c.remaining(o);
    }
    const query = ctx.scratch.get('modbus.query') === true;
    if (code >= 1 && code <= 4) {
      if (query) {
        tree.add(f.referenceNum, c, o + 1, 2);
        tree.add(f.wordCnt, c, o + 3, 2);
      } else {
        const n = c.u8(o + 1);
        tree.add(f.byteCnt, c, o + 1, 1);
        if (n) tree.add(f.data, c, o + 2, Math.min(n, c.remaining(o + 2)));
      }
    } else if ((code === 5 || code === 6 || code === 15 || code === 16) && c.has(o + 1, 2)) {
      tree.add(f.referenceNum, c, o + 1, 2);
    }
    return c.remaining(o);
  },
});
