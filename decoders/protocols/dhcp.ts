// DHCP / BOOTP (RFC 2131/2132) on UDP 67/68 (and 4011), abbrev `dhcp` as in Wireshark 4.0:
// the fixed BOOTP header, the magic cookie and the options that matter most, with option
// overload (52) into the sname/file fields. Info: `DHCP Discover - Transaction ID 0x...`.

import { protocol, field } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import type { FieldDef } from '../core/types.ts';
import { formatEther, formatIPv4 } from '../core/format.ts';
import { secondsText } from './dns-names.ts';

const MSG_TYPES: Readonly<Record<number, string>> = {
  1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'ACK', 6: 'NAK', 7: 'Release', 8: 'Inform',
  9: 'Force Renew', 10: 'Lease query', 11: 'Lease Unassigned', 12: 'Lease Unknown', 13: 'Lease Active',
  14: 'Bulk Lease Query', 15: 'Lease Query Done', 16: 'Active LeaseQuery', 17: 'Lease Query Status', 18: 'TLS',
};

const OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'Padding', 1: 'Subnet Mask', 2: 'Time Offset', 3: 'Router', 4: 'Time Server', 5: 'Name Server',
  6: 'Domain Name Server', 7: 'Log Server', 12: 'Host Name', 15: 'Domain Name', 17: 'Root Path',
  26: 'Interface MTU', 28: 'Broadcast Address', 31: 'Perform Router Discover', 33: 'Static Route',
  40: 'Network Information Service Domain', 42: 'Network Time Protocol Servers', 43: 'Vendor-Specific Information',
  44: 'NetBIOS over TCP/IP Name Server', 46: 'NetBIOS over TCP/IP Node Type', 47: 'NetBIOS over TCP/IP Scope',
  50: 'Requested IP Address', 51: 'IP Address Lease Time', 52: 'Option Overload', 53: 'DHCP Message Type',
  54: 'DHCP Server Identifier', 55: 'Parameter Request List', 56: 'Message', 57: 'Maximum DHCP Message Size',
  58: 'Renewal Time Value', 59: 'Rebinding Time Value', 60: 'Vendor class identifier', 61: 'Client identifier',
  66: 'TFTP Server Name', 67: 'Bootfile name', 81: 'Client Fully Qualified Domain Name',
  82: 'Agent Information Option', 90: 'Authentication', 116: 'DHCP Auto-Configuration', 119: 'Domain Search',
  120: 'SIP Servers', 121: 'Classless Static Route', 249: 'Private/Classless Static Route (Microsoft)',
  252: 'Private/Proxy autodiscovery', 255: 'End',
};

/** TR-111 (Broadband Forum, enterprise 3561) suboptions of option 125. */
const TR111: Readonly<Record<number, string>> = {
  1: 'DeviceManufacturerOUI', 2: 'DeviceSerialNumber', 3: 'DeviceProductClass',
  4: 'GatewayManufacturerOUI', 5: 'GatewaySerialNumber', 6: 'GatewayProductClass',
};

