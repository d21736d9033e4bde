import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes } from '../../support/decode.ts';

// SCTP/M3UA/SCCP, VRRP, ESP, AH, OSPF, CDP, TPKT/COTP/S7comm, Modbus/TCP: real frames from the corpus; expected values, byte ranges, frame.protocols and Info
// are tshark 4.0's for the same frames.

test("sctp: ip-frag.pcap frame 253", () => {
  const hex = "000bdb941480000bdb94147008004500003800004000408479ae0a76d5d30a76d5d40b7c0b7c0214ac8202d460ac000300180000000100000000000000030100030100000008";
  const d = decode(hex, 1, undefined, 1, 70);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:sctp:m3ua");
  assert.equal(d.columns.info.trim(), "ASPUP");
  assert.equal(cell(d, "sctp.srcport").split(',')[0], "2940");
  assert.deepEqual(range(d, "sctp.srcport"), [34, 2]);
  assert.equal(cell(d, "sctp.dstport").split(',')[0], "2940");
  assert.deepEqual(range(d, "sctp.dstport"), [36, 2]);
  assert.equal(cell(d, "sctp.verification_tag").split(',')[0], "0x0214ac82");
  assert.deepEqual(range(d, "sctp.verification_tag"), [38, 4]);
  assert.equal(cell(d, "sctp.data_tsn").split(',')[0], "0");
  assert.deepEqual(range(d, "sctp.data_tsn"), [50, 4]);
  assert.equal(cell(d, "sctp.data_payload_proto_id").split(',')[0], "3");
  assert.deepEqual(range(d, "sctp.data_payload_proto_id"), [58, 4]);
  assert.equal(cell(d, "m3ua.message_class").split(',')[0], "3");
  assert.deepEqual(range(d, "m3ua.message_class"), [64, 1]);
  assert.equal(cell(d, "m3ua.message_type").split(',')[0], "1");
  assert.deepEqual(range(d, "m3ua.message_type"), [65, 1]);
  // Cut inside the sctp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 96), 1, undefined, 1, 70);
  assert.equal(cut.protocols.includes("sctp"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("sccp: ip-frag.pcap frame 2354", () => {
  const hex = "000bdb941470000bdb941480080045000074000e4000408479640a76d5d40a76d5d30b7c0b7c0badab0294e7803b00030054000000050001000100000003010001010000004402000008000000000210002b000000d20000000a0300000006000102000114000a2000010e0000020022000201800026400100000211000800000000";
  const d = decode(hex, 1, undefined, 1, 130);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:sctp:m3ua:sccp:data");
  assert.equal(d.columns.info.trim(), "DT1");
  assert.equal(cell(d, "sccp.message_type").split(',')[0], "0x06");
  assert.deepEqual(range(d, "sccp.message_type"), [94, 1]);
  assert.equal(cell(d, "sccp.dlr").split(',')[0], "0x020100");
  assert.deepEqual(range(d, "sccp.dlr"), [95, 3]);
  // Cut inside the sccp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 192), 1, undefined, 1, 130);
  assert.equal(cut.protocols.includes("sccp"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("vrrp: VRRP-V2.pcap frame 1", () => {
  const hex = "01005e00001200005e00010108004500002800000000ff701a8dc0a8001ee000001221016403000138fac0a80001c0a80002c0a80003";
  const d = decode(hex, 1, undefined, 1, 54);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:vrrp");
  assert.equal(d.columns.info.trim(), "Announcement (v2)");
  assert.equal(cell(d, "vrrp.version").split(',')[0], "2");
  assert.deepEqual(range(d, "vrrp.version"), [34, 1]);
  assert.equal(cell(d, "vrrp.virt_rtr_id").split(',')[0], "1");
  assert.deepEqual(range(d, "vrrp.virt_rtr_id"), [35, 1]);
  assert.equal(cell(d, "vrrp.prio").split(',')[0], "100");
  assert.deepEqual(range(d, "vrrp.prio"), [36, 1]);
  assert.equal(cell(d, "vrrp.addr_count").split(',')[0], "3");
  assert.deepEqual(range(d, "vrrp.addr_count"), [37, 1]);
  assert.equal(cell(d, "vrrp.ip_addr").split(',')[0], "192.168.0.1");
  assert.deepEqual(range(d, "vrrp.ip_addr"), [42, 4]);
  // Cut inside the vrrp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 78), 1, undefined, 1, 54);
  assert.equal(cut.protocols.includes("vrrp"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("esp: ipsec.pcapng frame 2", () => {
  const hex = "68a3c4f949f65475d0c90b8186dd600000000008323f20010470e5bf100185192d1fc57dfc4f20010470e5bfdead7db00921a2e91c214950763620455350";
  const d = decode(hex, 1, undefined, 1, 62);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ipv6:esp");
  assert.equal(d.columns.info.trim(), "ESP (SPI=0x49507636)");
  assert.equal(cell(d, "esp.spi").split(',')[0], "0x49507636");
  assert.deepEqual(range(d, "esp.spi"), [54, 4]);
  assert.equal(cell(d, "esp.sequence").split(',')[0], "541414224");
  assert.deepEqual(range(d, "esp.sequence"), [58, 4]);
  // Cut inside the esp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 118), 1, undefined, 1, 62);
  assert.equal(cut.protocols.includes("esp"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("ah: ipsec.pcapng frame 3", () => {
  const hex = "00175aed7af0001da18b36d0080045000090021b0000ff331fccc0a80c01c0a80c0204040000646adc800000000803d9ebccbbc8d14cccb87ade45000064003f0000ff012206c0a80c01c0a80c020800b1a9000c00030000000004a1c7f0abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd";
  const d = decode(hex, 1, undefined, 1, 158);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:ah:ip:icmp:data");
  assert.equal(d.columns.info.trim(), "Echo (ping) request  id=0x000c, seq=3/768, ttl=255");
  assert.equal(cell(d, "ah.next_header").split(',')[0], "4");
  assert.deepEqual(range(d, "ah.next_header"), [34, 1]);
  assert.equal(cell(d, "ah.spi").split(',')[0], "0x646adc80");
  assert.deepEqual(range(d, "ah.spi"), [38, 4]);
  assert.equal(cell(d, "ah.sequence").split(',')[0], "8");
  assert.deepEqual(range(d, "ah.sequence"), [42, 4]);
  // Cut inside the ah layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 88), 1, undefined, 1, 158);
  assert.equal(cut.protocols.includes("ah"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("ospf: ipv6_options.pcap frame 4", () => {
  const hex = "333300000005c20168b3000186dd6e00000000403301fe800000000000000000000000000002ff02000000000000000000000000000559040000000001000000002035482148b2435a23dcdd5536030100280202020200000001f17300000000000501000013000a0028020202020101010101010101";
  const d = decode(hex, 1, undefined, 1, 118);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ipv6:ah:ospf");
  assert.equal(d.columns.info.trim(), "Hello Packet");
  assert.equal(cell(d, "ospf.version").split(',')[0], "3");
  assert.deepEqual(range(d, "ospf.version"), [78, 1]);
  assert.equal(cell(d, "ospf.msg").split(',')[0], "1");
  assert.deepEqual(range(d, "ospf.msg"), [79, 1]);
  assert.equal(cell(d, "ospf.packet_length").split(',')[0], "40");
  assert.deepEqual(range(d, "ospf.packet_length"), [80, 2]);
  assert.equal(cell(d, "ospf.srcrouter").split(',')[0], "2.2.2.2");
  assert.deepEqual(range(d, "ospf.srcrouter"), [82, 4]);
  // Cut inside the ospf layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 168), 1, undefined, 1, 118);
  assert.equal(cut.protocols.includes("ospf"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("cdp: VlanPackets.pcap frame 21", () => {
  const hex = "01000ccdcdd00013c3dfae188100a0760165aaaa0300000c200002b4bae2000100065231000500fd436973636f20494f5320536f6674776172652c203238303020536f667477617265202843323830304e4d2d414456495053455256494345534b392d4d292c2056657273696f6e2031322e3428323429542c2052454c4541534520534f4654574152452028666331290a546563686e6963616c20537570706f72743a20687474703a2f2f7777772e636973636f2e636f6d2f74656368737570706f72740a436f707972696768742028632920313938362d3230303920627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205765642032352d4665622d30392031373a35352062792070726f645f72656c5f7465616d0006000e436973636f203238313100020011000000010101cc00040a760a01000300134661737445746865726e6574302f300004000800000029000700130a760a00180a761400180a761e001800090004000b000501";
  const d = decode(hex, 1, undefined, 1, 375);
  assert.equal(d.protocols.join(':'), "eth:ethertype:vlan:llc:cdp");
  assert.equal(d.columns.info.trim(), "Device ID: R1  Port ID: FastEthernet0/0");
  assert.equal(cell(d, "cdp.version").split(',')[0], "2");
  assert.deepEqual(range(d, "cdp.version"), [26, 1]);
  assert.equal(cell(d, "cdp.ttl").split(',')[0], "180");
  assert.deepEqual(range(d, "cdp.ttl"), [27, 1]);
  assert.equal(cell(d, "cdp.deviceid").split(',')[0], "R1");
  assert.deepEqual(range(d, "cdp.deviceid"), [34, 2]);
  assert.equal(cell(d, "cdp.portid").split(',')[0], "FastEthernet0/0");
  assert.deepEqual(range(d, "cdp.portid"), [324, 15]);
  // Cut inside the cdp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 76), 1, undefined, 1, 375);
  assert.equal(cut.protocols.includes("cdp"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("s7comm: s7comm.pcap frame 1", () => {
  const hex = "005056b837d1000e8cd0f9cb0800450001190fc400001e0676970a4900d30a4900200066f0480072171153f0fa9950181000bc050000030000f102f08032070000fd0b000c00d4000112081284010100000000ff0900d000a000000014000a4302ff68c70000000814771421090815333765641381fe64c77200000814771421090815333765544301ff46c7720000081477142109081533375274430eff23000000000000000021073117382880074546ff32c0c08ffe0000000021073117382409174300fff3000000000000000021073117382409176522ff030000000100018ffe21073117382409174580fff200000002000000002107302334535946494eff8fc00000000000000021073023345359264302ff68c7000000001477142104271604011663";
  const d = decode(hex, 1, undefined, 1, 295);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:tcp:tpkt:cotp:s7comm");
  assert.equal(d.columns.info.trim(), "ROSCTR:[Userdata] Function:[Response] -> [CPU functions] -> [Read SZL] ID=0x00a0 Index=0x0000");
  assert.equal(cell(d, "tpkt.length").split(',')[0], "241");
  assert.equal(cell(d, "cotp.li").split(',')[0], "2");
  assert.equal(cell(d, "s7comm.header.rosctr").split(',')[0], "7");
  assert.deepEqual(range(d, "s7comm.header.rosctr"), [62, 1]);
  assert.equal(cell(d, "s7comm.header.pduref").split(',')[0], "64779");
  assert.deepEqual(range(d, "s7comm.header.pduref"), [65, 2]);
  assert.equal(cell(d, "s7comm.data.userdata.szl_id").split(',')[0], "0x00a0");
  assert.deepEqual(range(d, "s7comm.data.userdata.szl_id"), [87, 2]);
  // Cut inside the s7comm layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 134), 1, undefined, 1, 295);
  assert.equal(cut.protocols.includes("s7comm"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("modbus: modbusFrames.pcap frame 1", () => {
  const hex = "000c29af7ffe109add4e060d080045000040c6e64000400658880a0101ea0a0a0555c8d301f6e072efbac405c33a8018ffffd5d900000101080a37c3fee900ba2a0f001100000006ff0402580064";
  const d = decode(hex, 1, undefined, 1, 78);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:tcp:mbtcp:modbus");
  assert.equal(d.columns.info.trim(), "Query: Trans:    17; Unit: 255, Func:   4: Read Input Registers");
  assert.equal(cell(d, "mbtcp.trans_id").split(',')[0], "17");
  assert.equal(cell(d, "mbtcp.len").split(',')[0], "6");
  assert.equal(cell(d, "mbtcp.unit_id").split(',')[0], "255");
  assert.equal(cell(d, "modbus.func_code").split(',')[0], "4");
  assert.deepEqual(range(d, "modbus.func_code"), [73, 1]);
  assert.equal(cell(d, "modbus.reference_num").split(',')[0], "600");
  assert.deepEqual(range(d, "modbus.reference_num"), [74, 2]);
  assert.equal(cell(d, "modbus.word_cnt").split(',')[0], "100");
  assert.deepEqual(range(d, "modbus.word_cnt"), [76, 2]);
  // Cut inside the modbus layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 150), 1, undefined, 1, 78);
  assert.equal(cut.protocols.includes("modbus"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});
