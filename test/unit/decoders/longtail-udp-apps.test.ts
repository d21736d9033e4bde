import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes } from '../../support/decode.ts';

// NTP, RADIUS/EAP, WireGuard, WOL, LISP, DoIP, NBNS, RIP, BJNP, DB-LSP-DISC, GTP, GTPv2, SIP/SDP: real frames from the corpus; expected values, byte ranges, frame.protocols and Info
// are tshark 4.0's for the same frames.

test("ntp: Ntp.pcap frame 1", () => {
  const hex = "448a5bd8730400268875ff1b08004500004cad7f40003711685a55163e784e2e4c0b007b007b0038a99f230207eb00000450000003ab83bc03dfd94f51c33165b860d944575530336fd0d944575531b4e978d94f51f42d26e2f4";
  const d = decode(hex, 1, undefined, 1, 90);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:udp:ntp");
  assert.equal(d.columns.info.trim(), "NTP Version 4, client");
  assert.equal(cell(d, "ntp.flags.vn").split(',')[0], "4");
  assert.deepEqual(range(d, "ntp.flags.vn"), [42, 1]);
  assert.equal(cell(d, "ntp.flags.mode").split(',')[0], "3");
  assert.deepEqual(range(d, "ntp.flags.mode"), [42, 1]);
  assert.equal(cell(d, "ntp.stratum").split(',')[0], "2");
  assert.deepEqual(range(d, "ntp.stratum"), [43, 1]);
  assert.equal(cell(d, "ntp.ppoll").split(',')[0], "7");
  assert.deepEqual(range(d, "ntp.ppoll"), [44, 1]);
  assert.equal(cell(d, "ntp.rootdelay").split(',')[0], "1104");
  assert.deepEqual(range(d, "ntp.rootdelay"), [46, 4]);
  // Cut inside the ntp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 90), 1, undefined, 1, 90);
  assert.equal(cut.protocols.includes("ntp"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("radius: radius_1_2_11.pcap frame 1", () => {
  const hex = "001d60b30184001906eab8c00800450000a700460000ff11a69b0a0000010a000064066d071400933dca0105008becfe3d2fe4473ec6299095ee46aedf7704060a00000105060000c35c3d060000000f010e4a6f686e2e4d63477569726b1e1330302d31392d30362d45412d42382d38431f1330302d31342d32322d45392d35342d35450606000000020c06000005dc4f1302000011014a6f686e2e4d63477569726b501228c5beb8842486da70db51316f9d7889";
  const d = decode(hex, 1, undefined, 1, 181);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:udp:radius:eap");
  assert.equal(d.columns.info.trim(), "Access-Request id=5");
  assert.equal(cell(d, "radius.code").split(',')[0], "1");
  assert.deepEqual(range(d, "radius.code"), [42, 1]);
  assert.equal(cell(d, "radius.id").split(',')[0], "5");
  assert.deepEqual(range(d, "radius.id"), [43, 1]);
  assert.equal(cell(d, "radius.length").split(',')[0], "139");
  assert.deepEqual(range(d, "radius.length"), [44, 2]);
  assert.equal(cell(d, "eap.code").split(',')[0], "2");
  assert.equal(cell(d, "eap.type").split(',')[0], "1");
  // Cut inside the radius layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 104), 1, undefined, 1, 181);
  assert.equal(cut.protocols.includes("radius"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("wg: WireGuard.pcap frame 1", () => {
  const hex = "a2e63494b5833a36e5bf5af80800458800b0024b0000401163560a0900010a090002a9c6ca6c009c14c201000000d837d0305fcec7c8e5c8e2e3f7989eef60c228d82329d602b6b1e2bb9d068f89cf9d4d4532780f6d27264f7b98701fdc27a4ec00aeb6becdbef2332f1b4084cadb93823935c012ae255e7b25eff13940c321fa6bd66a2a87b061db1430173e937f569349de2856dc5f2616763eeeafc0533b01dd965e7ec76976e28f683d671200000000000000000000000000000000";
  const d = decode(hex, 1, undefined, 1, 190);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:udp:wg");
  assert.equal(d.columns.info.trim(), "Handshake Initiation, sender=0x30D037D8");
  assert.equal(cell(d, "wg.type").split(',')[0], "1");
  assert.deepEqual(range(d, "wg.type"), [42, 1]);
  assert.equal(cell(d, "wg.sender").split(',')[0], "0x30d037d8");
  assert.deepEqual(range(d, "wg.sender"), [46, 4]);
  // Cut inside the wg layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 90), 1, undefined, 1, 190);
  assert.equal(cut.protocols.includes("wg"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("wg: WireGuard.pcap frame 3", () => {
  const hex = "a2e63494b5833a36e5bf5af808004500009c024c0000401163f10a0900010a090002a9c6ca6c008814ae0400000006f47dab0000000000000000a4ebc12ee3f990da18033a0789c04e2700f6f5c271d42ac4b4d6262e666549b445a7436e829bffb6ac65f05648bc0c391fe7c5884874376127164940188f03dba67af8388eaab76c593628bf9dc7be03346d912e916dad862545454701364f2d2486d7ced4c8642ce547ddb26ef6a46b";
  const d = decode(hex, 1, undefined, 1, 170);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:udp:wg");
  assert.equal(d.columns.info.trim(), "Transport Data, receiver=0xAB7DF406, counter=0, datalen=96");
  assert.equal(cell(d, "wg.type").split(',')[0], "4");
  assert.deepEqual(range(d, "wg.type"), [42, 1]);
  assert.equal(cell(d, "wg.receiver").split(',')[0], "0xab7df406");
  assert.deepEqual(range(d, "wg.receiver"), [46, 4]);
  assert.equal(cell(d, "wg.counter").split(',')[0], "0");
  assert.deepEqual(range(d, "wg.counter"), [50, 8]);
  // Cut inside the wg layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 90), 1, undefined, 1, 170);
  assert.equal(cut.protocols.includes("wg"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("wol: WoL.pcap frame 1", () => {
  const hex = "ffffffffffff00902785cf010842ffffffffffff000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35000d56dc9e35c0a80101";
  const d = decode(hex, 1, undefined, 1, 120);
  assert.equal(d.protocols.join(':'), "eth:ethertype:wol");
  assert.equal(d.columns.info.trim(), "MagicPacket for 00:0d:56:dc:9e:35, password 192.168.1.1");
  assert.equal(cell(d, "wol.mac").split(',')[0], "00:0d:56:dc:9e:35");
  assert.deepEqual(range(d, "wol.mac"), [20, 6]);
  // Cut inside the wol layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 34), 1, undefined, 1, 120);
  assert.equal(cut.protocols.includes("wol"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("lisp: ipv6.pcapng frame 3", () => {
  const hex = "30b5c2eb4cb0080027aff83f86dd60000000005c11ff2607f2c0f00fb00100000000faceb00c200140b075000205000000009353832110f610f6005c680115000001fffeff572ea5de2f000199101f5000022607f2c0f00fb00100000000faceb00c001c000199101f5000000005011c10000000000199101f500164ff00000500022607f2c0f00fb00100000000faceb00c";
  const d = decode(hex, 1, undefined, 1, 146);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ipv6:udp:lisp");
  assert.equal(d.columns.info.trim(), "Map-Request (SMR) for 153.16.31.80/28");
  assert.equal(cell(d, "lisp.records").split(',')[0], "1");
  assert.deepEqual(range(d, "lisp.records"), [65, 1]);
  assert.equal(cell(d, "lisp.mreq.srceid.ipv4").split(',')[0], "153.16.31.80");
  assert.deepEqual(range(d, "lisp.mreq.srceid.ipv4"), [76, 4]);
  assert.equal(cell(d, "lisp.mreq.record.prefix.length").split(',')[0], "28");
  assert.deepEqual(range(d, "lisp.mreq.record.prefix.length"), [99, 1]);
  assert.equal(cell(d, "lisp.mreq.record.prefix.ipv4").split(',')[0], "153.16.31.80");
  assert.deepEqual(range(d, "lisp.mreq.record.prefix.ipv4"), [102, 4]);
  // Cut inside the lisp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 130), 1, undefined, 1, 146);
  assert.equal(cut.protocols.includes("lisp"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("lisp-data: ipv6.pcapng frame 34", () => {
  const hex = "30b5c2eb4cb0080027aff83f86dd60000000004c11402607f2c0f00fb00100000000faceb00c200104f80003000d000000000000006010f510f5004c544e00000000000000004500003c9605000040017bc699101f51175b993900005468000100f36162636465666768696a6b6c6d6e6f7071727374757677616263646566676869";
  const d = decode(hex, 1, undefined, 1, 130);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ipv6:udp:lisp-data:ip:icmp:data");
  assert.equal(d.columns.info.trim(), "Echo (ping) reply    id=0x0001, seq=243/62208, ttl=64");
  assert.equal(cell(d, "lisp-data.flags").split(',')[0], "0x00");
  assert.deepEqual(range(d, "lisp-data.flags"), [62, 1]);
  // Cut inside the lisp-data layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 128), 1, undefined, 1, 130);
  assert.equal(cut.protocols.includes("lisp-data"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("doip: doipPackets.pcapng frame 3", () => {
  const hex = "001a37bfee7454e1ad6bac150800450000240001000040113aeea9fe75efa9fe75eeff1434580010898202fd000700000000";
  const d = decode(hex, 1, undefined, 1, 50);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:udp:doip");
  assert.equal(d.columns.info.trim(), "Alive check request");
  assert.equal(cell(d, "doip.version").split(',')[0], "0x02");
  assert.deepEqual(range(d, "doip.version"), [42, 1]);
  assert.equal(cell(d, "doip.inverse").split(',')[0], "0xfd");
  assert.deepEqual(range(d, "doip.inverse"), [43, 1]);
  assert.equal(cell(d, "doip.type").split(',')[0], "0x0007");
  assert.deepEqual(range(d, "doip.type"), [44, 2]);
  assert.equal(cell(d, "doip.length").split(',')[0], "0");
  assert.deepEqual(range(d, "doip.length"), [46, 4]);
  // Cut inside the doip layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 94), 1, undefined, 1, 50);
  assert.equal(cut.protocols.includes("doip"), true, 'layer present');
});

test("nbns: IgmpPackets.pcap frame 36", () => {
  const hex = "ffffffffffff00123f97920108004500004e137800008011d3e7a9feff42a9feffff00890089003a538b8096011000010000000000002046484641454245454341434143414341434143414341434143414341434141410000200001";
  const d = decode(hex, 1, undefined, 1, 92);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:udp:nbns");
  assert.equal(d.columns.info.trim(), "Name query NB WPAD<00>");
  assert.equal(cell(d, "nbns.id").split(',')[0], "0x8096");
  assert.deepEqual(range(d, "nbns.id"), [42, 2]);
  assert.equal(cell(d, "nbns.count.queries").split(',')[0], "1");
  assert.deepEqual(range(d, "nbns.count.queries"), [46, 2]);
  assert.equal(cell(d, "nbns.name").split(',')[0], "WPAD<00>");
  assert.deepEqual(range(d, "nbns.name"), [54, 34]);
  assert.equal(cell(d, "nbns.type").split(',')[0], "32");
  assert.deepEqual(range(d, "nbns.type"), [88, 2]);
  // Cut inside the nbns layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 90), 1, undefined, 1, 92);
  assert.equal(cut.protocols.includes("nbns"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("rip: sll.pcap frame 1", () => {
  const hex = "00010001000630469a23fbfa000008004500005c00004000401125090a00008a0a0000ff0208020800486fdf02010000000200005266803c000000000000000000000001000200000000000000000000000000000000000100020000574449f5000000000000000000000001";
  const d = decode(hex, 113, undefined, 1, 108);
  assert.equal(d.protocols.join(':'), "sll:ethertype:ip:udp:rip");
  assert.equal(d.columns.info.trim(), "Response");
  assert.equal(cell(d, "rip.command").split(',')[0], "2");
  assert.deepEqual(range(d, "rip.command"), [44, 1]);
  assert.equal(cell(d, "rip.version").split(',')[0], "1");
  assert.deepEqual(range(d, "rip.version"), [45, 1]);
  assert.equal(cell(d, "rip.ip").split(',')[0], "82.102.128.60");
  assert.deepEqual(range(d, "rip.ip"), [52, 4]);
  assert.equal(cell(d, "rip.metric").split(',')[0], "1");
  assert.deepEqual(range(d, "rip.metric"), [64, 4]);
  // Cut inside the rip layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 108), 113, undefined, 1, 108);
  assert.equal(cut.protocols.includes("rip"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("bjnp: NullLoopback.pcap frame 2", () => {
  const hex = "020000004500002cc169000040115dc3ac100175ac1001ffd84921a4001817ae424a4e42020100000000000000000000";
  const d = decode(hex, 0, undefined, 1, 48);
  assert.equal(d.protocols.join(':'), "null:ip:udp:bjnp");
  assert.equal(d.columns.info.trim(), "Scanner Command: Discover");
  assert.equal(cell(d, "bjnp.id").split(',')[0], "BJNB");
  assert.deepEqual(range(d, "bjnp.id"), [32, 4]);
  assert.equal(cell(d, "bjnp.type").split(',')[0], "2");
  assert.deepEqual(range(d, "bjnp.type"), [36, 1]);
  assert.equal(cell(d, "bjnp.code").split(',')[0], "1");
  assert.deepEqual(range(d, "bjnp.code"), [37, 1]);
  assert.equal(cell(d, "bjnp.payload_len").split(',')[0], "0");
  assert.deepEqual(range(d, "bjnp.payload_len"), [44, 4]);
  // Cut inside the bjnp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 80), 0, undefined, 1, 48);
  assert.equal(cut.protocols.includes("bjnp"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("gtp: gtp-u.pcap frame 1", () => {
  const hex = "000c29dad1de000c29e3c64d08004500007c00004000401167bbc0a828b3c0a828b2086808680068bf6432ff00580000000128db0000450000540000400040015ea5ca0b289ec0a828b20800bee70000287b0411204bf43d0d0008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
  const d = decode(hex, 1, undefined, 1, 138);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:udp:gtp:ip:icmp:data");
  assert.equal(d.columns.info.trim(), "Echo (ping) request  id=0x0000, seq=10363/31528, ttl=64");
  assert.equal(cell(d, "gtp.message").split(',')[0], "0xff");
  assert.deepEqual(range(d, "gtp.message"), [43, 1]);
  assert.equal(cell(d, "gtp.length").split(',')[0], "88");
  assert.deepEqual(range(d, "gtp.length"), [44, 2]);
  assert.equal(cell(d, "gtp.teid").split(',')[0], "0x00000001");
  assert.deepEqual(range(d, "gtp.teid"), [46, 4]);
  assert.equal(cell(d, "gtp.seq_number").split(',')[0], "0x28db");
  assert.deepEqual(range(d, "gtp.seq_number"), [50, 2]);
  // Cut inside the gtp layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 90), 1, undefined, 1, 138);
  assert.equal(cut.protocols.includes("gtp"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("gtpv2: gtpv2.pcap frame 1", () => {
  const hex = "40b4f0d8d93c288a1ccb07d908004568008bccbe00003d117afb6f47ec31ddb1fc15084b084b007700004822006bd37d15901a4a430056000d001864f6292e1864f62901ce66215300030064f62952000100065700090086a43ed0306f47ec314800080000000800000008004b00080053028970726123607200020023005d00120049000100055700090184a430f3e26f47ec430300010012";
  const d = decode(hex, 1, undefined, 1, 153);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:udp:gtp:gtpv2");
  assert.equal(d.columns.info.trim(), "Modify Bearer Request");
  assert.equal(cell(d, "gtpv2.message_type").split(',')[0], "34");
  assert.deepEqual(range(d, "gtpv2.message_type"), [43, 1]);
  assert.equal(cell(d, "gtpv2.msg_length").split(',')[0], "107");
  assert.deepEqual(range(d, "gtpv2.msg_length"), [44, 2]);
  assert.equal(cell(d, "gtpv2.teid").split(',')[0], "0xd37d1590");
  assert.deepEqual(range(d, "gtpv2.teid"), [46, 4]);
  assert.equal(cell(d, "gtpv2.seq").split(',')[0], "0x1a4a43");
  assert.deepEqual(range(d, "gtpv2.seq"), [50, 3]);
  // Cut inside the gtpv2 layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 90), 1, undefined, 1, 153);
  assert.equal(cut.protocols.includes("gtpv2"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("gquic: many_interfaces-1.pcapng frame 51", () => {
  const hex = "94103e0536d3a45e60f17d93080045000562e15100004011a2a5c0a8018b4a7de4e3fa9001bb054e1e570d484a3d55c439cd1351303235010bf537e576ae5f9e40356f3301a001000443484c4f17000000504144009b010000534e4900ae01000053544b00e801000056455200ec01000043435300f40100004e4f4e43140200004d53504318020000414541441c02000055414944300200005343494440020000544349444402000050444d4448020000535242464c0200004943534c50020000505542537002000053434c53740200004b45585378020000434f505478020000434352549002000049525454940200004345545638030000434643573c03000053464357400300002d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d636c69656e7473362e676f6f676c652e636f6db467a0cc3320c3fa4ceebf583c89321859febe848d14b95bbce5f7846faf279c7dd24c152e6e6fde213fd5367213add4b541efc290ae6e717b8e513032357b26e9e7e45c71ff55d0e60022c69ece8090aa17e92ec7e61aed227d571218fce472aa7e58686c4964000000414553474368726f6d652f34342e302e323430332e3133305921eec7c094cef7b78a9752eec66f080000000058353039000010001e000000e8190c972c4a29cd94b6ec3cffc2069dda7f7ecb60b2addaf483505a1740512601000000433235352be181198049bfa81247fd4d4291e508400b7b90a9ae79eb1fe100002ade083672a9acff58321a4ad6e88474b18d4fade7abe42c8b637610e0a5c8b845df2564e3100809642b5e17906ad91418f99b88fb8310a2f88adbda8e6e2c9070a7809ce715013e72d6fb89ae3334dfe517791b0c0af294ae97fbbef315923595d8eb0b29d63dfa6a8af3df8daf80a2e606a52774e5b8f512693c6d3cf16300b0f8466a894ad9d49ca33d5aaf542f5c7074a622f2f753cccd9bf22af43ba6261741f3ba0000a0000000a00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
  const d = decode(hex, 1, undefined, 1, 1392);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:udp:gquic");
  assert.equal(d.columns.info.trim(), "Client Hello, PKN: 1, CID: 1426860172352768584");
  assert.equal(cell(d, "gquic.puflags").split(',')[0], "0x0d");
  assert.deepEqual(range(d, "gquic.puflags"), [42, 1]);
  assert.equal(cell(d, "gquic.cid").split(',')[0], "1426860172352768584");
  assert.deepEqual(range(d, "gquic.cid"), [43, 8]);
  assert.equal(cell(d, "gquic.version").split(',')[0], "Q025");
  assert.deepEqual(range(d, "gquic.version"), [51, 4]);
  assert.equal(cell(d, "gquic.packet_number").split(',')[0], "1");
  assert.deepEqual(range(d, "gquic.packet_number"), [55, 1]);
  assert.equal(cell(d, "gquic.tag").split(',')[0], "CHLO");
  assert.deepEqual(range(d, "gquic.tag"), [73, 4]);
  // Cut inside the gquic layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 124), 1, undefined, 1, 1392);
  assert.equal(cut.protocols.includes("gquic"), true, 'layer present');
  assert.equal(cut.malformed || nodes(cut, '_ws.short').length > 0, true, 'cut marked');
});

test("sip: sip_reqs.pcap frame 1", () => {
  const hex = "00000060dd190003ba94633e0800450002d6e00d4000ff11f906c83907c3c83907cc13c413c502c266d7494e56495445207369703a6672616e636973636f4062657374656c2e636f6d3a3535303630205349502f322e300d0a5669613a205349502f322e302f554450203230302e35372e372e3139353b6272616e63683d7a39684734624b66663962343666623035356330353231636332343032346461393663643239300d0a5669613a205349502f322e302f554450203230302e35372e372e3139353a35353036313b6272616e63683d7a39684734624b32393164393065333161343762323235626430646466663433353365396363300d0a46726f6d3a203c7369703a3230302e35372e372e3139353a35353036313b757365723d70686f6e653e3b7461673d475235325257473334362d33340d0a546f3a20226672616e636973636f4062657374656c2e636f6d22203c7369703a6672616e636973636f4062657374656c2e636f6d3a35353036303e0d0a43616c6c2d49443a203132303133323233403230302e35372e372e3139350d0a435365713a203120494e564954450d0a436f6e746163743a203c7369703a3230302e35372e372e3139353a353036303e0d0a436f6e74656e742d547970653a206170706c69636174696f6e2f7364700d0a436f6e74656e742d4c656e6774683a2020203232390d0a0d0a763d300d0a6f3d436c6172656e74203132303338362031323033383720494e20495034203230302e35372e372e3139360d0a733d436c6172656e74204335434d0d0a633d494e20495034203230302e35372e372e3139360d0a743d3020300d0a6d3d617564696f203430333736205254502f4156502038203138203420300d0a613d7274706d61703a382050434d412f383030300d0a613d7274706d61703a313820473732392f383030300d0a613d7274706d61703a3420473732332f383030300d0a613d7274706d61703a302050434d552f383030300d0a613d53656e64526563760d0a";
  const d = decode(hex, 1, undefined, 1, 740);
  assert.equal(d.protocols.join(':'), "eth:ethertype:ip:udp:sip:sdp");
  assert.equal(d.columns.info.trim(), "Request: INVITE sip:francisco@bestel.com:55060 |");
  assert.equal(cell(d, "sip.Method").split(',')[0], "INVITE");
  assert.deepEqual(range(d, "sip.Method"), [42, 6]);
  assert.equal(cell(d, "sip.r-uri").split(',')[0], "sip:francisco@bestel.com:55060");
  assert.deepEqual(range(d, "sip.r-uri"), [49, 30]);
  assert.equal(cell(d, "sip.CSeq.method").split(',')[0], "INVITE");
  assert.deepEqual(range(d, "sip.CSeq.method"), [413, 6]);
  assert.equal(cell(d, "sip.Content-Length").split(',')[0], "229");
  assert.deepEqual(range(d, "sip.Content-Length"), [486, 23]);
  assert.equal(cell(d, "sdp.version").split(',')[0], "0");
  assert.deepEqual(range(d, "sdp.version"), [511, 3]);
  // Cut inside the sip layer: what was read stays, the cut is marked, nothing throws.
  const cut = decode(hex.slice(0, 108), 1, undefined, 1, 740);
  assert.equal(cut.protocols.includes("sip"), true, 'layer present');
});
