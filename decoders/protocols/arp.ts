// ARP and its relatives (RARP, DRARP, Inverse ARP) over any hardware and protocol type.
// Ethernet/IPv4 addresses get typed fields (arp.src.hw_mac, arp.src.proto_ipv4 ...); other
// sizes fall back to byte fields. Info text and the gratuitous/probe/announcement flags
// follow Wireshark 4.0.

import { field, protocol } from '../core/registry.ts';
import { formatBytesHex, formatEther, formatIPv4, ipv4FromBytes } from '../core/format.ts';
import { ethertypeNames } from './ethertype-names.ts';
import { NodeFlags } from '../core/types.ts';

const hwTypeNames: Record<number, string> = {
  0: 'NET/ROM pseudo',
  1: 'Ethernet',
  2: 'Experimental Ethernet',
  3: 'AX.25',
  4: 'ProNET',
  5: 'Chaos',
  6: 'IEEE 802',
  7: 'ARCNET',
  8: 'Hyperchannel',
  9: 'Lanstar',
  10: 'Autonet Short Address',
  11: 'Localtalk',
  12: 'LocalNet (IBM PCNet/Sytek LocalNET)',
  13: 'Ultra link',
  14: 'SMDS',
  15: 'Frame Relay DLCI',
  16: 'ATM',
  17: 'HDLC',
  18: 'Fibre Channel',
  19: 'ATM (RFC 2225)',
  20: 'Serial Line',
  21: 'ATM',
  22: 'MIL-STD-188-220',
  23: 'Metricom STRIP',
  24: 'IEEE 1394.1995',
  25: 'MAPOS',
  26: 'Twinaxial',
  27: 'EUI-64',
  28: 'HIPARP',
  29: 'IP and ARP over ISO 7816-3',
  30: 'ARPSec',
  31: 'IPsec tunnel',
  32: 'InfiniBand',
  33: 'TIA-102 Project 25 CAI',
  34: 'Wiegand Interface',
  35: 'Pure IP',
  36: 'HW_EXP1',
  37: 'HFI',
  256: 'HW_EXP2',
  257: 'AEthernet',
};

const opNames: Record<number, string> = {
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
  5: 'drarp request',
  6: 'drarp reply',
  7: 'drarp error',
  8: 'inverse request',
  9: 'inverse reply',
  10: 'arp nak',
  11: 'MARS request',
  12: 'MARS multi',
  13: 'MARS mserv',
  14: 'MARS join',
  15: 'MARS leave',
  16: 'MARS nak',
  17: 'MARS unserv',
  18: 'MARS sjoin',
  19: 'MARS sleave',
  20: 'MARS grouplist request',
  21: 'MARS grouplist reply',
  22: 'MARS redirect map',
  23: 'MAPOS unsolicited arp',
  24: 'experimental 1',
  25: 'experimental 2',
};

const f = {
  hwType: field('arp.hw.type', 'Hardware type', 'uint16', { values: hwTypeNames }),
  protoType: field('arp.proto.type', 'Protocol type', 'uint16', { base: 'hex', values: ethertypeNames }),
  hwSize: field('arp.hw.size', 'Hardware size', 'uint8'),
  protoSize: field('arp.proto.size', 'Protocol size', 'uint8'),
  opcode: field('arp.opcode', 'Opcode', 'uint16', { values: opNames }),
  isGratuitous: field('arp.isgratuitous', 'Is gratuitous', 'bool', { trueFalse: ['True', 'False'] }),
  isProbe: field('arp.isprobe', 'Is probe', 'bool', { trueFalse: ['True', 'False'] }),
  isAnnouncement: field('arp.isannouncement', 'Is announcement', 'bool', { trueFalse: ['True', 'False'] }),
  srcHw: field('arp.src.hw', 'Sender hardware address', 'bytes'),
  srcHwMac: field('arp.src.hw_mac', 'Sender MAC address', 'ether'),
  srcProto: field('arp.src.proto', 'Sender protocol address', 'bytes'),
  srcProtoIpv4: field('arp.src.proto_ipv4', 'Sender IP address', 'ipv4'),
  dstHw: field('arp.dst.hw', 'Target hardware address', 'bytes'),
  dstHwMac: field('arp.dst.hw_mac', 'Target MAC address', 'ether'),
  dstProto: field('arp.dst.proto', 'Target protocol address', 'bytes'),
  dstProtoIpv4: field('arp.dst.proto_ipv4', 'Target IP address', 'ipv4'),
  duplicate: field('arp.duplicate-address', 'Duplicate IP address detected', 'none'),
  duplicateFrame: field('arp.duplicate-address-frame', 'Frame showing earlier use of IP address', 'framenum'),
  duplicateSeconds: field('arp.seconds-since-duplicate-address-frame', 'Seconds since earlier frame seen', 'uint32'),
};

