import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, nodes } from '../../support/decode.ts';
import { Session } from '../../../decoders/index.ts';
import { FragmentTable } from '../../../decoders/streams/ip-reassembly.ts';

// ipfragutil_ip_ids.pcap #1-#3: an HTTP request in three IPv4 fragments (ID 0x582e).
const v4 = [
  '002389e2fd3c10e7c6ed6893080045000114582e20004006b882ac101ebeac10d25422a47b708a4df5e621c00079501801fe4b5800004745' +
  '54202f69746f6d2d706f7274616c2f696d616765732f6d656e755f69636f6e2f69636f6e5f6a6b7a785f736d2e706e6720485454502f312e' +
  '310d0a486f73743a203137322e31362e3231302e38343a33313630300d0a436f6e6e656374696f6e3a206b6565702d616c6976650d0a5573' +
  '65722d4167656e743a204d6f7a696c6c612f352e30202857696e646f7773204e542031302e303b2057696e36343b2078363429204170706c' +
  '655765624b69742f3533372e333620284b48544d4c2c206c696b65204765636b6f29204368726f6d652f37382e302e333930342e39372053' +
  '61666172692f3533372e', 
  '002389e2fd3c10e7c6ed6893080045000114582e20204006b862ac101ebeac10d25433360d0a4163636570743a20696d6167652f77656270' +
  '2c696d6167652f61706e672c696d6167652f2a2c2a2f2a3b713d302e380d0a526566657265723a20687474703a2f2f3137322e31362e3231' +
  '302e38343a33313630302f677261706869632f0d0a4163636570742d456e636f64696e673a20677a69702c206465666c6174650d0a416363' +
  '6570742d4c616e67756167653a207a682d434e2c7a683b713d302e392c656e3b713d302e380d0a436f6f6b69653a204a53455353494f4e49' +
  '443d53542d3135302d6365677847626f6f6264475273306862495737312d736763632e6973632e636f6d0d0a49662d4d6f6469666965642d' +
  '53696e63653a20547565', 
  '002389e2fd3c10e7c6ed6893080045000032582e00404006d924ac101ebeac10d2542c2031302053657020323031392030393a33333a3232' +
  '20474d540d0a0d0a'];
// ip6_fragments.pcap #1-#7: an mDNS query in seven IPv6 fragments (ident 0x002c5323).
const v6 = [
  '3333000000fb001ff3cdf61786dd6000000000802cfffe80000000000000021ff3fffecdf617ff0200000000000000000000000000fb1100' +
  '0001002c532314e914e902e1f77b0000000000170000000b00010b5f6166706f766572746370045f746370056c6f63616c00000c8001045f' +
  '736d62c018000c8001045f726662c018000c8001065f616469736bc018000c8001085f616972706f7274c018000c80010d5f6170706c6574' +
  '762d70616972c018000c8001085f', 
  '3333000000fb001ff3cdf61786dd6000000000802cfffe80000000000000021ff3fffecdf617ff0200000000000000000000000000fb1100' +
  '0079002c53236170706c657476c018000c8001255f30303030303030302d303133342d363931362d666630342d3863356437376465343237' +
  '33045f7375620d5f686f6d652d73686172696e67c018000c8001055f64616170c018000c80010d5f746f7563682d72656d6f7465c018000c' +
  '8001055f72616f70c018000c8001', 
  '3333000000fb001ff3cdf61786dd6000000000802cfffe80000000000000021ff3fffecdf617ff0200000000000000000000000000fb1100' +
  '00f1002c5323075f6f7378737672c018000c800108526f73636f726969c00c00ff800108526f73636f726969045f667470c01800ff800108' +
  '526f73636f726969c02800ff800108526f73636f726969045f737368c01800ff800108526f73636f726969095f736674702d737368c01800' +
  'ff80010a4361747320436c617773', 
  '3333000000fb001ff3cdf61786dd6000000000802cfffe80000000000000021ff3fffecdf617ff0200000000000000000000000000fb1100' +
  '0169002c5323c0bc00ff80011c6954756e65735f4374726c5f38443436463333313346373735373741055f64616370c01800ff80010a4361' +
  '747320436c617773c0a800ff80011435302d33372d37312d373220526f73636f7269690c5f736c6565702d70726f7879045f756470c01d00' +
  'ff800108526f73636f726969c01d', 
  '3333000000fb001ff3cdf61786dd6000000000802cfffe80000000000000021ff3fffecdf617ff0200000000000000000000000000fb1100' +
  '01e1002c532300ff8001c1cd00ff8001c0f600210001000000780008000000000224c1cdc10500210001000000780008000000000015c1cd' +
  'c119002100010000007800080000000001bdc1cdc12800210001000000780008000000000016c1cdc13c0021000100000078000800000000' +
  '0016c1cdc1550021000100000078', 
  '3333000000fb001ff3cdf61786dd6000000000802cfffe80000000000000021ff3fffecdf617ff0200000000000000000000000000fb1100' +
  '0259002c53230008000000000e69c1cdc16600210001000000780008000000000e69c1cdc18f00210001000000780008000000000e69c1cd' +
  'c1a00021000100000078000800000000f999c1cdc1cd001c0001000000780010fe80000000000000021ff3fffecdf617c1cd000100010000' +
  '00780004c0a8010300002905a000', 
  '3333000000fb001ff3cdf61786dd60000000001d2cfffe80000000000000021ff3fffecdf617ff0200000000000000000000000000fb1100' +
  '02d0002c5323001194000c00040008000b001ff3cdf6175127c6b5'];

