// PW Associated Channel Header (RFC 4385/5586), after an MPLS label stack whose payload
// starts with nibble 1 or after the GAL label. The channel type picks the payload: 0x0021
// IPv4, 0x0057 IPv6, others through the `pwach.channel_type` table or as data.

import { field, protocol } from '../core/registry.ts';

const channelNames: Record<number, string> = {
  0x0000: 'Reserved',
  0x0001: 'Management Communication Channel (MCC)',
  0x0002: 'Signaling Communication Channel (SCC)',
  0x0007: 'BFD Control, PW-ACH-encapsulated (BFD Without IP/UDP Headers)',
  0x000a: 'MPLS Direct Loss Measurement (DLM)',
  0x000b: 'MPLS Inferred Loss Measurement (ILM)',
  0x000c: 'MPLS Delay Measurement (DM)',
  0x0021: 'IPv4 packet',
  0x0022: 'MPLS-TP CC message',
  0x0023: 'MPLS-TP CV message',
  0x0024: 'Protection State Coordination Protocol (PSC)',
  0x0025: 'On-Demand CV',
  0x0026: 'LI',
  0x0027: 'Pseudo-Wire OAM',
  0x0057: 'IPv6 packet',
  0x0058: 'Fault OAM',
  0x8902: 'ITU-T G.8113.1',
};

const f = {
  ver: field('pwach.ver', 'Channel Version', 'uint8', { bitmask: 0x0f, bitWidth: 8 }),
  res: field('pwach.res', 'Reserved', 'uint8', { base: 'hex' }),
  channelType: field('pwach.channel_type', 'Channel Type', 'uint16', { base: 'hex', values: channelNames }),
};

export default protocol({
  abbrev: 'pwach',
  name: 'PW Associated Channel Header',
  short: 'PW Associated Channel',
  fields: f,
  dissect(c, ctx, tree) {
    const o = c.start;
    if (c.reportedRemaining(o) < 4) {
      tree.expert('error', 'malformed', 'Error processing Message', c, o, c.remaining(o));
      return c.remaining(o);
    }
    tree.add(f.ver, c, o, 1);
    const res = c.u8(o + 1);
    tree.add(f.res, c, o + 1, 1);
    if (res !== 0) tree.expert('warn', 'protocol', 'Error: this byte is reserved and must be 0', c, o + 1, 1);
    const type = c.u16(o + 2);
    tree.add(f.channelType, c, o + 2, 2);
    const next = c.sub(o + 4);
    let used = ctx.call('pwach.channel_type', type, next, tree);
    if (used < 0 && type === 0x0021) used = ctx.call('ethertype', 0x0800, next, tree);
    if (used < 0 && type === 0x0057) used = ctx.call('ethertype', 0x86dd, next, tree);
    if (used < 0) ctx.callData(next, tree);
    return c.end - c.start;
  },
});