/** Who claimed an IPv4 address last: Wireshark's duplicate-address detection (on by default). */
interface Binding {
  mac: Uint8Array;
  frame: number;
  secs: number;
}

class ArpState {
  /** Current owner of each address, updated on the first pass only. */
  readonly byIp = new Map<number, Binding>();
  /** Conflicts found on the first pass, by `frame:ip`, so a re-dissection shows the same. */
  readonly conflicts = new Map<string, Binding>();
}

/** Records `mac` as the owner of `ip`; returns the earlier, different owner if there is one. */
function checkDuplicate(state: ArpState, frame: number, secs: number, visited: boolean, mac: Uint8Array, ip: number): Binding | undefined {
  const key = `${frame}:${ip}`;
  if (visited) return state.conflicts.get(key);
  const known = state.byIp.get(ip);
  if (!known) {
    state.byIp.set(ip, { mac: mac.slice(), frame, secs });
    return undefined;
  }
  if (frame <= known.frame) return undefined;
  if (sameBytes(known.mac, mac)) {
    known.frame = frame;
    known.secs = secs;
    return undefined;
  }
  const result = { ...known, mac: known.mac.slice() };
  state.conflicts.set(key, result);
  return result;
}

const OP_REQUEST = 1;
const OP_REPLY = 2;

