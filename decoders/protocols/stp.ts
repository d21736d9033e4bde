// Spanning Tree BPDUs (802.1D configuration and TCN, 802.1w RSTP, 802.1s MSTP with its
// MSTI records), reached from LLC through DSAP 0x42. Info text and tree headings follow
// Wireshark 4.0 with system-ID extensions shown (its default).

import { field, protocol } from '../core/registry.ts';
import { formatEther } from '../core/format.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import type { FieldDef } from '../core/types.ts';

const versionNames: Record<number, string> = { 0: 'Spanning Tree', 2: 'Rapid Spanning Tree', 3: 'Multiple Spanning Tree', 4: 'Shortest Path Tree' };
const typeNames: Record<number, string> = { 0x00: 'Configuration', 0x02: 'Rapid/Multiple Spanning Tree', 0x80: 'Topology Change Notification' };
const roleNames: Record<number, string> = { 1: 'Alternate or Backup', 2: 'Root', 3: 'Designated' };
const yesNo: [string, string] = ['Yes', 'No'];

const f = {
  protocol: field('stp.protocol', 'Protocol Identifier', 'uint16', { base: 'hex', values: { 0: 'Spanning Tree Protocol' } }),
  version: field('stp.version', 'Protocol Version Identifier', 'uint8', { values: versionNames }),
  type: field('stp.type', 'BPDU Type', 'uint8', { base: 'hex', values: typeNames }),
  flags: field('stp.flags', 'BPDU flags', 'uint8', { base: 'hex' }),
  tcack: field('stp.flags.tcack', 'Topology Change Acknowledgment', 'bool', { bitmask: 0x80, bitWidth: 8, trueFalse: yesNo }),
  agreement: field('stp.flags.agreement', 'Agreement', 'bool', { bitmask: 0x40, bitWidth: 8, trueFalse: yesNo }),
  forwarding: field('stp.flags.forwarding', 'Forwarding', 'bool', { bitmask: 0x20, bitWidth: 8, trueFalse: yesNo }),
  learning: field('stp.flags.learning', 'Learning', 'bool', { bitmask: 0x10, bitWidth: 8, trueFalse: yesNo }),
  portRole: field('stp.flags.port_role', 'Port Role', 'uint8', { bitmask: 0x0c, bitWidth: 8, values: roleNames }),
  proposal: field('stp.flags.proposal', 'Proposal', 'bool', { bitmask: 0x02, bitWidth: 8, trueFalse: yesNo }),
  tc: field('stp.flags.tc', 'Topology Change', 'bool', { bitmask: 0x01, bitWidth: 8, trueFalse: yesNo }),
  rootPrio: field('stp.root.prio', 'Root Bridge Priority', 'uint16'),
  rootExt: field('stp.root.ext', 'Root Bridge System ID Extension', 'uint16'),
  rootHw: field('stp.root.hw', 'Root Bridge System ID', 'ether'),
  rootCost: field('stp.root.cost', 'Root Path Cost', 'uint32'),
  bridgePrio: field('stp.bridge.prio', 'Bridge Priority', 'uint16'),
  bridgeExt: field('stp.bridge.ext', 'Bridge System ID Extension', 'uint16'),
  bridgeHw: field('stp.bridge.hw', 'Bridge System ID', 'ether'),
  port: field('stp.port', 'Port identifier', 'uint16', { base: 'hex' }),
  msgAge: field('stp.msg_age', 'Message Age', 'double'),
  maxAge: field('stp.max_age', 'Max Age', 'double'),
  hello: field('stp.hello', 'Hello Time', 'double'),
  forward: field('stp.forward', 'Forward Delay', 'double'),
  v1Len: field('stp.version_1_length', 'Version 1 Length', 'uint8'),
  v3Len: field('mstp.version_3_length', 'Version 3 Length', 'uint16'),
  cfgFormat: field('mstp.config_format_selector', 'MST Config ID format selector', 'uint8'),
  cfgName: field('mstp.config_name', 'MST Config name', 'string'),
  cfgRevision: field('mstp.config_revision_level', 'MST Config revision', 'uint16'),
  cfgDigest: field('mstp.config_digest', 'MST Config digest', 'bytes'),
  cistCost: field('mstp.cist_internal_root_path_cost', 'CIST Internal Root Path Cost', 'uint32'),
  cistPrio: field('mstp.cist_bridge.prio', 'CIST Bridge Priority', 'uint16'),
  cistExt: field('mstp.cist_bridge.ext', 'CIST Bridge Identifier System ID Extension', 'uint16'),
  cistHw: field('mstp.cist_bridge.hw', 'CIST Bridge Identifier System ID', 'ether'),
  cistHops: field('mstp.cist_remaining_hops', 'CIST Remaining hops', 'uint8'),
  mstiFlags: field('mstp.msti.flags', 'MSTI flags', 'uint8', { base: 'hex' }),
  mstiPriority: field('mstp.msti.priority', 'Priority', 'uint8', { base: 'hex', bitmask: 0xf0, bitWidth: 8 }),
  mstiId: field('mstp.msti.msti_id', 'MSTID', 'uint16', { bitmask: 0x0fff, bitWidth: 16 }),
  mstiRootHw: field('mstp.msti.root.hw', 'Regional Root', 'ether'),
  mstiCost: field('mstp.msti.root_cost', 'Internal root path cost', 'uint32'),
  mstiBridgePrio: field('mstp.msti.bridge_priority', 'Bridge Identifier Priority', 'uint8'),
  mstiPortPrio: field('mstp.msti.port_priority', 'Port identifier priority', 'uint8'),
  mstiHops: field('mstp.msti.remaining_hops', 'Remaining hops', 'uint8'),
  v4Len: field('mstp.version_4_length', 'Version 4 Length', 'uint16'),
  // Headings Wireshark draws as text items; they need a name here to be tree nodes.
  rootId: field('stp.root.id', 'Root Identifier', 'none'),
  bridgeId: field('stp.bridge.id', 'Bridge Identifier', 'none'),
  cistId: field('mstp.cist_bridge.id', 'CIST Bridge Identifier', 'none'),
  mstExt: field('mstp.extension', 'MST Extension', 'none'),
  msti: field('mstp.msti', 'MSTI', 'none'),
};

