// IEEE 802.1ad provider bridging (S-tag, Ethernet type 0x88a8). Wireshark dissects it as its
// own protocol, `ieee8021ad`, whose Type field carries the 802.1ah name `ieee8021ah.etype`.

import { field, protocol } from '../core/registry.ts';
import { ethertypeNames } from './ethertype-names.ts';
import { dispatchEthertype } from './ethertype.ts';

const f = {
  priority: field('ieee8021ad.priority', 'Priority', 'uint16', { bitmask: 0xe000, bitWidth: 16 }),
  dei: field('ieee8021ad.dei', 'DEI', 'uint16', { bitmask: 0x1000, bitWidth: 16 }),
  id: field('ieee8021ad.id', 'ID', 'uint16', { bitmask: 0x0fff, bitWidth: 16 }),
  svid: field('ieee8021ad.svid', 'ID', 'uint16', { bitmask: 0x0fff, bitWidth: 16 }),
  cvid: field('ieee8021ad.cvid', 'ID', 'uint16', { bitmask: 0x0fff, bitWidth: 16 }),
  etype: field('ieee8021ah.etype', 'Type', 'uint16', { base: 'hex', values: ethertypeNames }),
};

export default protocol({
  abbrev: 'ieee8021ad',
  name: 'IEEE 802.1ad',
  short: '802.1ad',
  fields: f,
  register(r) {
    r.table('ethertype', 0x88a8);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const tci = c.u16(o);
    if (tree.owner) tree.owner.label = `IEEE 802.1ad, ID: ${tci & 0x0fff}`;
    tree.add(f.priority, c, o, 1, { value: tci >> 13 });
    tree.add(f.dei, c, o, 1, { value: (tci >> 12) & 1 });
    tree.add(f.id, c, o, 2);
    const type = c.u16(o + 2);
    tree.add(f.etype, c, o + 2, 2);
    return dispatchEthertype(type, c, o + 4, ctx, tree, null);
  },
});