function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export default protocol({
  abbrev: 'arp',
  name: 'Address Resolution Protocol',
  short: 'ARP',
  fields: f,
  register(r) {
    r.table('ethertype', 0x0806);
    r.table('ethertype', 0x8035); // RARP
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const hrd = c.u16(o);
    tree.add(f.hwType, c, o, 2);
    const pro = c.u16(o + 2);
    tree.add(f.protoType, c, o + 2, 2);
    const hln = c.u8(o + 4);
    tree.add(f.hwSize, c, o + 4, 1);
    const pln = c.u8(o + 5);
    tree.add(f.protoSize, c, o + 5, 1);
    const op = c.u16(o + 6);
    const opNode = tree.add(f.opcode, c, o + 6, 2);

    const isEther = hln === 6 && (hrd === 1 || hrd === 6);
    const isIPv4 = pln === 4 && (pro === 0x0800 || pro === 0xcc);
    const shaOff = o + 8;
    const spaOff = shaOff + hln;
    const thaOff = spaOff + pln;
    const tpaOff = thaOff + hln;
    const end = tpaOff + pln;

    // Read everything first (a short packet throws here), then classify, then add.
    const sha = c.bytes(shaOff, hln);
    const spa = c.bytes(spaOff, pln);
    const tha = c.bytes(thaOff, hln);
    const tpa = c.bytes(tpaOff, pln);

    const hwText = (b: Uint8Array): string => (isEther ? formatEther(b) : formatBytesHex(b));
    const protoText = (b: Uint8Array): string => (isIPv4 ? formatIPv4(ipv4FromBytes(b)) : formatBytesHex(b));

    const gratuitous = (op === OP_REQUEST || op === OP_REPLY) && pln > 0 && sameBytes(spa, tpa);
    const probe = op === OP_REQUEST && pln > 0 && isZero(spa) && !gratuitous;
    const announcement = op === OP_REQUEST && gratuitous && isZero(tha);

    const opName = opNames[op] ?? 'Unknown';
    let heading = `Address Resolution Protocol (${opName})`;
    if (announcement) heading = 'Address Resolution Protocol (ARP Announcement)';
    else if (probe) heading = 'Address Resolution Protocol (ARP Probe)';
    else if (gratuitous) heading = `Address Resolution Protocol (${opName}/gratuitous ARP)`;
    if (tree.owner) tree.owner.label = heading;

    if (op >= 3 && op <= 4) ctx.columns.protocol = 'RARP';
    else if (op >= 5 && op <= 7) ctx.columns.protocol = 'DRARP';
    else if (op >= 8 && op <= 9) ctx.columns.protocol = 'Inverse ARP';
    switch (op) {
      case OP_REQUEST:
        if (announcement) ctx.setInfo(`ARP Announcement for ${protoText(tpa)}`);
        else if (gratuitous) ctx.setInfo(`Gratuitous ARP for ${protoText(tpa)} (Request)`);
        else if (probe) ctx.setInfo(`Who has ${protoText(tpa)}? (ARP Probe)`);
        else ctx.setInfo(`Who has ${protoText(tpa)}? Tell ${protoText(spa)}`);
        break;
      case OP_REPLY:
        if (gratuitous) ctx.setInfo(`Gratuitous ARP for ${protoText(spa)} (Reply)`);
        else ctx.setInfo(`${protoText(spa)} is at ${hwText(sha)}`);
        break;
      case 3:
      case 5:
        ctx.setInfo(`Who is ${hwText(tha)}? Tell ${hwText(sha)}`);
        break;
      case 4:
      case 6:
        ctx.setInfo(`${hwText(tha)} is at ${protoText(tpa)}`);
        break;
      case 7:
        ctx.setInfo('DRARP Error');
        break;
      case 8:
        ctx.setInfo(`Who is ${hwText(tha)}? Tell ${hwText(sha)}`);
        break;
      case 9:
        ctx.setInfo(`${hwText(sha)} is at ${protoText(spa)}`);
        break;
      case 10:
        ctx.setInfo('ARP NAK');
        break;
      default:
        ctx.setInfo(`Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`);
    }

    if (gratuitous) tree.generated(f.isGratuitous, true, '[Is gratuitous: True]', c, opNode.offset, 0);
    if (probe) tree.generated(f.isProbe, true, '[Is probe: True]', c, opNode.offset, 0);
    if (announcement) tree.generated(f.isAnnouncement, true, '[Is announcement: True]', c, opNode.offset, 0);

    // Duplicate address detection, as Wireshark does it for Ethernet/IPv4 requests and replies.
    // As there, the Info note follows the last check made (a clean target check hides it).
    const conflicts: { ip: number; mac: Uint8Array; earlier: Binding }[] = [];
    let noteIp: number | null = null;
    if ((op === OP_REQUEST || op === OP_REPLY) && isEther && isIPv4) {
      const state = ctx.session.slot('arp.duplicates', () => new ArpState());
      const usable = (mac: Uint8Array, ip: number): boolean => (mac[0]! & 1) === 0 && !isZero(mac) && ip !== 0;
      let duplicateIp: number | null = null;
      const check = (mac: Uint8Array, ip: number): void => {
        const earlier = checkDuplicate(state, ctx.frame.number, ctx.frame.tsSec, ctx.visited, mac, ip);
        noteIp = earlier ? ip : null;
        if (!earlier) return;
        duplicateIp = ip;
        conflicts.push({ ip, mac, earlier });
      };
      const sip = ipv4FromBytes(spa);
      if (usable(sha, sip)) check(sha, sip);
      const tip = ipv4FromBytes(tpa);
      if (op !== OP_REQUEST && usable(tha, tip) && duplicateIp !== tip) check(tha, tip);
    }
    if (noteIp !== null) ctx.appendInfo(`(duplicate use of ${formatIPv4(noteIp)} detected!)`);

    if (hln) tree.add(isEther ? f.srcHwMac : f.srcHw, c, shaOff, hln);
    if (pln) tree.add(isIPv4 ? f.srcProtoIpv4 : f.srcProto, c, spaOff, pln);
    if (hln) tree.add(isEther ? f.dstHwMac : f.dstHw, c, thaOff, hln);
    if (pln) tree.add(isIPv4 ? f.dstProtoIpv4 : f.dstProto, c, tpaOff, pln);
    for (const { ip, mac, earlier } of conflicts) {
      const sub = tree.addTree(f.duplicate, c, o, 0, {
        label: `[Duplicate IP address detected for ${formatIPv4(ip)} (${formatEther(mac)}) - also in use by ${formatEther(earlier.mac)} (frame ${earlier.frame})]`,
        flags: NodeFlags.Generated,
      });
      sub.generated(f.duplicateFrame, earlier.frame, `[Frame showing earlier use of IP address: ${earlier.frame}]`, c, o, 0);
      sub.expert('warn', 'sequence', `Duplicate IP address configured (${formatIPv4(ip)})`, c, o, 0);
      const secs = Math.max(0, ctx.frame.tsSec - earlier.secs);
      sub.generated(f.duplicateSeconds, secs, `[Seconds since earlier frame seen: ${secs}]`, c, o, 0);
    }
    return end - o;
  },
});