const TYPE_CONF = 0x00;
const TYPE_RST = 0x02;
const TYPE_TCN = 0x80;
const MST_MIN = 102; // bytes up to the first MSTI record
const MSTI_SIZE = 16;
const V3_STATIC = 64; // Version 3 Length of an MST BPDU without MSTI records

/** Flags with the Wireshark summary: `0x3e, Forwarding, Learning, Port Role: Designated, Proposal`. */
function flags(c: Cursor, o: number, def: FieldDef, label: string, rst: boolean, tree: Tree): void {
  const v = c.u8(o);
  const parts: string[] = [];
  if (v & 0x80) parts.push('Topology Change Acknowledgment');
  if (rst) {
    if (v & 0x40) parts.push('Agreement');
    if (v & 0x20) parts.push('Forwarding');
    if (v & 0x10) parts.push('Learning');
    const role = (v >> 2) & 3;
    if (role) parts.push(`Port Role: ${roleNames[role]}`);
    if (v & 0x02) parts.push('Proposal');
  }
  if (v & 0x01) parts.push('Topology Change');
  const sub = tree.addTree(def, c, o, 1, { label: `${label}: 0x${v.toString(16).padStart(2, '0')}${parts.length ? ', ' + parts.join(', ') : ''}` });
  sub.add(f.tcack, c, o, 1);
  if (rst) {
    sub.add(f.agreement, c, o, 1);
    sub.add(f.forwarding, c, o, 1);
    sub.add(f.learning, c, o, 1);
    sub.add(f.portRole, c, o, 1);
    sub.add(f.proposal, c, o, 1);
  }
  sub.add(f.tc, c, o, 1);
}

/** A bridge identifier (priority + system ID extension + MAC) as Wireshark draws it. */
function bridgeId(c: Cursor, o: number, head: FieldDef, prio: FieldDef, ext: FieldDef, hw: FieldDef, tree: Tree): void {
  const raw = c.u16(o);
  const mac = c.bytes(o + 2, 6);
  const sub = tree.addTree(head, c, o, 8, { label: `${head.name}: ${raw & 0xf000} / ${raw & 0x0fff} / ${formatEther(mac)}` });
  sub.add(prio, c, o, 1, { value: raw & 0xf000 });
  sub.add(ext, c, o, 2, { value: raw & 0x0fff });
  sub.add(hw, c, o + 2, 6);
}

function timer(c: Cursor, o: number, def: FieldDef, tree: Tree): void {
  const v = c.u16(o) / 256;
  tree.add(def, c, o, 2, { value: v, label: `${def.name}: ${v}` });
}

