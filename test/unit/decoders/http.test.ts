import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range, nodes } from '../../support/decode.ts';
import { Session } from '../../../decoders/index.ts';
import { inflate } from '../../../decoders/protocols/http-inflate.ts';

// TwoHttpRequests.pcap #1: a GET in one segment (HTTP at offset 54).
const request =
  '30469a23fbfa6cf049b2de6e08004500018c758d40008006dad90a000001d4c7ca3cebda0050205a2eac1c57aab9501840d8d1190000474554202f686f6d652f302c373334302c4c2d382c30302e6874' +
  '6d6c20485454502f312e310d0a486f73743a207777772e796e65742e636f2e696c0d0a436f6e6e656374696f6e3a206b6565702d616c6976650d0a4163636570743a20746578742f68746d6c2c617070' +
  '6c69636174696f6e2f7868746d6c2b786d6c2c6170706c69636174696f6e2f786d6c3b713d302e392c696d6167652f776562702c2a2f2a3b713d302e380d0a557365722d4167656e743a204d6f7a696c' +
  '6c612f352e30202857696e646f7773204e5420362e3129204170706c655765624b69742f3533372e333620284b48544d4c2c206c696b65204765636b6f29204368726f6d652f33382e302e323132352e' +
  '313034205361666172692f3533372e33360d0a4163636570742d456e636f64696e673a20677a69702c6465666c6174652c736463680d0a4163636570742d4c616e67756167653a20656e2d55532c656e' +
  '3b713d302e380d0a0d0a';
// 650HttpResponses.pcap #9: a response whose 43-byte GIF body fits the segment.
const gif =
  '6cf049b2de6e30469a23fbfa080045000190c94c40003606abfd4d4876d50a0000010050ee93eb7187a75c57f6ed50193db3dbdf0000485454502f312e3120323030204f4b0d0a5365727665723a206e' +
  '67696e780d0a446174653a2053756e2c203139204f637420323031342031393a31363a353520474d540d0a436f6e74656e742d547970653a20696d6167652f6769660d0a436f6e6e656374696f6e3a20' +
  '636c6f73650d0a457870697265733a205361742c203031204a616e20323030302030303a30303a303020474d540d0a507261676d613a206e6f2d63616368650d0a43616368652d436f6e74726f6c3a20' +
  '6e6f2d63616368650d0a5033503a20706f6c6963797265663d22687474703a2f2f7777772e6e6564737461742e636f6d2f7733632f7033702e786d6c222c2043503d224e4f492044535020434f52204e' +
  '4944205053412041444d204f555220494e44204e415620434f4d220d0a436f6e74656e742d4c656e6774683a2034330d0a0d0a47494638396101000100800000ffffff00000021f90401000000002c00' +
  '000000010001000002024401003b';
// http-packets.pcap #2 and #3: a chunked JSON response over two segments (port 31600, found by the heuristic).
const chunkedHead =
  '10e7c6ed6893002389e2fd3c0800450002d9c4f740003e062bf4ac10d254ac101ebe7b7022a421bffdc38a4df5e6501801f5813e0000485454502f312e3120323030200d0a582d4170706c6963617469' +
  '6f6e2d436f6e746578743a2066726f6e742d676174657761793a383030310d0a5033503a2043503d43414f20505341204f55520d0a43616368652d436f6e74726f6c3a206e6f2d73746f72652c206e6f' +
  '2d63616368652c206d7573742d726576616c69646174650d0a43616368652d436f6e74726f6c3a20706f73742d636865636b3d302c207072652d636865636b3d300d0a507261676d613a206e6f2d6361' +
  '6368650d0a457870697265733a205361742c2036204d617920313939352031323a30303a303020474d540d0a446174653a205475652c203132204e6f7620323031392030383a33373a303120474d540d' +
  '0a436f6e74656e742d547970653a206170706c69636174696f6e2f6a736f6e3b636861727365743d5554462d380d0a5472616e736665722d456e636f64696e673a206368756e6b65640d0a0d0a313533' +
  '0d0a7b227375636365737366756c223a747275652c22636f6465223a6e756c6c2c226d657373616765223a6e756c6c2c22726573756c7456616c7565223a7b22616c61726d536f756e64436f6e666967' +
  '223a227b5c2266726f6e74656e64456e61626c65645c223a5c226f6e5c222c5c22706c617954696d656f75745c223a5c2236305c222c5c22706c61794e756d735c223a5c22355c222c5c226c6f77456e' +
  '61626c65645c223a5c226f66665c222c5c226c6f77536f756e644e616d655c223a5c226e6f5f736f756e645c222c5c226d656469756d456e61626c65645c223a5c226f6e5c222c5c226d656469756d53' +
  '6f756e644e616d655c223a5c22616c61726d5f617665726167655c222c5c2268696768456e61626c65645c223a5c226f6e5c222c5c2268696768536f756e644e616d655c223a5c22616c61726d5f6869' +
  '67685c227d222c226d73674c697374223a5b5d7d7d0d0a';
