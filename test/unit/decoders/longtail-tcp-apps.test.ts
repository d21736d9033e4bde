import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes } from '../../support/decode.ts';

// SSH, Rlogin, BGP, Telnet, SMTP, FTP, FTP-DATA, MySQL, LDAP, PostgreSQL, X11: real frames from the corpus; expected values, byte ranges, frame.protocols and Info
// are tshark 4.0's for the same frames.

test("ssh: ssh_packets.pcap frame 1", () => {
  const hex = "005056c00008000c29a545e008004500004954cf40004006b114ac10eea8ac10ee010016e41b42a27637375e7fab8018005b3d1d00000101080a001323011c95aff55353482d322e302d4f70656e5353485f352e330d0a";
  const d = decode(hex, 1, undefined, 1, 87);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:tcp:ssh");
  assert.equal(d.columns.info.trim(), "Server: Protocol (SSH-2.0-OpenSSH_5.3)");
  assert.equal(cell(d, "ssh.protocol").split(',')[0], "SSH-2.0-OpenSSH_5.3");
  assert.deepEqual(range(d, "ssh.protocol"), [66, 19]);
  // Cut inside the ssh layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 138), 1, undefined, 1, 87);
  assert.equal(cut.protocols.includes("ssh"), true, 'layer present');
});

test("ssh: ssh_packets.pcap frame 2", () => {
  const hex = "000c29bd6f01005056c000080800450003bc527c40004006b014ac10ee01ac10ee88e43800162217cfb7dd741b328018ffff55a200000101080a1c9afed60000ac330000038404140e7b9a0807ea71e0945dd1fdbfa419290000007e6469666669652d68656c6c6d616e2d67726f75702d65786368616e67652d7368613235362c6469666669652d68656c6c6d616e2d67726f75702d65786368616e67652d736861312c6469666669652d68656c6c6d616e2d67726f757031342d736861312c6469666669652d68656c6c6d616e2d67726f7570312d73686131000000837373682d7273612d636572742d763031406f70656e7373682e636f6d2c7373682d6473732d636572742d763031406f70656e7373682e636f6d2c7373682d7273612d636572742d763030406f70656e7373682e636f6d2c7373682d6473732d636572742d763030406f70656e7373682e636f6d2c7373682d7273612c7373682d6473730000009d6165733132382d6374722c6165733139322d6374722c6165733235362d6374722c617263666f75723235362c617263666f75723132382c6165733132382d6362632c336465732d6362632c626c6f77666973682d6362632c636173743132382d6362632c6165733139322d6362632c6165733235362d6362632c617263666f75722c72696a6e6461656c2d636263406c797361746f722e6c69752e73650000009d6165733132382d6374722c6165733139322d6374722c6165733235362d6374722c617263666f75723235362c617263666f75723132382c6165733132382d6362632c336465732d6362632c626c6f77666973682d6362632c636173743132382d6362632c6165733139322d6362632c6165733235362d6362632c617263666f75722c72696a6e6461656c2d636263406c797361746f722e6c69752e736500000069686d61632d6d64352c686d61632d736861312c756d61632d3634406f70656e7373682e636f6d2c686d61632d726970656d643136302c686d61632d726970656d64313630406f70656e7373682e636f6d2c686d61632d736861312d39362c686d61632d6d64352d393600000069686d61632d6d64352c686d61632d736861312c756d61632d3634406f70656e7373682e636f6d2c686d61632d726970656d643136302c686d61632d726970656d64313630406f70656e7373682e636f6d2c686d61632d736861312d39362c686d61632d6d64352d39360000001a6e6f6e652c7a6c6962406f70656e7373682e636f6d2c7a6c69620000001a6e6f6e652c7a6c6962406f70656e7373682e636f6d2c7a6c69620000000000000000000000000000000000";
  const d = decode(hex, 1, undefined, 1, 970);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:tcp:ssh");
  assert.equal(d.columns.info.trim(), "Client: Encrypted packet (len=904)");
  assert.equal(cell(d, "ssh.packet_length_encrypted").split(',')[0], "00000384");
  assert.deepEqual(range(d, "ssh.packet_length_encrypted"), [66, 4]);
  // Cut inside the ssh layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 138), 1, undefined, 1, 970);
  assert.equal(cut.protocols.includes("ssh"), true, 'layer present');
});

test("rlogin: ip-frag.pcap frame 13", () => {
  const hex = "000bdb941470000bdb94148008004510003529094000400651160a76d5d40a76d5d303fc02010d4ecfefea5c27ab801821b4c0bb00000101080ac70394be422cc37e2e";
  const d = decode(hex, 1, undefined, 1, 67);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:tcp:rlogin");
  assert.equal(d.columns.info.trim(), "Data: .");
  assert.equal(cell(d, "rlogin.data").split(',')[0], ".");
  assert.deepEqual(range(d, "rlogin.data"), [66, 1]);
  // Cut inside the rlogin layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 132), 1, undefined, 1, 67);
  assert.equal(cut.protocols.includes("rlogin"), true, 'layer present');
});