export default protocol({
  abbrev: 'stp',
  name: 'Spanning Tree Protocol',
  short: 'STP',
  fields: f,
  register(r) {
    r.table('llc.dsap', 0x42);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const version = c.u8(o + 2);
    const type = c.u8(o + 3);
    if (type === TYPE_CONF || type === TYPE_RST) {
      const fl = c.u8(o + 4);
      const rootRaw = c.u16(o + 5);
      const rootMac = formatEther(c.bytes(o + 7, 6));
      const cost = c.u32(o + 13);
      const port = c.u16(o + 25);
      const tail = `${fl & 1 ? 'TC + ' : ''}Root = ${rootRaw & 0xf000}/${rootRaw & 0x0fff}/${rootMac}  Cost = ${cost}  Port = 0x${port.toString(16).padStart(4, '0')}`;
      ctx.setInfo(type === TYPE_CONF ? `Conf. ${tail}` : `${version === 3 ? 'MS' : version === 4 ? 'SP' : 'RS'}T. ${tail}`);
    } else if (type === TYPE_TCN) {
      ctx.setInfo('Topology Change Notification');
    } else {
      ctx.setInfo(`Unknown BPDU type (${type})`);
    }
    tree.add(f.protocol, c, o, 2);
    tree.add(f.version, c, o + 2, 1);
    if (version !== 0 && (version < 2 || version > 4)) tree.expert('warn', 'protocol', 'This version of Wireshark only knows about versions 0, 2, 3 & 4', c, o + 2, 1);
    tree.add(f.type, c, o + 3, 1);
    if (type === TYPE_TCN) return 4;
    if (type !== TYPE_CONF && type !== TYPE_RST) {
      tree.expert('warn', 'undecoded', 'Unknown BPDU type data', c, o + 3, 1);
      return c.remaining(o);
    }
    flags(c, o + 4, f.flags, 'BPDU flags', type === TYPE_RST, tree);
    bridgeId(c, o + 5, f.rootId, f.rootPrio, f.rootExt, f.rootHw, tree);
    tree.add(f.rootCost, c, o + 13, 4);
    bridgeId(c, o + 17, f.bridgeId, f.bridgePrio, f.bridgeExt, f.bridgeHw, tree);
    tree.add(f.port, c, o + 25, 2);
    timer(c, o + 27, f.msgAge, tree);
    timer(c, o + 29, f.maxAge, tree);
    timer(c, o + 31, f.hello, tree);
    timer(c, o + 33, f.forward, tree);
    if (type === TYPE_CONF) return 35;

    const v1 = c.u8(o + 35);
    tree.add(f.v1Len, c, o + 35, 1);
    const reported = c.reportedEnd - o;
    if (!(version >= 3 && v1 === 0 && reported >= MST_MIN)) return c.remaining(o);

    const v3 = c.u16(o + 36);
    tree.add(f.v3Len, c, o + 36, 2);
    const selector = c.u8(o + 38);
    let mstiTotal: number;
    let alternative = false;
    if (v3 !== 0) {
      // Below the fixed part the length counts MSTI records, as some Cisco switches send it.
      mstiTotal = v3 >= V3_STATIC ? v3 - V3_STATIC : v3 * MSTI_SIZE;
    } else if (reported === selector + MST_MIN + 1) {
      alternative = true;
      mstiTotal = selector - V3_STATIC;
    } else {
      mstiTotal = 0;
    }
    const mst = tree.addTree(f.mstExt, c, o + 36, c.remaining(o + 36));
    mst.add(f.cfgFormat, c, o + 38, 1);
    const nameBytes = c.bytes(o + 39, 32);
    const nul = nameBytes.indexOf(0);
    const name = String.fromCharCode(...nameBytes.subarray(0, nul < 0 ? 32 : nul));
    mst.add(f.cfgName, c, o + 39, 32, { value: name, label: `MST Config name: ${name}` });
    mst.add(f.cfgRevision, c, o + 71, 2);
    mst.add(f.cfgDigest, c, o + 73, 16);
    if (!alternative) {
      mst.add(f.cistCost, c, o + 89, 4);
      bridgeId(c, o + 93, f.cistId, f.cistPrio, f.cistExt, f.cistHw, mst);
    } else {
      bridgeId(c, o + 90, f.cistId, f.cistPrio, f.cistExt, f.cistHw, mst);
      mst.add(f.cistCost, c, o + 98, 4);
    }
    mst.add(f.cistHops, c, o + 101, 1);
    let off = o + MST_MIN;
    // Bounded by the claimed length; each record is read (and may throw) before the next.
    for (let left = mstiTotal; left > 0 && !alternative; left -= MSTI_SIZE, off += MSTI_SIZE) {
      const rr = c.u16(off + 1);
      const rootMac = formatEther(c.bytes(off + 3, 6));
      const rec = mst.addTree(f.msti, c, off, MSTI_SIZE, { label: `MSTID ${rr & 0x0fff}, Regional Root Identifier ${rr & 0xf000} / ${rootMac}` });
      flags(c, off, f.mstiFlags, 'MSTI flags', true, rec);
      const pri = c.u8(off + 1) >> 4;
      rec.add(f.mstiPriority, c, off + 1, 1, { label: `${pri.toString(2).padStart(4, '0')} .... = Priority: 0x${pri.toString(16)}` });
      rec.add(f.mstiId, c, off + 1, 2);
      rec.add(f.mstiRootHw, c, off + 3, 6);
      rec.add(f.mstiCost, c, off + 9, 4);
      rec.add(f.mstiBridgePrio, c, off + 13, 1, { value: c.u8(off + 13) >> 4 });
      rec.add(f.mstiPortPrio, c, off + 14, 1, { value: c.u8(off + 14) >> 4 });
      rec.add(f.mstiHops, c, off + 15, 1);
    }
    if (version === 3) return MST_MIN + mstiTotal;
    return c.remaining(o);
  },
});
