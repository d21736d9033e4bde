// SCCP (ITU-T Q.713): the message type, local references, protocol class and the pointers;
// the called/calling party addresses of a Connection Request; user data of CR, DT1 and
// UDT goes to `data`. Info is the message acronym (`CR `, `DT1 `).

import { field, protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';

const msgTypes: Record<number, [string, string]> = {
  0x01: ['CR', 'Connection Request'], 0x02: ['CC', 'Connection Confirm'], 0x03: ['CREF', 'Connection Refused'], 0x04: ['RLSD', 'Released'],
  0x05: ['RLC', 'Release Complete'], 0x06: ['DT1', 'Data Form 1'], 0x07: ['DT2', 'Data Form 2'], 0x08: ['AK', 'Data Acknowledgement'],
  0x09: ['UDT', 'Unitdata'], 0x0a: ['UDTS', 'Unitdata Service'], 0x0b: ['ED', 'Expedited Data'], 0x0c: ['EA', 'Expedited Data Acknowledgement'],
  0x0d: ['RSR', 'Reset Request'], 0x0e: ['RSC', 'Reset Confirmation'], 0x0f: ['ERR', 'Error'], 0x10: ['IT', 'Inactivity Test'],
  0x11: ['XUDT', 'Extended Unitdata'], 0x12: ['XUDTS', 'Extended Unitdata Service'], 0x13: ['LUDT', 'Long Unitdata'], 0x14: ['LUDTS', 'Long Unitdata Service'],
};
const msgNames: Record<number, string> = Object.fromEntries(Object.entries(msgTypes).map(([k, v]) => [k, v[1]]));

const f = {
  messageType: field('sccp.message_type', 'Message Type', 'uint8', { base: 'hex', values: msgNames }),
  dlr: field('sccp.dlr', 'Destination Local Reference', 'uint24', { base: 'hex' }),
  slr: field('sccp.slr', 'Source Local Reference', 'uint24', { base: 'hex' }),
  class: field('sccp.class', 'Class', 'uint8', { base: 'hex', bitmask: 0x0f, bitWidth: 8 }),
  more: field('sccp.more', 'More data', 'uint8', { base: 'hex', bitmask: 0x01, bitWidth: 8 }),
  pointer1: field('sccp.variable_pointer1', 'Pointer to first Mandatory Variable parameter', 'uint16'),
  pointer2: field('sccp.variable_pointer2', 'Pointer to second Mandatory Variable parameter', 'uint16'),
  pointer3: field('sccp.variable_pointer3', 'Pointer to third Mandatory Variable parameter', 'uint16'),
  optional: field('sccp.optional_pointer', 'Pointer to Optional parameter', 'uint16'),
  calledParty: field('sccp.called', 'Called Party address', 'none'),
  callingParty: field('sccp.calling', 'Calling Party address', 'none'),
  ssn: field('sccp.ssn', 'SubSystem Number', 'uint8'),
};

/** A pointer byte at `at`; returns the absolute offset it points to. */
function pointer(c: Cursor, at: number, tree: Tree, def: typeof f.pointer1): number {
  tree.add(def, c, at, 1, { value: c.u8(at) });
  return at + c.u8(at);
}

function address(c: Cursor, at: number, tree: Tree, def: typeof f.calledParty, name: string): void {
  const len = c.u8(at);
  const t = tree.addTree(def, c, at, 1 + len, { label: `${name} (${len} bytes)` });
  if (len >= 4) {
    const ai = c.u8(at + 1);
    if (ai & 0x02) t.add(f.ssn, c, at + 1 + (ai & 0x01 ? 3 : 1), 1);
  }
}

export default protocol({
  abbrev: 'sccp',
  name: 'Signalling Connection Control Part',
  short: 'SCCP (Int. ITU)',
  fields: f,
  dissect(c, ctx, tree) {
    const o = c.start;
    const type = c.u8(o);
    tree.add(f.messageType, c, o, 1);
    ctx.setInfo(`${msgTypes[type]?.[0] ?? 'Unknown'} `);
    let data = -1;
    switch (type) {
      case 0x01: { // CR: SLR, class, called party, optional
        tree.add(f.slr, c, o + 1, 3, { le: true });
        tree.add(f.class, c, o + 4, 1);
        const called = pointer(c, o + 5, tree, f.pointer1);
        const opt = pointer(c, o + 6, tree, f.optional);
        address(c, called, tree, f.calledParty, 'Called Party address');
        // Optional part: (name, length, value)... up to End of Optional (0).
        for (let p = opt, i = 0; c.u8(o + 6) !== 0 && i < 32 && p < c.end; i++) {
          const pn = c.u8(p);
          if (pn === 0) break;
          const plen = c.u8(p + 1);
          if (pn === 0x04) address(c, p + 1, tree, f.callingParty, 'Calling Party address');
          if (pn === 0x0f) data = p + 1;
          p += 2 + plen;
        }
        break;
      }
      case 0x02: // CC: DLR, SLR, class, optional
        tree.add(f.dlr, c, o + 1, 3, { le: true });
        tree.add(f.slr, c, o + 4, 3, { le: true });
        tree.add(f.class, c, o + 7, 1);
        pointer(c, o + 8, tree, f.optional);
        break;
      case 0x06: // DT1: DLR, segmenting, data
        tree.add(f.dlr, c, o + 1, 3, { le: true });
        tree.add(f.more, c, o + 4, 1);
        data = pointer(c, o + 5, tree, f.pointer1);
        break;
      case 0x09: { // UDT: class, called, calling, data
        tree.add(f.class, c, o + 1, 1);
        const called = pointer(c, o + 2, tree, f.pointer1);
        const calling = pointer(c, o + 3, tree, f.pointer2);
        data = pointer(c, o + 4, tree, f.pointer3);
        address(c, called, tree, f.calledParty, 'Called Party address');
        address(c, calling, tree, f.callingParty, 'Calling Party address');
        break;
      }
      case 0x04: case 0x05:
        tree.add(f.dlr, c, o + 1, 3, { le: true });
        tree.add(f.slr, c, o + 4, 3, { le: true });
        break;
      default:
        break;
    }
    if (data >= 0 && c.has(data, 1)) {
      const len = c.u8(data);
      if (len > 0) ctx.callData(c.sub(data + 1, len), tree);
    }
    return c.remaining(o);
  },
});
