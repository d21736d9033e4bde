// GTPv2-C (3GPP TS 29.274): the header (flags, message type, length, TEID, sequence number)
// and the information elements as type/length/instance. A piggybacked message follows the
// first one (Info `Echo Request / Create Session Response`). Called by `gtp` on port 2123.

import { field, protocol } from '../core/registry.ts';
import { BoundsError, type Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';

const messageTypes: Record<number, string> = {
  1: 'Echo Request', 2: 'Echo Response', 3: 'Version Not Supported Indication',
  32: 'Create Session Request', 33: 'Create Session Response', 34: 'Modify Bearer Request', 35: 'Modify Bearer Response',
  36: 'Delete Session Request', 37: 'Delete Session Response', 38: 'Change Notification Request', 39: 'Change Notification Response',
  40: 'Remote UE Report Notification', 41: 'Remote UE Report Acknowledge',
  64: 'Modify Bearer Command', 65: 'Modify Bearer Failure Indication', 66: 'Delete Bearer Command', 67: 'Delete Bearer Failure Indication',
  68: 'Bearer Resource Command', 69: 'Bearer Resource Failure Indication', 70: 'Downlink Data Notification Failure Indication',
  71: 'Trace Session Activation', 72: 'Trace Session Deactivation', 73: 'Stop Paging Indication',
  95: 'Create Bearer Request', 96: 'Create Bearer Response', 97: 'Update Bearer Request', 98: 'Update Bearer Response',
  99: 'Delete Bearer Request', 100: 'Delete Bearer Response', 101: 'Delete PDN Connection Set Request', 102: 'Delete PDN Connection Set Response',
  103: 'PGW Downlink Triggering Notification', 104: 'PGW Downlink Triggering Acknowledge',
  128: 'Identification Request', 129: 'Identification Response', 130: 'Context Request', 131: 'Context Response', 132: 'Context Acknowledge',
  133: 'Forward Relocation Request', 134: 'Forward Relocation Response', 135: 'Forward Relocation Complete Notification',
  136: 'Forward Relocation Complete Acknowledge', 137: 'Forward Access Context Notification', 138: 'Forward Access Context Acknowledge',
  139: 'Relocation Cancel Request', 140: 'Relocation Cancel Response', 141: 'Configuration Transfer Tunnel',
  149: 'Detach Notification', 150: 'Detach Acknowledge', 151: 'CS Paging Indication', 152: 'RAN Information Relay',
  153: 'Alert MME Notification', 154: 'Alert MME Acknowledge', 155: 'UE Activity Notification', 156: 'UE Activity Acknowledge',
  160: 'Create Forwarding Tunnel Request', 161: 'Create Forwarding Tunnel Response', 162: 'Suspend Notification', 163: 'Suspend Acknowledge',
  164: 'Resume Notification', 165: 'Resume Acknowledge', 166: 'Create Indirect Data Forwarding Tunnel Request',
  167: 'Create Indirect Data Forwarding Tunnel Response', 168: 'Delete Indirect Data Forwarding Tunnel Request',
  169: 'Delete Indirect Data Forwarding Tunnel Response', 170: 'Release Access Bearers Request', 171: 'Release Access Bearers Response',
  176: 'Downlink Data Notification', 177: 'Downlink Data Notification Acknowledge', 179: 'PGW Restart Notification',
  180: 'PGW Restart Notification Acknowledge', 200: 'Update PDN Connection Set Request', 201: 'Update PDN Connection Set Response',
  211: 'Modify Access Bearers Request', 212: 'Modify Access Bearers Response',
  231: 'MBMS Session Start Request', 232: 'MBMS Session Start Response', 233: 'MBMS Session Update Request',
  234: 'MBMS Session Update Response', 235: 'MBMS Session Stop Request', 236: 'MBMS Session Stop Response',
};

const f = {
  flags: field('gtpv2.flags', 'Flags', 'uint8', { base: 'hex' }),
  version: field('gtpv2.version', 'Version', 'uint8', { bitmask: 0xe0, bitWidth: 8 }),
  p: field('gtpv2.p', 'Piggybacking flag (P)', 'uint8', { bitmask: 0x10, bitWidth: 8 }),
  t: field('gtpv2.t', 'TEID flag (T)', 'uint8', { bitmask: 0x08, bitWidth: 8 }),
  mp: field('gtpv2.mp', 'Message Priority(MP)', 'uint8', { bitmask: 0x04, bitWidth: 8 }),
  messageType: field('gtpv2.message_type', 'Message Type', 'uint8', { values: messageTypes }),
  msgLength: field('gtpv2.msg_length', 'Message Length', 'uint16'),
  teid: field('gtpv2.teid', 'Tunnel Endpoint Identifier', 'uint32', { base: 'hex_dec' }),
  seq: field('gtpv2.seq', 'Sequence Number', 'uint24', { base: 'hex_dec' }),
  spare: field('gtpv2.spare', 'Spare', 'uint16'),
  ie: field('gtpv2.ie', 'Information Element', 'none'),
  ieType: field('gtpv2.ie_type', 'IE Type', 'uint8'),
  ieLen: field('gtpv2.ie_len', 'IE Length', 'uint16'),
  cr: field('gtpv2.cr', 'CR flag', 'uint8', { bitmask: 0xf0, bitWidth: 8 }),
  instance: field('gtpv2.instance', 'Instance', 'uint8', { bitmask: 0x0f, bitWidth: 8 }),
};

const MAX_IES = 256;
const MAX_PIGGYBACK = 4;

/** One GTPv2 message at `o` (its name goes to `names` as soon as known); returns [next offset, piggyback flag]. */
function message(c: Cursor, o: number, tree: Tree, names: string[]): [number, boolean] {
  const flags = c.u8(o);
  const ft = tree.addTree(f.flags, c, o, 1);
  ft.add(f.version, c, o, 1);
  ft.add(f.p, c, o, 1);
  ft.add(f.t, c, o, 1);
  ft.add(f.mp, c, o, 1);
  const type = c.u8(o + 1);
  tree.add(f.messageType, c, o + 1, 1);
  names.push(messageTypes[type] ?? 'Unknown');
  const len = c.u16(o + 2);
  tree.add(f.msgLength, c, o + 2, 2);
  let p = o + 4;
  if (flags & 0x08) {
    tree.add(f.teid, c, p, 4);
    p += 4;
  }
  tree.add(f.seq, c, p, 3);
  tree.add(f.spare, c, p + 3, 1, { value: c.u8(p + 3) });
  p += 4;
  const end = o + 4 + len;
  // Like tshark, IEs run to the end of the message or of the data, whichever comes first.
  const stop = Math.min(end, c.reportedEnd);
  for (let i = 0; i < MAX_IES && p < stop; i++) {
    const ieLen = c.u16(p + 1);
    const t = tree.addTree(f.ie, c, p, 4 + ieLen, { label: `IE Type ${c.u8(p)}, length ${ieLen}` });
    t.add(f.ieType, c, p, 1);
    t.add(f.ieLen, c, p + 1, 2);
    t.add(f.cr, c, p + 3, 1);
    t.add(f.instance, c, p + 3, 1);
    c.check(p + 4, ieLen);
    p += 4 + ieLen;
  }
  return [end, (flags & 0x10) !== 0];
}

export default protocol({
  abbrev: 'gtpv2',
  name: 'GPRS Tunneling Protocol V2',
  short: 'GTPv2',
  fields: f,
  dissect(c, ctx, tree) {
    const o = c.start;
    const names: string[] = [];
    let p = o;
    try {
      for (let i = 0; i < MAX_PIGGYBACK && p < c.end; i++) {
        if (i === 0) {
          const [next, piggy] = message(c, p, tree, names);
          p = next;
          if (!piggy) break;
          continue;
        }
        // tshark dissects a piggybacked message inside its own exception handler: a short one
        // is reported as malformed without `_ws.malformed` in frame.protocols.
        try {
          p = message(c, p, tree.addTree(f.ie, c, p, 0, { label: 'Piggybacked message' }), names)[0];
        } catch (e) {
          // A capture cut (not a short packet) is a truncation, as tshark's BoundsError.
          if (!(e instanceof BoundsError) || e.kind === 'captured') throw e;
          ctx.malformed = true;
          tree.expert('error', 'malformed', 'Malformed Packet (Exception occurred)');
          ctx.setInfo(names.join(' / ') + '[Malformed Packet]');
          return c.remaining(o);
        }
      }
    } finally {
      // The names read so far go to Info even when the packet turns out to be malformed.
      if (!ctx.malformed) ctx.setInfo(names.join(' / '));
    }
    return c.remaining(o);
  },
});
