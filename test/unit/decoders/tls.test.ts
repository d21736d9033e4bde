import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, fromHex } from '../../support/decode.ts';
import { isGrease } from '../../../decoders/protocols/tls-names.ts';

// tls_grease.pcap #1: a Chrome Client Hello with GREASE values, SNI and ALPN (TLS at offset 54).
const clientHello =
  'cc40d0c2f2628cec4bca165a08004500022d7db9400080060000c0a8001168fe9544cf0a01bb0efe37f9979355a75018faf0c11b00001603010200010001fc03036edb9b6bb8c4a8e6bb2c83e0ee7482' +
  '08d63587ad9f30e9671c02a256eb611fbd20c792d73bb81e82d01497121d1a57964ac2d47be2bff767bf02eac0c0a12f9e4600207a7a130113021303c02bc02fc02cc030cca9cca8c013c014009c009d' +
  '002f0035010001935a5a00000000001500130000107365637572652e61646e78732e636f6d00170000ff01000100000a000a00082a2a001d00170018000b00020100002300c063c4fdf57651cc91bc4d' +
  '3ff1461381a3b5cb7cb04e6160d00d0db41cef5308860d4614ccde3969586c713781ab3948c1b4a69e75587d8de91f594167e51ee2bf199269a677d11f2cb010bdd6a8a65899aa03e9860b3331fde68e' +
  '5bfa1c5f769610bff947b5bcb2abf827c3608ba572c4452804a01a82d8a0fd6f82db944189699116718101e43a8d0baf6d70b804b5de8707488af985ef0dfaf07c59617f4bbb44e191d75cc7939a43b8' +
  '00e84e0a5136025cae537c4355a93ac12ac676a3f09b0010000e000c02683208687474702f312e31000500050100000000000d0012001004030804040105030805050108060601001200000033002b00' +
  '292a2a000100001d0020227b47a4ee2c3c8715b43ce55e45c8608f8840a7690c73d052ffe9ce347cfc6b002d00020101002b000b0afafa0304030303020301001b0003020002fafa0001000015000c00' +
  '0000000000000000000000';
// SSL-AlertClear.pcap #1: a plaintext fatal alert.
const alert =
  '6cf049b2de6e30469a23fbfa08004500002f92f1000035063a74d83ad6250a00000401bbde5f7c94c731dfdad98b50180150bac4000015030100020246';
// tls1_3.pcap #2: a TLS 1.3 (draft 28) Server Hello, Change Cipher Spec and encrypted records.
const tls13 =
  'b827eb459991000c29ee6c6508004500046597c54000400643b6ac100182ac10017501bb8568ec60a9af7f2ad814801800eb57de00000101080a10143e6e1014522c160303007a0200007603033964db' +
  'ec5022bfbd0783a15f8fd02518c8cf05be901c389b8a284639e37cdb66206f9d07f1953e99d8f36d97ee190b061bf4840bb68fccdee2d02d6b0c1f525313130200002e002b00027f1c00330024001d00' +
  '20eed211979ac7941fddde111cd4f5b981ecd069bbf9e3eff2b42d01cb6b9e571414030300010117030300177e8fac57dfb9a7d3d93b1a9edf0351bb51a5af35b5c03417030302a3555c087309cdaeba' +
  'fa5d0040f9a1d107a1218de8af825eb8aa2a41e202b8cd38e60a84ba6cd07030b3bc917c18dfe022e0235f2af9faed8f210a1b8b2fee351f793450403e996f0d43fc0386e445590cb5e39b368f3a67ad' +
  '7ecbdc95e92fea486f1823eb87f797e98935d5622de1a1f1e70978ea33c4b2ff98842481299ffb8dc382df2096d26995052795d4f4c6f790e3e748613f093525c0634a1509db9ccde354047063c1a612' +
  'b706c8055d41d2e605ae4b79ef47daade3a28f1e47ed67dc07c0f6e1ac24836ad9fe106c2076fd7335b3c6bdd67a6f6de72ab7201bf863a9637da1933021e7744261259f8b09bab552307e262067547e' +
  '88149469485cf053c67a4bc4e975d46c89b6d3643f5a4ea4b1944b602b60796deb2bdb7f48d17e1d1232018cc5299bc333074fdc0be516cd9b20d11348d30ee963ef94a61bd2b567fc439073a24ef6ef' +
  '894b5bafce22fd96c13dc5f95c07c70973819563e30bb639688dd40223ae2ed79b58b5a66087ff1239b035321611d70f042b2ccad9276800f2594b288f08b915953a181c121d55e03a2869ede91127cb' +
  '17f7f72d42a06d16e9e0b9d2958252fbddf5d9a4c8766cbbac8edcb0ca8d075fb58a9322e06d97bc67ce2ae4d3ae07a6626f2933025f82001489b332dbf993b188ec8e912d0fed040ddcbd636ea9392a' +
  'c18f1267215dc4672b0d1e246f44e074287f4c22bcbeb3da861e73fdc0c5dbfff4500ed0344345ad62d28e97dcb9d3e95727b6374f673a8a178ce7e665ec843f27749ebed5e5f9de4749a84b17bc02db' +
  'c009c3a123442fb8189358ded6847ee3bfba098d542ab706e5f015326e8e1dc6fa6d96caf284e8ad2159f55a24f666b4cd5f793cab317b1b242761f73426e860e5abceb652658ae139445610c1c6aca0' +
  '72a846218c66d9fddfdf9e6b6611c2374d50e149fdbb6363a772941703030099afa4395095d17ccfeba4b9db71977fec470cfc65206c8bde5d6ff00a216b8ab186d2aef0d64999bd86492d12b8e4f013' +
  '3b554a30d488198cfeb54d039e5a8981aab5f828dceb628fb16f9b11afb4187ba21a59743d8355d497fa7ec170b254d03a621735f2613a5fa7d9cb38999fba79c823bc28698e12974d5f1e10d03a8a64' +
  'c80cf00ec437d4c6a4f6db7843ff8032d9056eee23d9040e3d1703030045a55771bb7e0efbca66133fd4fe21a16295f6c1efff7554b704a76693c74668c154ae8fad6c6236f61f8758c9745a4629d25c' +
  'c750c01f7d3dddb150d14e9ee1069a96de4536';