const f = {
  bootp: field('dhcp.bootp', 'Frame is BOOTP', 'bool'),
  type: field('dhcp.type', 'Message type', 'uint8', { values: { 1: 'Boot Request', 2: 'Boot Reply' } }),
  hwType: field('dhcp.hw.type', 'Hardware type', 'uint8', { base: 'hex', values: { 1: 'Ethernet', 6: 'IEEE 802 Networks' } }),
  hwLen: field('dhcp.hw.len', 'Hardware address length', 'uint8'),
  hops: field('dhcp.hops', 'Hops', 'uint8'),
  id: field('dhcp.id', 'Transaction ID', 'uint32', { base: 'hex' }),
  secs: field('dhcp.secs', 'Seconds elapsed', 'uint16'),
  flags: field('dhcp.flags', 'Bootp flags', 'uint16', { base: 'hex' }),
  flagsBc: field('dhcp.flags.bc', 'Broadcast flag', 'bool', { bitmask: 0x8000, bitWidth: 16, trueFalse: ['Broadcast', 'Unicast'] }),
  flagsReserved: field('dhcp.flags.reserved', 'Reserved flags', 'uint16', { base: 'hex', bitmask: 0x7fff, bitWidth: 16 }),
  ipClient: field('dhcp.ip.client', 'Client IP address', 'ipv4'),
  ipYour: field('dhcp.ip.your', 'Your (client) IP address', 'ipv4'),
  ipServer: field('dhcp.ip.server', 'Next server IP address', 'ipv4'),
  ipRelay: field('dhcp.ip.relay', 'Relay agent IP address', 'ipv4'),
  hwAddr: field('dhcp.hw.addr', 'Client hardware address', 'bytes'),
  hwAddrPadding: field('dhcp.hw.addr_padding', 'Client hardware address padding', 'bytes'),
  hwMacAddr: field('dhcp.hw.mac_addr', 'Client MAC address', 'ether'),
  server: field('dhcp.server', 'Server host name', 'string'),
  file: field('dhcp.file', 'Boot file name', 'string'),
  cookie: field('dhcp.cookie', 'Magic cookie', 'ipv4'),
  optionType: field('dhcp.option.type', 'Option', 'uint8'),
  optionLength: field('dhcp.option.length', 'Length', 'uint8'),
  optionValue: field('dhcp.option.value', 'Value', 'bytes'),
  optionPadding: field('dhcp.option.padding', 'Padding', 'bytes'),
  optionEnd: field('dhcp.option.end', 'Option End', 'uint8'),
  msgType: field('dhcp.option.dhcp', 'DHCP', 'uint8', { values: MSG_TYPES }),
  subnetMask: field('dhcp.option.subnet_mask', 'Subnet Mask', 'ipv4'),
  timeOffset: field('dhcp.option.time_offset', 'Time Offset', 'int32'),
  router: field('dhcp.option.router', 'Router', 'ipv4'),
  dns: field('dhcp.option.domain_name_server', 'Domain Name Server', 'ipv4'),
  hostname: field('dhcp.option.hostname', 'Host Name', 'string'),
  domainName: field('dhcp.option.domain_name', 'Domain Name', 'string'),
  broadcast: field('dhcp.option.broadcast_address', 'Broadcast Address', 'ipv4'),
  ntp: field('dhcp.option.ntp_server', 'Network Time Protocol Server', 'ipv4'),
  requestedIp: field('dhcp.option.requested_ip_address', 'Requested IP Address', 'ipv4'),
  leaseTime: field('dhcp.option.ip_address_lease_time', 'IP Address Lease Time', 'uint32'),
  overload: field('dhcp.option.option_overload', 'Option Overload', 'uint8', { values: { 1: 'Boot file name holds options', 2: 'Server host name holds options', 3: 'Boot file and server host names hold options' } }),
  serverId: field('dhcp.option.dhcp_server_id', 'DHCP Server Identifier', 'ipv4'),
  requestListItem: field('dhcp.option.request_list_item', 'Parameter Request List Item', 'uint8', { values: OPTION_NAMES }),
  message: field('dhcp.option.message', 'Message', 'string'),
  maxMessageSize: field('dhcp.option.dhcp_max_message_size', 'Maximum DHCP Message Size', 'uint16'),
  renewal: field('dhcp.option.renewal_time_value', 'Renewal Time Value', 'uint32'),
  rebinding: field('dhcp.option.rebinding_time_value', 'Rebinding Time Value', 'uint32'),
  vendorClassId: field('dhcp.option.vendor_class_id', 'Vendor class identifier', 'string'),
  clientIdType: field('dhcp.client_id.type', 'Type', 'uint8'),
  clientId: field('dhcp.client_id', 'Identifier', 'bytes'),
  clientIdUndef: field('dhcp.client_id.undef', 'Client Identifier', 'string'),
  suboptionLength: field('dhcp.option.suboption_length', 'Length', 'uint8'),
  agentSuboption: field('dhcp.option.agent_information_option.suboption', 'Option 82 Suboption', 'uint8', { values: { 1: 'Agent Circuit ID', 2: 'Agent Remote ID', 5: 'Link selection', 6: 'Subscriber ID', 9: 'Vendor-Specific Information', 11: 'Server ID Override' } }),
  agentValue: field('dhcp.option.agent_information_option.value', 'Value', 'bytes'),
  agentCircuitId: field('dhcp.option.agent_information_option.agent_circuit_id', 'Agent Circuit ID', 'bytes'),
  agentRemoteId: field('dhcp.option.agent_information_option.agent_remote_id', 'Agent Remote ID', 'bytes'),
  authProtocol: field('dhcp.option.dhcp_authentication.protocol', 'Protocol', 'uint8', { values: { 0: 'configuration token', 1: 'delayed authentication' } }),
  authAlgDelay: field('dhcp.option.dhcp_authentication.alg_delay', 'Delay Algorithm', 'uint8', { values: { 1: 'HMAC_MD5' } }),
  authAlgorithm: field('dhcp.option.dhcp_authentication.algorithm', 'Algorithm', 'uint8'),
  authRdm: field('dhcp.option.dhcp_authentication.rdm', 'Replay Detection Method', 'uint8', { values: { 0: 'Monotonically-increasing counter' } }),
  authReplay: field('dhcp.option.dhcp_authentication.rdm_replay_detection', 'RDM Replay Detection Value', 'uint64', { base: 'hex' }),
  authSecretId: field('dhcp.option.dhcp_authentication.secret_id', 'Secret ID', 'uint32', { base: 'hex' }),
  authHmac: field('dhcp.option.dhcp_authentication.hmac_md5_hash', 'HMAC MD5 Hash', 'bytes'),
  authInfo: field('dhcp.option.dhcp_authentication.information', 'Authentication Information', 'string'),
  viEnterprise: field('dhcp.option.vi.enterprise', 'Enterprise', 'uint32'),
  viLength: field('dhcp.option.vi.length', 'Length', 'uint8'),
  viValue: field('dhcp.option.vi.value', 'Value', 'bytes'),
  tr111Suboption: field('dhcp.option.vi.tr111.suboption', 'Option 125 Suboption', 'uint8', { values: TR111 }),
  tr111DeviceOui: field('dhcp.option.vi.tr111.device_manufacturer_oui', 'DeviceManufacturerOUI', 'uint24', { base: 'hex' }),
  tr111DeviceSerial: field('dhcp.option.vi.tr111.device_serial_number', 'DeviceSerialNumber', 'string'),
  tr111DeviceClass: field('dhcp.option.vi.tr111.device_product_class', 'DeviceProductClass', 'string'),
  tr111GatewayOui: field('dhcp.option.vi.tr111.gateway_manufacturer_oui', 'GatewayManufacturerOUI', 'string'),
  tr111GatewaySerial: field('dhcp.option.vi.tr111.gateway_serial_number', 'GatewaySerialNumber', 'string'),
  tr111GatewayClass: field('dhcp.option.vi.tr111.gateway_product_class', 'GatewayProductClass', 'string'),
  autoConf: field('dhcp.option.dhcp_auto_configuration', 'DHCP Auto-Configuration', 'uint8', { values: { 0: 'DoNotAutoConfigure', 1: 'AutoConfigure' } }),
};

