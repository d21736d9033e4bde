import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cell, range } from '../../support/decode.ts';
import { runPayload } from './longtail-support.ts';

// The 43-byte GIF body of 650HttpResponses.pcap frame 9.
const gif = '474946383961010001008000 00ffffff000000 21f90401000000002c000000000100010000020244 01003b';
// HTTP bodies from http-packets.pcap frames 10 ({"status":"alive"}) and 1875 (not JSON despite its type).
const json = '7b22737461747573223a22616c697665227d';
const notJson = '2537422532326d6f6e69746f724f626a547970652532323a253232484f5354253232253744';

const http = (type: string) => ({ below: ['tcp', 'http'], scratch: { media_type: type } });

test('image-gif: version, screen and global settings; Info gets the version', () => {
  const d = runPayload('image-gif', gif, { ...http('image/gif'), at: 10 });
  assert.equal(d.protocols.join(':'), 'tcp:http:image-gif');
  assert.equal(cell(d, 'image-gif.version'), 'GIF89a');
  assert.equal(cell(d, 'image-gif.screen.width'), '1');
  assert.equal(cell(d, 'image-gif.global.color_map.present'), '1');
  assert.equal(cell(d, 'image-gif.global.color_map'), 'ffffff000000');
  assert.deepEqual(range(d, 'image-gif.screen.height'), [18, 2]);
  assert.equal(d.columns.info, '(GIF89a)');
});

test('image-gif declines data that is not a GIF, leaving no layer behind', () => {
  const d = runPayload('image-gif', '89504e470d0a1a0a0000000d49484452', http('image/gif'));
  assert.equal(d.protocols.join(':'), 'tcp:http');
  assert.equal(d.tree.length, 0);
});

test('json: members, keys and values; Info and the Protocol column', () => {
  const d = runPayload('json', json, http('application/json'));
  assert.equal(d.protocols.join(':'), 'tcp:http:json');
  assert.equal(cell(d, 'json.member'), 'status');
  assert.equal(cell(d, 'json.key'), 'status');
  assert.equal(cell(d, 'json.value.string'), 'alive');
  assert.deepEqual(range(d, 'json.value.string'), [10, 7]);
  assert.equal(d.columns.info, 'JavaScript Object Notation (application/json)');
  assert.equal(d.columns.protocol, 'JSON');
});

test('json: a body that is not JSON is shown as line-based text', () => {
  const d = runPayload('json', notJson, http('application/json'));
  assert.equal(d.protocols.join(':'), 'tcp:http:json:data-text-lines');
  assert.equal(d.columns.info, 'JavaScript Object Notation (application/json)');
});

test('data-text-lines, urlencoded-form, media and xml', () => {
  const t = runPayload('data-text-lines', '3c68746d6c3e0d0a3c2f68746d6c3e0d0a', http('text/html'));
  assert.equal(t.columns.info, '(text/html)');
  assert.equal(t.tree[0]!.children!.length, 2);
  const u = runPayload('urlencoded-form', '613d3126623d68692b7468657265', http('application/x-www-form-urlencoded'));
  assert.equal(cell(u, 'urlencoded-form.key'), 'a,b');
  assert.equal(cell(u, 'urlencoded-form.value'), '1,hi there');
  const m = runPayload('media', '00010203', http('image/bmp'));
  assert.equal(m.columns.info, '(image/bmp)');
  assert.equal(cell(m, 'media.type'), '00010203');
  const x = runPayload('xml', '3c3f786d6c2076657273696f6e3d22312e30223f3e3c613e783c2f613e', http('text/xml'));
  assert.equal(cell(x, 'xml.xmlpi'), '<?xml version="1.0"?>');
  assert.equal(cell(x, 'xml.tag'), '<a>,</a>');
  assert.equal(x.columns.protocol, 'XML');
});

test('png and jfif: header fields; a cut-short image is marked, not thrown', () => {
  const png = '89504e470d0a1a0a0000000d494844520000030200000115080200000000000000';
  const p = runPayload('png', png, http('image/png'));
  assert.equal(cell(p, 'png.ihdr.width'), '770');
  assert.equal(cell(p, 'png.ihdr.height'), '277');
  assert.equal(p.columns.info, '(PNG)');
  const cut = runPayload('png', png.slice(0, 40), { ...http('image/png'), reported: 100 });
  assert.ok(cut.ctx.truncated);
  const j = runPayload('image-jfif', 'ffd8ffe000104a46494600010101006400640000ffdb0043', http('image/jpeg'));
  assert.equal(cell(j, 'image-jfif.identifier'), 'JFIF');
  assert.equal(cell(j, 'image-jfif.Xdensity'), '100');
  assert.equal(j.columns.info, '(JPEG JFIF image)');
});