test('TLS Client Hello: record, handshake, cipher suites, extensions, SNI and ALPN', () => {
  const d = decode(clientHello);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ip:tcp:tls');
  assert.equal(cell(d, 'tls.record.content_type'), '22');
  assert.equal(cell(d, 'tls.record.version'), '0x0301');
  assert.equal(cell(d, 'tls.record.length'), '512');
  assert.equal(cell(d, 'tls.handshake.type'), '1');
  assert.equal(cell(d, 'tls.handshake.version'), '0x0303');
  assert.equal(cell(d, 'tls.handshake.session_id_length'), '32');
  assert.equal(cell(d, 'tls.handshake.ciphersuite'), '0x7a7a,0x1301,0x1302,0x1303,0xc02b,0xc02f,0xc02c,0xc030,0xcca9,0xcca8,0xc013,0xc014,0x009c,0x009d,0x002f,0x0035');
  assert.equal(cell(d, 'tls.handshake.extension.type'), '23130,0,23,65281,10,11,35,16,5,13,18,51,45,43,27,64250,21');
  assert.equal(cell(d, 'tls.handshake.extensions_server_name'), 'secure.adnxs.com');
  assert.equal(cell(d, 'tls.handshake.extensions_alpn_str'), 'h2,http/1.1');
  assert.deepEqual(range(d, 'tls.record.content_type'), [54, 1]);
  assert.deepEqual(range(d, 'tls.handshake.type'), [59, 1]);
  assert.deepEqual(range(d, 'tls.handshake.random'), [65, 32]);
  assert.equal(d.columns.protocol, 'TLSv1');
  assert.equal(d.columns.info, 'Client Hello');
});

test('TLS plaintext alert: level and description in the tree and Info', () => {
  const d = decode(alert);
  assert.equal(cell(d, 'tls.alert_message.level'), '2');
  assert.equal(cell(d, 'tls.alert_message.desc'), '70');
  assert.equal(d.columns.protocol, 'TLSv1');
  assert.equal(d.columns.info, 'Alert (Level: Fatal, Description: Protocol Version)');
});

test('TLS 1.3: supported_versions in the Server Hello sets the session version for the column', () => {
  const d = decode(tls13);
  assert.equal(cell(d, 'tls.handshake.type'), '2');
  assert.equal(cell(d, 'tls.handshake.extensions.supported_version'), '0x7f1c');
  assert.equal(cell(d, 'tls.handshake.ciphersuite'), '0x1302');
  assert.equal(d.columns.protocol, 'TLSv1.3');
  assert.equal(d.columns.info, 'Server Hello, Change Cipher Spec, Application Data, Application Data, Application Data, Application Data');
});

test('TLS: a Client Hello cut by the snaplen is marked short, the record header kept', () => {
  const full = fromHex(clientHello);
  const d = decode(full.subarray(0, 120), 1, undefined, 1, full.length);
  assert.equal(cell(d, 'tls.record.length'), '512');
  assert.equal(cell(d, 'tls.handshake.type'), '1');
  assert.ok(d.columns.info.endsWith('[Packet size limited during capture]'));
});

test('TLS: GREASE values are recognised', () => {
  assert.ok(isGrease(0x7a7a) && isGrease(0x0a0a) && isGrease(0xfafa));
  assert.ok(!isGrease(0x1301) && !isGrease(0x7a7b));
});