/** A text-only tree item: shown, not filterable. */
const textItem: FieldDef = { abbrev: 'text', name: 'Text', type: 'none' };

/** NUL-terminated text of a string option (FT_STRINGZ). */
function stringz(c: Cursor, o: number, len: number): string {
  const b = c.bytes(o, len);
  let s = '';
  for (let i = 0; i < b.length && b[i] !== 0; i++) s += String.fromCharCode(b[i]!);
  return s;
}

interface OptState {
  msgType: number;
  overload: number;
  /** Start of the BOOTP header. */
  base: number;
  depth: number;
}

const IPV4_LIST: Record<number, FieldDef> = { 3: f.router, 6: f.dns, 42: f.ntp };
const IPV4_ONE: Record<number, FieldDef> = { 1: f.subnetMask, 28: f.broadcast, 50: f.requestedIp, 54: f.serverId };
const STRINGS: Record<number, FieldDef> = { 12: f.hostname, 15: f.domainName, 56: f.message, 60: f.vendorClassId };
const TIMES: Record<number, FieldDef> = { 51: f.leaseTime, 58: f.renewal, 59: f.rebinding };

/** One option at `o`; returns the offset after it, or -1 after End. */
function dissectOption(c: Cursor, tree: Tree, o: number, end: number, st: OptState): number {
  const code = c.u8(o);
  const name = OPTION_NAMES[code] ?? 'Unknown';
  if (code === 0) {
    // Runs of padding are one item, as in Wireshark.
    let k = o;
    while (k < end && c.u8(k) === 0) k++;
    const pt = tree.addTree(textItem, c, o, k - o, { label: 'Option: (0) Padding' });
    pt.hidden(f.optionType, c, o, 1);
    pt.add(f.optionPadding, c, o, k - o);
    return k;
  }
  if (code === 255) {
    // tshark's End node is an option-type item whose value reads 0.
    const et = tree.addTree(f.optionType, c, o, 1, { value: 0, label: 'Option: (255) End' });
    et.add(f.optionEnd, c, o, 1);
    return -1;
  }
  const len = c.u8(o + 1);
  const v = o + 2;
  let suffix = '';
  if (code === 53 && len >= 1) suffix = ` (${MSG_TYPES[c.u8(v)] ?? 'Unknown'})`;
  else if (IPV4_ONE[code] && len === 4) suffix = ` (${formatIPv4(c.u32(v))})`;
  const ot = tree.addTree(textItem, c, o, 2 + len, { label: `Option: (${code}) ${name}${suffix}` });
  ot.hidden(f.optionType, c, o, 1);
  ot.add(f.optionLength, c, o + 1, 1);
  const known = code === 53 || IPV4_ONE[code] || IPV4_LIST[code] || STRINGS[code] || TIMES[code] || code === 55 || code === 57 || code === 2 || code === 52 || code === 116 || code === 61;
  if (len > 0 && known) ot.hidden(f.optionValue, c, v, len);
  if (code === 53 && len === 1) {
    st.msgType = c.u8(v);
    ot.add(f.msgType, c, v, 1);
  } else if (IPV4_ONE[code] && len === 4) {
    ot.add(IPV4_ONE[code]!, c, v, 4);
  } else if (IPV4_LIST[code] && len % 4 === 0) {
    for (let k = v; k < v + len; k += 4) ot.add(IPV4_LIST[code]!, c, k, 4);
  } else if (STRINGS[code]) {
    ot.add(STRINGS[code]!, c, v, len, { value: stringz(c, v, len) });
  } else if (TIMES[code] && len === 4) {
    const t = c.u32(v);
    const def = TIMES[code]!;
    ot.add(def, c, v, 4, { value: t, label: `${def.name}: ${t === 0xffffffff ? 'Infinity' : `(${t}s) ${secondsText(t)}`}` });
  } else if (code === 55) {
    for (let k = v; k < v + len; k++) {
      const item = c.u8(k);
      ot.add(f.requestListItem, c, k, 1, { label: `Parameter Request List Item: (${item}) ${OPTION_NAMES[item] ?? 'Unknown'}` });
    }
  } else if (code === 57 && len === 2) {
    ot.add(f.maxMessageSize, c, v, 2);
  } else if (code === 2 && len === 4) {
    ot.add(f.timeOffset, c, v, 4);
  } else if (code === 52 && len === 1) {
    st.overload = c.u8(v);
    ot.add(f.overload, c, v, 1);
    // The overloaded fields' options are shown here, inside option 52, as tshark does.
    const base = st.base;
    if (st.overload & 2) dissectOptions(c, ot.addTree(textItem, c, base + 44, 64, { label: 'Server host name option overload' }), base + 44, base + 108, st);
    if (st.overload & 1) dissectOptions(c, ot.addTree(textItem, c, base + 108, 128, { label: 'Boot file name option overload' }), base + 108, base + 236, st);
  } else if (code === 116 && len === 1) {
    ot.add(f.autoConf, c, v, 1);
  } else if (code === 61 && len >= 1) {
    const type = c.u8(v);
    if (type === 1 && len === 7) {
      ot.add(f.hwType, c, v, 1);
      ot.add(f.hwMacAddr, c, v + 1, 6);
    } else {
      ot.add(f.clientIdType, c, v, 1);
      if (len > 1) ot.add(type === 0 ? f.clientIdUndef : f.clientId, c, v + 1, len - 1, type === 0 ? { value: stringz(c, v + 1, len - 1) } : {});
    }
  } else if (code === 82 && len > 0) {
    // Relay agent information: suboptions (RFC 3046).
    ot.hidden(f.optionValue, c, v, len);
    for (let x = v, i = 0; x + 2 <= v + len && i < 256; i++) {
      const sub = c.u8(x);
      const sl = c.u8(x + 1);
      const st = ot.addTree(f.agentSuboption, c, x, 2 + sl, { value: sub, label: `Option 82 Suboption: (${sub}) ${f.agentSuboption.values![sub] ?? 'Unknown'}` });
      st.add(f.suboptionLength, c, x + 1, 1);
      if (sl) {
        st.hidden(f.agentValue, c, x + 2, sl);
        if (sub === 1) st.add(f.agentCircuitId, c, x + 2, sl);
        else if (sub === 2) st.add(f.agentRemoteId, c, x + 2, sl);
      }
      x += 2 + sl;
    }
  } else if (code === 125 && len >= 5) {
    // V-I Vendor-specific Information (RFC 3925): per enterprise, a length and suboptions.
    ot.hidden(f.optionValue, c, v, len);
    for (let x = v, i = 0; x + 5 <= v + len && i < 64; i++) {
      const ent = c.u32(x);
      const dl = c.u8(x + 4);
      const et = ot.addTree(f.viEnterprise, c, x, 4, { value: ent, label: `Enterprise: ${ent === 3561 ? "Broadband Forum (previously 'DSL Forum')" : 'Unknown'} (${ent})` });
      et.add(f.viLength, c, x + 4, 1);
      for (let y = x + 5, k = 0; y + 2 <= x + 5 + dl && k < 256; k++) {
        const sub = c.u8(y);
        const sl = c.u8(y + 1);
        if (ent === 3561) {
          const name = TR111[sub] ?? 'Unknown';
          const st = et.addTree(f.tr111Suboption, c, y, 2 + sl, { value: sub, label: `Option 125 Suboption: (${sub}) ${name}` });
          st.add(f.suboptionLength, c, y + 1, 1);
          const def = sub === 1 ? f.tr111DeviceOui : sub === 2 ? f.tr111DeviceSerial : sub === 3 ? f.tr111DeviceClass : sub === 4 ? f.tr111GatewayOui : sub === 5 ? f.tr111GatewaySerial : sub === 6 ? f.tr111GatewayClass : null;
          if (def && sl) st.add(def, c, y + 2, sl, def.type === 'string' ? { value: stringz(c, y + 2, sl) } : {});
        } else {
          et.add(f.suboptionLength, c, y + 1, 1);
        }
        if (sl) et.hidden(f.viValue, c, y + 2, sl);
        y += 2 + sl;
      }
      x += 5 + dl;
    }
  } else if (code === 90 && len >= 11) {
    // Authentication (RFC 3118).
    ot.hidden(f.optionValue, c, v, len);
    const proto = c.u8(v);
    ot.add(f.authProtocol, c, v, 1);
    ot.add(proto === 1 ? f.authAlgDelay : f.authAlgorithm, c, v + 1, 1);
    ot.add(f.authRdm, c, v + 2, 1);
    ot.add(f.authReplay, c, v + 3, 8);
    if (proto === 1 && len >= 31) {
      ot.add(f.authSecretId, c, v + 11, 4);
      ot.add(f.authHmac, c, v + 15, 16);
    } else if (len > 11) {
      ot.add(f.authInfo, c, v + 11, len - 11, { value: stringz(c, v + 11, len - 11) });
    }
  } else if (len > 0) {
    ot.add(f.optionValue, c, v, len);
  }
  return v + len;
}

