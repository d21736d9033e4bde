// IEEE 802.2 Logical-Link Control: DSAP, SSAP and the HDLC-style control field, then either
// SNAP (OUI + protocol ID) or a hand-off on the DSAP through the `llc.dsap` table (STP
// registers 0x42). SNAP with OUI 00-00-00 carries an Ethernet type; Cisco's OUI dispatches
// through `llc.cisco_pid` (CDP 0x2000), other OUIs through `llc.pid.<oui>`.

import { field, protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import { ethertypeNames } from './ethertype-names.ts';

export const sapNames: Record<number, string> = {
  0x00: 'NULL LSAP',
  0x02: 'LLC Sub-Layer Management Individual',
  0x03: 'LLC Sub-Layer Management Group',
  0x04: 'SNA Path Control Individual',
  0x05: 'SNA Path Control Group',
  0x06: 'TCP/IP',
  0x08: 'SNA',
  0x0c: 'SNA',
  0x0e: 'PROWAY (IEC 955) Network Management and Initialization',
  0x18: 'Texas Instruments',
  0x42: 'Spanning Tree BPDU',
  0x4e: 'EIA RS-511 Manufacturing Message Service',
  0x7e: 'ISO 8208 (X.25 over 802.2)',
  0x80: 'XNS',
  0x86: 'Nestar',
  0x8e: 'PROWAY (IEC 955) Active Station List Maintenance',
  0x98: 'ARP',
  0xaa: 'SNAP',
  0xba: 'Banyan VINES',
  0xbc: 'Banyan VINES',
  0xe0: 'NetWare',
  0xf0: 'NetBIOS',
  0xf4: 'IBM Net Management Individual',
  0xf5: 'IBM Net Management Group',
  0xf8: 'Remote Program Load',
  0xfa: 'Ungermann-Bass',
  0xfc: 'Remote Program Load',
  0xfe: 'ISO Network Layer',
  0xff: 'Global LSAP',
};

const ouiNames: Record<number, string> = {
  0x000000: 'Officially Xerox, but',
  0x00000c: 'Cisco Systems, Inc',
  0x0000f8: 'Cisco 90-Compatible',
  0x00080c: 'Cisco IPX?',
  0x000e2e: 'Edimax Technology Co. Ltd.',
  0x0080c2: 'IEEE 802.1 Committee',
  0x00e02b: 'Extreme Networks, Inc.',
  0x080007: 'Apple, Inc.',
  0x00a0c5: 'Zyxel Communications Corporation',
  0x00000e: 'Fujitsu Limited',
  0x00e052: 'Brocade Communications Systems LLC',
  0x00040d: 'Avaya Inc',
  0x0019a7: 'ITU-T',
};

/** U-frame modifier (control & 0xEC) names, command and response forms. */
const uModifierCmd: Record<number, string> = {
  0x00: 'Unnumbered Information',
  0x20: 'Unnumbered Poll',
  0x40: 'Disconnect',
  0x60: 'Unnumbered Acknowledge',
  0x04: 'Set Initialization Mode',
  0x84: 'Frame reject',
  0x0c: 'Disconnected Mode',
  0x2c: 'Set Asynchronous Balanced Mode',
  0x6c: 'Set Asynchronous Balanced Mode Extended',
  0x8c: 'Set Normal Response Mode',
  0xcc: 'Set Normal Response Mode Extended',
  0xac: 'Exchange identification',
  0xe0: 'Test',
};
const uModifierResp: Record<number, string> = {
  0x00: 'Unnumbered Information',
  0x04: 'Request Initialization Mode',
  0x08: 'Request Disconnect',
  0x0c: 'Disconnected Mode',
  0x60: 'Unnumbered Acknowledge',
  0x84: 'Frame reject',
  0xac: 'Exchange identification',
  0xe0: 'Test',
};
const uModifierShort: Record<number, string> = {
  0x00: 'UI',
  0x20: 'UP',
  0x40: 'DISC',
  0x60: 'UA',
  0x04: 'SIM',
  0x84: 'FRMR',
  0x0c: 'DM',
  0x2c: 'SABM',
  0x6c: 'SABME',
  0x8c: 'SNRM',
  0xcc: 'SNRME',
  0xac: 'XID',
  0xe0: 'TEST',
  0x08: 'RD',
};
const sFrameNames: Record<number, string> = { 0: 'Receiver ready', 1: 'Receiver not ready', 2: 'Reject', 3: 'Selective reject' };
const sFrameShort: Record<number, string> = { 0: 'RR', 1: 'RNR', 2: 'REJ', 3: 'SREJ' };
const ftypeNames: Record<number, string> = { 0: 'Information frame', 1: 'Supervisory frame', 3: 'Unnumbered frame' };

const f = {
  dsap: field('llc.dsap', 'DSAP', 'uint8', { base: 'hex', values: sapNames }),
  dsapSap: field('llc.dsap.sap', 'SAP', 'uint8', { bitmask: 0xfe, bitWidth: 8 }),
  dsapIg: field('llc.dsap.ig', 'IG Bit', 'bool', { bitmask: 0x01, bitWidth: 8, trueFalse: ['Group', 'Individual'] }),
  ssap: field('llc.ssap', 'SSAP', 'uint8', { base: 'hex', values: sapNames }),
  ssapSap: field('llc.ssap.sap', 'SAP', 'uint8', { bitmask: 0xfe, bitWidth: 8 }),
  ssapCr: field('llc.ssap.cr', 'CR Bit', 'bool', { bitmask: 0x01, bitWidth: 8, trueFalse: ['Response', 'Command'] }),
  control: field('llc.control', 'Control', 'uint16', { base: 'hex' }),
  nR: field('llc.control.n_r', 'N(R)', 'uint16', { bitmask: 0xfe00, bitWidth: 16 }),
  nS: field('llc.control.n_s', 'N(S)', 'uint16', { bitmask: 0x00fe, bitWidth: 16 }),
  p: field('llc.control.p', 'Poll', 'bool', { bitmask: 0x10, bitWidth: 8 }),
  f: field('llc.control.f', 'Final', 'bool', { bitmask: 0x10, bitWidth: 8 }),
  sFtype: field('llc.control.s_ftype', 'Supervisory frame type', 'uint16', { base: 'hex', bitmask: 0x000c, bitWidth: 16, values: sFrameNames }),
  uCmd: field('llc.control.u_modifier_cmd', 'Command', 'uint8', { base: 'hex', bitmask: 0xec, bitWidth: 8, values: uModifierCmd }),
  uResp: field('llc.control.u_modifier_resp', 'Response', 'uint8', { base: 'hex', bitmask: 0xec, bitWidth: 8, values: uModifierResp }),
  ftype: field('llc.control.ftype', 'Frame type', 'uint8', { base: 'hex', values: ftypeNames }),
  type: field('llc.type', 'Type', 'uint16', { base: 'hex', values: ethertypeNames }),
  oui: field('llc.oui', 'Organization Code', 'uint24'),
  pid: field('llc.pid', 'Protocol ID', 'uint16', { base: 'hex' }),
  ciscoPid: field('llc.cisco_pid', 'PID', 'uint16', { base: 'hex', values: { 0x0102: 'DRiP', 0x0104: 'PAgP', 0x0105: 'MLS Hello', 0x010b: 'PVSTP+', 0x010c: 'VLAN Bridge', 0x0111: 'UDLD', 0x2000: 'CDP', 0x2001: 'CGMP', 0x2003: 'VTP', 0x2004: 'DTP', 0x200a: 'STP Uplink Fast', 0x4001: 'CCP / Coordination' } }),
};

const SAP_SNAP = 0xaa;

function hex(n: number, width: number): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

/** The control field: 1 byte for U frames, 2 for I and S frames. Returns [length, info text]. */
function control(c: Cursor, o: number, isResponse: boolean, tree: Tree): [number, string] {
  const b0 = c.u8(o);
  if ((b0 & 0x03) === 0x03) {
    const mod = b0 & 0xec;
    const pf = (b0 & 0x10) !== 0;
    const name = uModifierShort[mod] ?? `Unknown (${hex(mod, 2)})`;
    const text = `U${pf ? (isResponse ? ' F' : ' P') : ''}, func=${name}`;
    const sub = tree.addTree(f.control, c, o, 1, { value: b0, label: `Control field: ${text} (${hex(b0, 2)})` });
    if (pf) sub.add(isResponse ? f.f : f.p, c, o, 1, { value: true });
    sub.add(isResponse ? f.uResp : f.uCmd, c, o, 1);
    sub.add(f.ftype, c, o, 1, { value: 3, label: `.... ..11 = Frame type: Unnumbered frame (0x3)` });
    return [1, text];
  }
  const v = c.u16(o);
  const b1 = v & 0xff;
  const pf = (b1 & 0x01) !== 0;
  const nr = b1 >> 1;
  let text: string;
  if ((b0 & 0x01) === 0) {
    const ns = b0 >> 1;
    text = `I${pf ? (isResponse ? ' F' : ' P') : ''}, N(R)=${nr}, N(S)=${ns}`;
    const sub = tree.addTree(f.control, c, o, 2, { value: v, label: `Control field: ${text} (${hex(v, 4)})` });
    sub.add(f.nR, c, o, 2, { value: nr });
    sub.add(f.nS, c, o, 2, { value: ns });
    sub.add(f.ftype, c, o, 2, { value: 0, label: `.... .... .... ...0 = Frame type: Information frame (0x0)` });
  } else {
    const s = (b0 >> 2) & 3;
    text = `S${pf ? (isResponse ? ' F' : ' P') : ''}, func=${sFrameShort[s]}, N(R)=${nr}`;
    const sub = tree.addTree(f.control, c, o, 2, { value: v, label: `Control field: ${text} (${hex(v, 4)})` });
    sub.add(f.nR, c, o, 2, { value: nr });
    sub.add(f.sFtype, c, o, 2, { value: s });
    sub.add(f.ftype, c, o, 2, { value: 1, label: `.... .... .... ..01 = Frame type: Supervisory frame (0x1)` });
  }
  return [2, text];
}

function sapText(v: number): string {
  return sapNames[v & 0xfe] ?? hex(v & 0xfe, 2);
}

export default protocol({
  abbrev: 'llc',
  name: 'Logical-Link Control',
  short: 'LLC',
  fields: f,
  dissect(c, ctx, tree) {
    const o = c.start;
    const dsap = c.u8(o);
    const dsapTree = tree.addTree(f.dsap, c, o, 1);
    dsapTree.add(f.dsapSap, c, o, 1, { label: `${bitsOf(dsap & 0xfe)} = SAP: ${sapText(dsap)}` });
    dsapTree.add(f.dsapIg, c, o, 1);
    const ssap = c.u8(o + 1);
    const ssapTree = tree.addTree(f.ssap, c, o + 1, 1);
    ssapTree.add(f.ssapSap, c, o + 1, 1, { label: `${bitsOf(ssap & 0xfe)} = SAP: ${sapText(ssap)}` });
    ssapTree.add(f.ssapCr, c, o + 1, 1);
    const isResponse = (ssap & 1) !== 0;
    const [clen, ctext] = control(c, o + 2, isResponse, tree);
    let off = o + 2 + clen;
    ctx.setInfo(ctext);

    const isUI = clen === 1 && (c.u8(o + 2) & 0xef) === 0x03;
    if (dsap === SAP_SNAP && ssap === SAP_SNAP && clen === 1) {
      const oui = c.u24(off);
      const ouiName = ouiNames[oui];
      const ouiHex = [oui >> 16, (oui >> 8) & 255, oui & 255].map((b) => b.toString(16).padStart(2, '0')).join(':');
      tree.add(f.oui, c, off, 3, { label: `Organization Code: ${ouiHex}${ouiName ? ` (${ouiName})` : ''}` });
      const pid = c.u16(off + 3);
      off += 5;
      ctx.appendInfo(`SNAP, OUI 0x${oui.toString(16).toUpperCase().padStart(6, '0')}${ouiName ? ` (${ouiName})` : ''}, PID 0x${pid.toString(16).toUpperCase().padStart(4, '0')}`, '; ');
      const next = c.sub(off);
      let used: number;
      if (oui === 0x000000 || oui === 0x0000f8) {
        tree.add(f.type, c, off - 2, 2);
        used = ctx.call('ethertype', pid, next, tree);
      } else if (oui === 0x00000c) {
        tree.add(f.ciscoPid, c, off - 2, 2);
        used = ctx.call('llc.cisco_pid', pid, next, tree);
      } else {
        tree.add(f.pid, c, off - 2, 2);
        used = ctx.call(`llc.pid.${oui}`, pid, next, tree);
        // IEEE 802.1 bridged Ethernet (RFC 2684 / 1490): PID 1 with FCS, 7 without.
        if (used < 0 && oui === 0x0080c2 && (pid === 0x0001 || pid === 0x0007)) used = ctx.callProtocol('eth', next, tree);
      }
      if (used < 0) used = ctx.callData(next, tree);
      return off - o + used;
    }
    ctx.appendInfo(`DSAP ${sapNames[dsap & 0xfe] ?? hex(dsap & 0xfe, 2)} ${dsap & 1 ? 'Group' : 'Individual'}, SSAP ${sapNames[ssap & 0xfe] ?? hex(ssap & 0xfe, 2)} ${isResponse ? 'Response' : 'Command'}`, '; ');
    const next = c.sub(off);
    if (c.remaining(off) <= 0 && c.reportedRemaining(off) <= 0) return off - o;
    // Only I and UI frames carry a payload for the upper layer.
    let used = clen === 2 && (c.u8(o + 2) & 1) === 0 || isUI ? ctx.call('llc.dsap', dsap, next, tree) : -1;
    if (used < 0) used = ctx.callData(next, tree);
    return off - o + used;
  },
});

function bitsOf(v: number): string {
  const s = v.toString(2).padStart(8, '0');
  return `${s.slice(0, 4)} ${s.slice(4, 7)}.`;
}