test('IPv4 reassembly: fragments show as data, the last frame decodes the datagram', () => {
  const s = new Session();
  const d1 = decode(v4[0]!, 1, s, 1);
  assert.equal(d1.columns.info, 'Fragmented IP protocol (proto=TCP 6, off=0, ID=582e)');
  assert.equal(d1.protocols.join(':'), 'eth:ethertype:ip:data');
  const d2 = decode(v4[1]!, 1, s, 2);
  assert.equal(d2.columns.info, 'Fragmented IP protocol (proto=TCP 6, off=256, ID=582e)');
  const d3 = decode(v4[2]!, 1, s, 3);
  assert.equal(d3.sources.length, 2);
  assert.equal(d3.sources[1]!.name, 'Reassembled IPv4');
  assert.equal(d3.sources[1]!.data.length, 542);
  assert.equal(cell(d3, 'ip.fragment'), '1,2,3');
  assert.equal(cell(d3, 'ip.fragment.count'), '3');
  assert.equal(cell(d3, 'ip.reassembled.length'), '542');
  assert.equal(nodes(d3, 'ip.fragments')[0]!.label, '[3 IPv4 Fragments (542 bytes): #1(256), #2(256), #3(30)]');
  const frag2 = nodes(d3, 'ip.fragment')[1]!;
  assert.equal(frag2.source, 1);
  assert.deepEqual([frag2.offset, frag2.length], [256, 256]);
  assert.ok(d3.protocols.join(':').startsWith('eth:ethertype:ip:tcp'));
  assert.notEqual(d3.protocols[3], 'data');
  // A second look at the frames gives the same answer, and the fragments learn where they went.
  const again = decode(v4[2]!, 1, s, 3);
  assert.equal(again.sources[1]!.data.length, 542);
  assert.deepEqual(again.protocols, d3.protocols);
  const first = decode(v4[0]!, 1, s, 1);
  assert.equal(cell(first, 'ip.reassembled_in'), '3');
  assert.equal(first.columns.info, 'Fragmented IP protocol (proto=TCP 6, off=0, ID=582e) [Reassembled in #3]');
});