test("bgp: BgpPackets.pcap frame 1", () => {
  const hex = "aabbcc02c001aabbcc02c201080045c0006952c94000ff0613fc0a0000060a000004edf500b3538ba231027e85e35018400096620000ffffffffffffffffffffffffffffffff00410104fc0000b40a0000062402060104000100010202800002020200020246000206450400010103020641040000fc00";
  const d = decode(hex, 1, undefined, 1, 119);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:tcp:bgp");
  assert.equal(d.columns.info.trim(), "OPEN Message");
  assert.equal(cell(d, "bgp.type").split(',')[0], "1");
  assert.deepEqual(range(d, "bgp.type"), [72, 1]);
  assert.equal(cell(d, "bgp.length").split(',')[0], "65");
  assert.deepEqual(range(d, "bgp.length"), [70, 2]);
  assert.equal(cell(d, "bgp.open.myas").split(',')[0], "64512");
  assert.deepEqual(range(d, "bgp.open.myas"), [74, 2]);
  assert.equal(cell(d, "bgp.open.holdtime").split(',')[0], "180");
  assert.deepEqual(range(d, "bgp.open.holdtime"), [76, 2]);
  assert.equal(cell(d, "bgp.open.identifier").split(',')[0], "10.0.0.6");
  assert.deepEqual(range(d, "bgp.open.identifier"), [78, 4]);
  // Cut inside the bgp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 114), 1, undefined, 1, 119);
  assert.equal(cut.protocols.includes("bgp"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("telnet: telnet.pcap frame 1", () => {
  const hex = "00a0cc3bbffa0000c09fa09708004510004d3a3000004006bf17c0a80001c0a800020017060e17f1634199c5a10b801843e0cbd000000101080a0025a62c009c2733fffb03fffd18fffd1ffffd20fffd21fffd22fffa22010bfff0";
  const d = decode(hex, 1, undefined, 1, 91);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:tcp:telnet");
  assert.equal(d.columns.info.trim(), "Telnet Data ...");
  assert.equal(cell(d, "telnet.cmd").split(',')[0], "251");
  assert.deepEqual(range(d, "telnet.cmd"), [67, 1]);
  assert.equal(cell(d, "telnet.subcmd").split(',')[0], "3");
  assert.deepEqual(range(d, "telnet.subcmd"), [68, 1]);
  // Cut inside the telnet layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 134), 1, undefined, 1, 91);
  assert.equal(cut.protocols.includes("telnet"), true, 'layer present');
});

test("smtp: Smtp.pcap frame 6", () => {
  const hex = "68a3c4f949f65475d0c90b8186dd60000000004706382607f8b0400c0c03000000000000001a20010470e5bfdead49572174e82c48870019f9c79563979d03a0883150180150e6870000323230206d782e676f6f676c652e636f6d2045534d5450206d313773693130353135393376636b2e32202d2067736d74700d0a";
  const d = decode(hex, 1, undefined, 1, 125);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ipv6:tcp:smtp");
  assert.equal(d.columns.info.trim(), "S: 220 mx.google.com ESMTP m17si1051593vck.2 - gsmtp");
  assert.equal(cell(d, "smtp.response.code").split(',')[0], "220");
  assert.deepEqual(range(d, "smtp.response.code"), [74, 3]);
  // Cut inside the smtp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 154), 1, undefined, 1, 125);
  assert.equal(cut.protocols.includes("smtp"), true, 'layer present');
});

test("ftp: Ftp.pcap frame 3", () => {
  const hex = "0015f24076ef0016ce6e8b24080045000037a7e540008006d057c0a80072c0a800c104710015dfb3b2ffc6c70160501843f20a98000055534552206373616e646572730d0a";
  const d = decode(hex, 1, undefined, 1, 69);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:tcp:ftp");
  assert.equal(d.columns.info.trim(), "Request: USER csanders");
  assert.equal(cell(d, "ftp.request.command").split(',')[0], "USER");
  assert.deepEqual(range(d, "ftp.request.command"), [54, 4]);
  assert.equal(cell(d, "ftp.request.arg").split(',')[0], "csanders");
  assert.deepEqual(range(d, "ftp.request.arg"), [59, 8]);
  // Cut inside the ftp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 114), 1, undefined, 1, 69);
  assert.equal(cut.protocols.includes("ftp"), true, 'layer present');
});

test("mysql: one_tcp_stream_fin_rst_close_packet.pcap frame 6", () => {
  const hex = "000c298c4206005056e9d908080045000076452500008006aab1ac100070c0a8dd820ceaaaf67f8c34e82b9decec5018faf08cec00004a0000000a352e372e33300095070000486a08111245662800fff72d0200ff8115000000000000000000007a227347107f21224a06254b006d7973716c5f6e61746976655f70617373776f726400";
  const d = decode(hex, 1, undefined, 1, 132);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:tcp:mysql");
  assert.equal(d.columns.info.trim(), "Server Greeting  proto=10 version=5.7.30");
  assert.equal(cell(d, "mysql.packet_length").split(',')[0], "74");
  assert.deepEqual(range(d, "mysql.packet_length"), [54, 3]);
  assert.equal(cell(d, "mysql.packet_number").split(',')[0], "0");
  assert.deepEqual(range(d, "mysql.packet_number"), [57, 1]);
  assert.equal(cell(d, "mysql.protocol").split(',')[0], "10");
  assert.deepEqual(range(d, "mysql.protocol"), [58, 1]);
  assert.equal(cell(d, "mysql.version").split(',')[0], "5.7.30");
  assert.deepEqual(range(d, "mysql.version"), [59, 7]);
  // Cut inside the mysql layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 120), 1, undefined, 1, 132);
  assert.equal(cut.protocols.includes("mysql"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("ldap: ldap.pcapng frame 5", () => {
  const hex = "000c2932503f000c29a01b430800450000aaea6840004006c98cc0a80285c0a8028386110185d91123158f18ef878018013fe79900000101080a00dbc875008b457130740201026050020103043b636e3d41646d696e6973747261746f722c636e3d55736572732c64633d636c6f7564736861726b2d612c64633d6578616d706c652c64633d636f6d800e636c6f7564736861726b31323321a01d301b0419312e332e362e312e342e312e34322e322e32372e382e352e31";
  const d = decode(hex, 1, undefined, 1, 184);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:tcp:ldap");
  assert.equal(d.columns.info.trim(), "bindRequest(2) \"cn=Administrator,cn=Users,dc=cloudshark-a,dc=example,dc=com\" simple");
  assert.equal(cell(d, "ldap.messageID").split(',')[0], "2");
  assert.deepEqual(range(d, "ldap.messageID"), [70, 1]);
  assert.equal(cell(d, "ldap.protocolOp").split(',')[0], "0");
  assert.deepEqual(range(d, "ldap.protocolOp"), [71, 82]);
  assert.equal(cell(d, "ldap.version").split(',')[0], "3");
  assert.deepEqual(range(d, "ldap.version"), [75, 1]);
  assert.equal(cell(d, "ldap.name").split(',')[0], "cn=Administrator");
  assert.deepEqual(range(d, "ldap.name"), [78, 59]);
  // Cut inside the ldap layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 152), 1, undefined, 1, 184);
  assert.equal(cut.protocols.includes("ldap"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("pgsql: postgres.pcapng frame 2", () => {
  const hex = "e61e2dd4a70c8c902d2d04240800450001739f3840002d062630c13ec0f3c0a844421538f5f5ffbf41c6fc7d18a8801800399ca000000101080a47aadfdd25590e4e520000000800000000530000001a6170706c69636174696f6e5f6e616d65007073716c005300000019636c69656e745f656e636f64696e670055544638005300000017446174655374796c650049534f2c20444d59005300000019696e74656765725f6461746574696d6573006f6e00530000001b496e74657276616c5374796c6500706f73746772657300530000001569735f737570657275736572006f66660053000000197365727665725f656e636f64696e6700555446380053000000187365727665725f76657273696f6e0031302e3600530000002173657373696f6e5f617574686f72697a6174696f6e007265616465720053000000237374616e646172645f636f6e666f726d696e675f737472696e6773006f6e00530000001054696d655a6f6e65004742004b0000000c000027fc1845c4935a0000000549";
  const d = decode(hex, 1, undefined, 1, 385);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:tcp:pgsql");
  assert.equal(d.columns.info.trim(), "<R/S/S/S/S/S/S/S/S/S/S/S/K/Z");
  assert.equal(cell(d, "pgsql.type").split(',')[0], "Authentication request");
  assert.deepEqual(range(d, "pgsql.type"), [66, 1]);
  assert.equal(cell(d, "pgsql.length").split(',')[0], "8");
  assert.deepEqual(range(d, "pgsql.length"), [67, 4]);
  // Cut inside the pgsql layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 138), 1, undefined, 1, 385);
  assert.equal(cut.protocols.includes("pgsql"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("x11: pcapng-example.pcapng frame 153", () => {
  const hex = "000400010006003048dd0053f67f0800450000445a2a40004006e64082d9fa0d82d9fa889c0e177060abfbd53ea3b514801803f3fa7f00000101080a0402385803fb8903280104004fe9f8018801000000000000";
  const d = decode(hex, 113, undefined, 1, 84);
  assert.equal(d.protocols.join(':'), "sll:ethertype:ip:tcp:x11");
  assert.equal(d.columns.info.trim(), "Requests: TranslateCoordinates");
  assert.equal(cell(d, "x11.opcode").split(',')[0], "40");
  assert.deepEqual(range(d, "x11.opcode"), [68, 1]);
  // Cut inside the x11 layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 140), 113, undefined, 1, 84);
  assert.equal(cut.protocols.includes("x11"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});
