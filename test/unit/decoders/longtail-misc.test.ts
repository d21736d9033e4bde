import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from '../../support/decode.ts';
import { runPayload } from './longtail-support.ts';

test('RADIUS declines a packet whose length field is impossible (radius_wrong.pcap: 0xb105)', () => {
  // The first 100 bytes of radius_wrong.pcap frame 1 (UDP 1813 -> 61137, 423 bytes of UDP).
  const hex = 'a8667f35c77700005e0001020800457001bb3a43000077115ed552977dfeac132c010715eed101a78f180100b10571d111205074ed4d001000006a7672fd000000c414006431323a636f6d706c6574655f61676f693065313a6d6431313a6c745f646f6e';
  const d = decode(hex, 1, undefined, 1, 457);
  assert.equal(d.protocols.join(':'), 'eth:ethertype:ip:udp:data');
});

test('declining dissectors leave no layer behind (DoIP with a bad inverse version, JPEG without JFIF/Exif)', () => {
  const doip = runPayload('doip', '0203000700000000', { below: ['udp'] });
  assert.deepEqual(doip.protocols, ['udp']);
  const jpeg = runPayload('image-jfif', 'ffd8ffed002c50686f746f73686f7020332e30', { below: ['http'], scratch: { media_type: 'image/jpg' } });
  assert.deepEqual(jpeg.protocols, ['http']);
  assert.equal(jpeg.tree.length, 0);
});