test('IPv4 reassembly: order of arrival does not matter', () => {
  const s = new Session();
  decode(v4[2]!, 1, s, 1);
  decode(v4[0]!, 1, s, 2);
  const d = decode(v4[1]!, 1, s, 3);
  assert.equal(cell(d, 'ip.reassembled.length'), '542');
  assert.equal(cell(d, 'ip.fragment'), '2,3,1');
});

test('IPv4 reassembly: a fragment cut by the snaplen is not added', () => {
  const s = new Session();
  const d = decode(v4[0]!.slice(0, 2 * 100), 1, s, 1, 290);
  assert.equal(d.columns.info.startsWith('Fragmented IP protocol') || d.protocols.includes('tcp'), true);
  assert.equal(d.sources.length, 1);
  assert.ok(!d.malformed);
});

test('IPv6 reassembly: seven fragments, the fragment header as its own layer', () => {
  const s = new Session();
  for (let i = 0; i < 6; i++) {
    const d = decode(v6[i]!, 1, s, i + 1);
    assert.equal(d.protocols.join(':'), 'eth:ethertype:ipv6:ipv6.fraghdr:data');
    if (i === 0) {
      assert.equal(d.columns.info, 'IPv6 fragment (off=0 more=y ident=0x002c5323 nxt=17)');
      assert.equal(cell(d, 'ipv6.fraghdr.ident'), '0x002c5323');
      assert.equal(cell(d, 'ipv6.fraghdr.more'), '1');
    }
  }
  const d7 = decode(v6[6]!, 1, s, 7);
  assert.equal(d7.sources[1]!.name, 'Reassembled IPv6');
  assert.equal(cell(d7, 'ipv6.reassembled.length'), '741');
  assert.equal(cell(d7, 'ipv6.fragment'), '1,2,3,4,5,6,7');
  assert.ok(d7.protocols.join(':').startsWith('eth:ethertype:ipv6:ipv6.fraghdr:'));
  assert.notEqual(d7.protocols[4], 'data');
});

test('FragmentTable: overlaps, conflicts, extra tails and too-long fragments are flagged', () => {
  const t = new FragmentTable();
  const a = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(t.add('k', 1, 0, a, true).done, null);
  // Overlapping with the same bytes: overlap, no conflict.
  assert.equal(t.add('k', 2, 4, new Uint8Array([5, 6, 7, 8, 9, 10, 11, 12]), true).done, null);
  const r = t.add('k', 3, 8, new Uint8Array([0, 0, 0, 0, 13, 14, 15, 16]), false);
  assert.ok(r.done);
  assert.equal(r.done!.data.length, 16);
  assert.ok(r.done!.overlap);
  assert.ok(r.done!.conflict);
  assert.deepEqual([...r.done!.data.subarray(0, 8)], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(t.reassembledInFrame('k', 1), 3);
  // Same frame again (re-dissection): nothing added twice, the same answer.
  assert.equal(t.add('k', 3, 8, new Uint8Array(8), false).done, r.done);

  const u = new FragmentTable();
  u.add('m', 1, 0, new Uint8Array(8), true);
  u.add('m', 2, 16, new Uint8Array(8), false);
  u.add('m', 3, 16, new Uint8Array(16), false);
  const done = u.add('m', 4, 8, new Uint8Array(8), true).done!;
  assert.ok(done.multipleTails);
  assert.ok(done.tooLong);
  assert.equal(done.data.length, 24);
});

test('FragmentTable: memory is bounded', () => {
  const t = new FragmentTable(4, 1 << 20, 1 << 20);
  for (let i = 0; i < 100; i++) t.add(`d${i}`, i + 1, 0, new Uint8Array(100), true);
  // Only the newest datagrams are still pending: completing an evicted one needs its first part again.
  assert.equal(t.add('d0', 200, 100, new Uint8Array(10), false).done, null);
  assert.ok(t.add('d99', 201, 100, new Uint8Array(10), false).done);
  // Oversized offsets are refused outright.
  assert.equal(t.add('big', 300, 0x20000, new Uint8Array(10), false).done, null);
});