// 
const chunkedTail =
  '10e7c6ed6893002389e2fd3c08004500002dc4f840003e062e9fac10d254ac101ebe7b7022a421c000748a4df5e6501801f5e0070000300d0a0d0a00';
// SllPacket.pcap #1: an HTTP response captured with a 128-byte snaplen (1296 on the wire).
const sllCut =
  '0000000100060012441e7400f67f86dd6000000004d80637240468008004000000000000000000682404013840024000023048fffedd00530050c44356eb0a402d0b40348010020fd84900000101080a' +
  '27a9b47904023826485454502f312e3120323030204f4b0d0a446174653a205468752c203130204d6172203230313120';

test('HTTP request line and headers: fields, ranges, Info as tshark', () => {
  const d = decode(request);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ip:tcp:http');
  assert.equal(cell(d, 'http.request.method'), 'GET');
  assert.equal(cell(d, 'http.request.uri'), '/home/0,7340,L-8,00.html');
  assert.equal(cell(d, 'http.request.version'), 'HTTP/1.1');
  assert.equal(cell(d, 'http.host'), 'www.ynet.co.il');
  assert.equal(cell(d, 'http.connection'), 'keep-alive');
  assert.equal(cell(d, 'http.accept_language'), 'en-US,en;q=0.8');
  assert.equal(cell(d, 'http.request.full_uri'), 'http://www.ynet.co.il/home/0,7340,L-8,00.html');
  assert.equal(cell(d, 'http.request'), '1');
  assert.ok(cell(d, 'http.user_agent').startsWith('Mozilla/5.0 (Windows NT 6.1)'));
  assert.equal(nodes(d, 'http.request.line')[0]!.value, 'Host: www.ynet.co.il\\r\\n');
  assert.deepEqual(range(d, 'http.request.method'), [54, 3]);
  assert.deepEqual(range(d, 'http.request.uri'), [58, 24]);
  assert.deepEqual(range(d, 'http.host'), [93, 22], 'a header field covers its whole line, as in tshark');
  assert.equal(d.columns.protocol, 'HTTP');
  assert.equal(d.columns.info, 'GET /home/0,7340,L-8,00.html HTTP/1.1 ');
});

test('HTTP response with a Content-Length body handed to the media_type table', () => {
  const d = decode(gif);
  assert.equal(cell(d, 'http.response.version'), 'HTTP/1.1');
  assert.equal(cell(d, 'http.response.code'), '200');
  assert.equal(cell(d, 'http.response.phrase'), 'OK');
  assert.equal(cell(d, 'http.response.code.desc'), 'OK');
  assert.equal(cell(d, 'http.content_type'), 'image/gif');
  assert.equal(cell(d, 'http.content_length_header'), '43');
  assert.equal(cell(d, 'http.content_length'), '43');
  assert.equal(cell(d, 'http.server'), 'nginx');
  assert.equal(nodes(d, 'http.file_data')[0]!.length, 43);
  assert.equal(d.protocols.at(-1), 'image-gif');
  assert.ok(d.columns.info.startsWith('HTTP/1.1 200 OK '));
});

test('HTTP chunked response across two segments: desegmented, de-chunked, dissected in the last frame', () => {
  const s = new Session();
  const first = decode(chunkedHead, 1, s, 2);
  assert.equal(first.columns.protocol, 'TCP');
  assert.equal(cell(first, 'http.response.code'), '', 'nothing dissected while the body is incomplete');
  assert.ok(first.columns.info.startsWith('HTTP/1.1 200 '), 'the first line is in Info before reassembly');
  const last = decode(chunkedTail, 1, s, 3);
  assert.equal(cell(last, 'http.response.code'), '200');
  assert.equal(cell(last, 'http.transfer_encoding'), 'chunked');
  assert.equal(cell(last, 'http.chunk_size'), '339,0');
  assert.equal(last.sources.map((x) => x.name).includes('De-chunked entity body'), true);
  assert.equal(nodes(last, 'http.file_data')[0]!.length, 339);
});

test('HTTP: a body cut short by the snaplen ends in a short-capture marker, headers kept', () => {
  const d = decode(sllCut, 113, undefined, 1, 1296);
  assert.equal(cell(d, 'http.response.code'), '200');
  assert.equal(d.columns.info, 'HTTP/1.1 200 OK [Packet size limited during capture]');
});