/** A one-byte option's value (52 Option Overload, 53 Message Type), found before the tree is built. */
function findOption(c: Cursor, o: number, want: number): number {
  for (let n = 0; n < 1000 && c.has(o, 1); n++) {
    const code = c.u8(o);
    if (code === 255) return 0;
    if (code === 0) {
      o++;
      continue;
    }
    if (!c.has(o + 1, 1)) return 0;
    const len = c.u8(o + 1);
    if (code === want && len === 1 && c.has(o + 2, 1)) return c.u8(o + 2);
    o += 2 + len;
  }
  return 0;
}

function dissectOptions(c: Cursor, tree: Tree, o: number, end: number, st: OptState): void {
  if (st.depth > 1) return; // an overload inside an overloaded field is not followed
  st.depth++;
  for (let n = 0; o < end && n < 1000; n++) {
    const next = dissectOption(c, tree, o, end, st);
    if (next < 0) {
      // After End in the options field: the rest is padding.
      const rest = o + 1;
      if (st.depth === 1 && rest < end) tree.add(f.optionPadding, c, rest, end - rest);
      break;
    }
    o = next;
  }
  st.depth--;
}

export default protocol({
  abbrev: 'dhcp',
  name: 'Dynamic Host Configuration Protocol',
  short: 'DHCP',
  fields: f,
  register(r) {
    r.table('udp.port', 67);
    r.table('udp.port', 68);
    r.table('udp.port', 4011);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const op = c.u8(o);
    const xid = c.u32(o + 4);
    ctx.setInfo(`Boot ${op === 1 ? 'Request' : 'Reply'}`);
    tree.add(f.type, c, o, 1);
    const hwType = c.u8(o + 1);
    const hwLen = c.u8(o + 2);
    tree.add(f.hwType, c, o + 1, 1);
    tree.add(f.hwLen, c, o + 2, 1);
    tree.add(f.hops, c, o + 3, 1);
    tree.add(f.id, c, o + 4, 4);
    tree.add(f.secs, c, o + 8, 2);
    const flags = c.u16(o + 10);
    const ft = tree.addTree(f.flags, c, o + 10, 2, { label: `Bootp flags: 0x${flags.toString(16).padStart(4, '0')} (${flags & 0x8000 ? 'Broadcast' : 'Unicast'})` });
    ft.add(f.flagsBc, c, o + 10, 2);
    ft.add(f.flagsReserved, c, o + 10, 2);
    tree.add(f.ipClient, c, o + 12, 4);
    tree.add(f.ipYour, c, o + 16, 4);
    tree.add(f.ipServer, c, o + 20, 4);
    tree.add(f.ipRelay, c, o + 24, 4);
    if (hwType === 1 && hwLen === 6) {
      tree.add(f.hwMacAddr, c, o + 28, 6, { label: `Client MAC address: ${formatEther(c.bytes(o + 28, 6))}` });
      tree.add(f.hwAddrPadding, c, o + 34, 10);
    } else {
      tree.add(f.hwAddr, c, o + 28, 16);
    }
    const sname = stringz(c, o + 44, 64);
    const file = stringz(c, o + 108, 128);
    const st: OptState = { msgType: 0, overload: 0, base: o, depth: 0 };
    // The options come first when they overload sname/file, so the text fields are decided after.
    // Read when the packet has it (a capture cut short there stops with a marker); BOOTP has none.
    const hasCookie = c.reportedRemaining(o + 236) >= 4 && c.u32(o + 236) === 0x63825363;
    const overload = hasCookie ? findOption(c, o + 240, 52) : 0;
    // Like tshark, Info and heading come from a first look at option 53, before the options are dissected.
    const early = MSG_TYPES[hasCookie ? findOption(c, o + 240, 53) : 0];
    if (early) {
      ctx.setInfo(`DHCP ${early.padEnd(8)} - Transaction ID 0x${xid.toString(16)}`);
      if (tree.owner) tree.owner.label = `Dynamic Host Configuration Protocol (${early})`;
    }
    if (overload & 2) {
      /* the sname field holds options (shown below) */
    } else if (sname) tree.add(f.server, c, o + 44, 64, { value: sname });
    else tree.add(textItem, c, o + 44, 64, { label: 'Server host name not given' });
    if (overload & 1) {
      /* the file field holds options (shown below) */
    } else if (file) tree.add(f.file, c, o + 108, 128, { value: file });
    else tree.add(textItem, c, o + 108, 128, { label: 'Boot file name not given' });
    if (!hasCookie) {
      tree.hidden(f.bootp, c, o, 0, { value: true });
      if (tree.owner) tree.owner.label = 'Bootstrap Protocol';
      return c.remaining(o);
    }
    tree.add(f.cookie, c, o + 236, 4, { label: 'Magic cookie: DHCP' });
    // Options run to the end of the packet: a capture cut short stops with a short-capture marker.
    dissectOptions(c, tree, o + 240, c.reportedEnd, st);
    const typeName = MSG_TYPES[st.msgType];
    if (typeName) {
      ctx.setInfo(`DHCP ${typeName.padEnd(8)} - Transaction ID 0x${xid.toString(16)}`);
      if (tree.owner) tree.owner.label = `Dynamic Host Configuration Protocol (${typeName})`;
    }
    return c.remaining(o);
  },
});
