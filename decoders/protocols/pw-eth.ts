// Ethernet pseudowires over MPLS (RFC 4448): `pwethheuristic` decides between a control
// word (`pwethcw`) and none (`pwethnocw`), then Ethernet follows. Wireshark's guess looks
// the two MAC addresses' OUIs up in its manufacturer list; without that list we take a first
// nibble of 0 as a control word, as the common case is.

import { field, protocol } from '../core/registry.ts';

const cwFields = {
  cw: field('pweth.cw', 'PW Control Word (ethernet)', 'bool'),
  seq: field('pweth.cw.sequence_number', 'PW sequence number (ethernet)', 'uint16'),
};
const nocwFields = {
  pw: field('pweth', 'PW (ethernet)', 'bool'),
};

export const pwethcw = protocol({
  abbrev: 'pwethcw',
  name: 'PW Ethernet Control Word',
  short: 'Ethernet PW (with CW)',
  fields: cwFields,
  dissect(c, ctx, tree) {
    const o = c.start;
    c.check(o, 4); // a packet shorter than the control word is malformed
    tree.hidden(cwFields.cw, c, o, 0, { value: true });
    const seq = c.u16(o + 2);
    tree.add(cwFields.seq, c, o + 2, 2, { label: `Sequence Number: ${seq}` });
    ctx.callProtocol('eth', c.sub(o + 4), tree);
    return 4;
  },
});

export const pwethnocw = protocol({
  abbrev: 'pwethnocw',
  name: 'Ethernet PW (no CW)',
  short: '',
  fields: nocwFields,
  pseudo: true,
  dissect(c, ctx, tree) {
    tree.hidden(nocwFields.pw, c, c.start, 0, { value: true });
    ctx.callProtocol('eth', c, tree);
    return c.end - c.start;
  },
});

export default protocol({
  abbrev: 'pwethheuristic',
  name: 'Ethernet PW (CW heuristic)',
  short: '',
  fields: {},
  pseudo: true,
  dissect(c, ctx, tree) {
    const nibble = c.u8(c.start) >> 4;
    ctx.callProtocol(nibble === 0 ? 'pwethcw' : 'pwethnocw', c, tree);
    return c.end - c.start;
  },
});