test('HTTP: gzip bodies are inflated (and garbage is refused)', () => {
  // A gzip member holding "hello\n" (as `printf 'hello\n' | gzip -n`).
  const gz = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36, 0x06, 0x00, 0x00, 0x00]);
  assert.equal(new TextDecoder().decode(inflate(gz)!), 'hello\n');
  assert.equal(inflate(Uint8Array.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff])), null);
});

// IPv6UdpPacket.pcap #1: an SSDP M-SEARCH (HTTP over UDP 1900).
const ssdp =
  '33330000000c6cf049b2de6e86dd60000000009a1101fe800000000000004dc7f5931f7bdc11ff02000000000000000000000000000cf88c076c009a5fea4d2d534541524348202a20485454502f312e' +
  '310d0a486f73743a5b464630323a3a435d3a313930300d0a53543a75726e3a4d6963726f736f66742057696e646f77732050656572204e616d65205265736f6c7574696f6e2050726f746f636f6c3a20' +
  '56343a495056363a4c696e6b4c6f63616c0d0a4d616e3a22737364703a646973636f766572220d0a4d583a330d0a0d0a';
// example2.pcap #82: an OCSP response over HTTP in one segment.
const ocspResponse =
  '6cf049b2de6e30469a23fbfa080045000337808000003b064190d4c7dbe80a0000010050d79bc4e4af23ae003ab9501800ed32420000485454502f312e3120323030204f4b0d0a436f6e74656e742d54' +
  '7970653a206170706c69636174696f6e2f6f6373702d726573706f6e73650d0a446174653a205361742c203033204a616e20323031352031333a30353a343620474d540d0a457870697265733a205765' +
  '642c203037204a616e20323031352031333a30353a343620474d540d0a43616368652d436f6e74726f6c3a207075626c69632c206d61782d6167653d3334353630300d0a5365727665723a206f637370' +
  '5f726573706f6e6465720d0a436f6e74656e742d4c656e6774683a203436330d0a582d5853532d50726f74656374696f6e3a20313b206d6f64653d626c6f636b0d0a582d4672616d652d4f7074696f6e' +
  '733a2053414d454f524947494e0d0a416c7465726e6174652d50726f746f636f6c3a2038303a717569632c703d302e3030320d0a0d0a308201cb0a0100a08201c4308201c006092b0601050507300101' +
  '048201b1308201ad308196a21604144add06161bbcf668b576f581b6bb621aba5a812f180f32303135303130333037303433395a306b30693041300906052b0e03021a05000414f2e06af9858a1d8d70' +
  '9b4919237aa9b51a287e6404144add06161bbcf668b576f581b6bb621aba5a812f02083169487cdfc9f19c8000180f32303135303130333037303433395aa011180f3230313530313130303730343339' +
  '5a300d06092a864886f70d01010505000382010100182d0fed282380a8131bc7d4d1ba49f401e1b9b96b1ccf0de890e99e077737665eeff2014e2463e997581de9d5ff506aff3158327853092c3ab890' +
  'a079607c91eaa103752e41725d502d07584414e902188bf42c5e16ad4821e1966ccd9bfb03e8b013ad8ca648e223e1560c0f6f17b0d1ba4f37a679a8c58b8c4b4e4186b3ac6222a153714abf89af3c1a' +
  'd5513dd4af206692958e19950d91398be08de5b743caeafc59beb5bdbf3bfe7f6b5b4cdcf3c62c74e90c1c2e9e9e537412cb2463aaec1e447b61b669920daeb63c9f3f5109ed8f5b74d92afb312209b3' +
  '782b7019a5f3fbddcb003d62c3b8ddd6c8370c3befab05d0d66d5baad6afc1f8dd228b63d8';

test('SSDP: HTTP request line and headers over UDP', () => {
  const d = decode(ssdp);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ipv6:udp:ssdp');
  assert.equal(d.columns.protocol, 'SSDP');
  assert.equal(cell(d, 'http.request.method'), 'M-SEARCH');
  assert.equal(cell(d, 'http.request.uri'), '*');
  assert.equal(cell(d, 'http.host'), '[FF02::C]:1900');
  assert.equal(d.columns.info, 'M-SEARCH * HTTP/1.1 ');
});

test('OCSP over HTTP: media type dispatch, Info and the BasicOCSPResponse layer', () => {
  const d = decode(ocspResponse);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ip:tcp:http:ocsp:ocsp');
  assert.equal(cell(d, 'http.content_type'), 'application/ocsp-response');
  assert.equal(d.columns.protocol, 'OCSP');
  assert.equal(d.columns.info, 'Response');
});
