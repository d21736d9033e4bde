// Display filter evaluation: every operator and literal type against hand-built trees of a
// test registry (one field of every type), occurrence semantics of Wireshark 4.0
// (== any, != all, ~= / !== any-not-equal, === all), type errors with tshark's messages, and
// layer selection on real packets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry, field, protocol } from '../../../decoders/core/registry.ts';
import type { Dissection, FieldDef, FieldNode, FieldValue } from '../../../decoders/core/types.ts';
import { compileFilter, FilterError } from '../../../decoders/filter/index.ts';
import { decode } from '../../support/decode.ts';

const F = {
  u8: field('t.u8', 'U8', 'uint8', { values: { 1: 'One', 3: 'Three', 4: 'Three' } }),
  u16: field('t.u16', 'U16', 'uint16'),
  u64: field('t.u64', 'U64', 'uint64'),
  i32: field('t.i32', 'I32', 'int32'),
  flag: field('t.flag', 'Flag', 'bool'),
  dbl: field('t.dbl', 'Dbl', 'double'),
  ip: field('t.ip', 'IP', 'ipv4'),
  ip6: field('t.ip6', 'IP6', 'ipv6'),
  mac: field('t.mac', 'MAC', 'ether'),
  data: field('t.data', 'Data', 'bytes'),
  name: field('t.name', 'Name', 'string'),
  rel: field('t.rel', 'Rel', 'rel_time'),
  label: field('t.label', 'Label', 'none'),
};
const U = { x: field('u.x', 'X', 'uint8') };
const reg = new Registry();
reg.registerProtocol(protocol({ abbrev: 't', name: 'Test', short: 'T', fields: F, dissect: () => 0 }));
reg.registerProtocol(protocol({ abbrev: 'u', name: 'Other', short: 'U', fields: U, dissect: () => 0 }));

type Leaf = [FieldDef, FieldValue, number?, number?];

/** A dissection whose top level is one protocol node per layer, each with its fields. */
function packet(layers: [string, Leaf[]][], data = new Uint8Array(64)): Dissection {
  const tree: FieldNode[] = [];
  for (const [proto, leaves] of layers) {
    const children: FieldNode[] = leaves.map(([def, value, offset = 0, length = 1]) => ({ def, source: 0, offset, length, value, flags: 0, children: null }));
    tree.push({ def: reg.field(proto)!, source: 0, offset: 0, length: data.length, value: null, flags: 0, children });
  }
  return {
    frame: { number: 1, linkType: 1, tsSec: 0, tsNsec: 0, caplen: data.length, origlen: data.length, interfaceId: 0 },
    sources: [{ name: 'Frame', data }], tree, protocols: layers.map((l) => l[0]), columns: { source: '', destination: '', protocol: '', info: '' }, experts: [], malformed: false,
  };
}

const bytes = (...b: number[]) => Uint8Array.from(b);
const data = Uint8Array.from({ length: 64 }, (_, i) => i);
data.set([0x47, 0x45, 0x54, 0x20, 0x2f], 40); // "GET /"

const main = packet([
  ['t', [
    [F.u8, 3], [F.u16, 80, 2, 2], [F.u64, 0xffffffffffffffffn], [F.i32, -5], [F.flag, true], [F.dbl, 2.25],
    [F.ip, 0x0a000001], [F.ip, 0x0a000002],
    [F.ip6, bytes(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)],
    [F.mac, bytes(0x00, 0x50, 0x56, 0xaa, 0xbb, 0xcc)],
    [F.data, bytes(0xaa, 0xbb, 0xcc, 0x68, 0x69)],
    [F.name, 'www.Example.com'],
    [F.rel, 2_500_000_000n],
    [F.label, null],
  ]],
], data);

function m(filter: string, d: Dissection = main): boolean {
  return compileFilter(filter, reg).match(d);
}

function yes(...filters: string[]): void {
  for (const f of filters) assert.equal(m(f), true, `expected match: ${f}`);
}
function no(...filters: string[]): void {
  for (const f of filters) assert.equal(m(f), false, `expected no match: ${f}`);
}

function rejects(filter: string, message: string, start?: number, end?: number): void {
  assert.throws(() => compileFilter(filter, reg), (e: unknown) => {
    assert.ok(e instanceof FilterError, `${filter}: ${String(e)}`);
    assert.equal(e.message, message, filter);
    if (start !== undefined) assert.deepEqual([e.start, e.end], [start, end], `${filter}: range`);
    return true;
  });
}

test('existence of fields and protocols', () => {
  yes('t', 't.u8', 't.label', '!u', 'not u.x', 't && !u');
  no('u', 'u.x', '!t');
  // a second packet that has `u`
  assert.equal(m('u.x == 7', packet([['u', [[U.x, 7]]]])), true);
});

test('integers: every operator and spelling, hex/octal/char literals, value names', () => {
  yes('t.u8 == 3', 't.u8 eq 3', 't.u8 != 4', 't.u8 ne 4', 't.u8 > 2', 't.u8 gt 2', 't.u8 < 4', 't.u8 lt 4', 't.u8 >= 3', 't.u8 ge 3', 't.u8 <= 3', 't.u8 le 3');
  no('t.u8 == 4', 't.u8 != 3', 't.u8 > 3', 't.u8 < 3');
  yes('t.u16 == 0x50', 't.u16 == 0120', "t.u16 == 'P'", 't.u16 == 80');
  yes('t.u8 == "Three"', 't.u8 == three', 't.u8 != One', 't.u8 in {"One", "Three"}');
  yes('t.u64 == 0xffffffffffffffff', 't.u64 == 18446744073709551615', 't.u64 > 1');
  yes('t.i32 == -5', 't.i32 < 0', 't.i32 > -6', 't.i32 in {-10..-1}');
  yes('t.dbl == 2.25', 't.dbl > 2', 't.dbl < 2.5');
});

test('integer literal errors', () => {
  rejects('t.u8 == 256', '"256" too big for this field, maximum 255.', 8, 11);
  rejects('t.u16 == 3.0', '"3.0" is not a valid number.', 9, 12);
  // With value names, tshark looks the text up among them.
  rejects('t.u8 == 3.0', '"3.0" cannot be found among the possible values for t.u8.', 8, 11);
  rejects('t.u16 == "abc"', 'Unsigned integer (2 bytes) cannot be converted from a string ("abc").', 9, 14);
  rejects('t.u8 == "Four"', '"Four" cannot be found among the possible values for t.u8.', 8, 14);
  rejects('t.i32 == -2147483649', '"-2147483649" too small for this field, minimum -2147483648.', 9, 20);
  rejects('t.u16 == 1e2', '"1e2" is not a valid number.');
});

test('booleans: True/False, 1/0, any non-zero is true', () => {
  yes('t.flag', 't.flag == 1', 't.flag == True', 't.flag == 2', 't.flag != 0', 't.flag != False');
  no('t.flag == 0', 't.flag == False');
});

test('IPv4: addresses, CIDR, ordering, and Wireshark 4.0 occurrence rules', () => {
  yes('t.ip == 10.0.0.1', 't.ip == 10.0.0.2', 't.ip == 10.0.0.0/8', 't.ip == 10.0.0.2/32', 't.ip == 0.0.0.0/0', 't.ip > 10.0.0.1');
  no('t.ip == 10.0.0.3', 't.ip == 11.0.0.0/8');
  // `!=` is "all not equal" in 4.0: one address matching makes it false.
  no('t.ip != 10.0.0.1');
  yes('t.ip != 10.0.0.3', 't.ip != 11.0.0.0/8');
  // `~=`, `!==` and any_ne: some occurrence differs.
  yes('t.ip ~= 10.0.0.1', 't.ip !== 10.0.0.1', 't.ip any_ne 10.0.0.1');
  // `===` / all_eq: every occurrence equal.
  no('t.ip === 10.0.0.1');
  yes('t.ip === 10.0.0.0/24', 'all t.ip == 10.0.0.0/24');
  no('all t.ip == 10.0.0.1');
  // `!(a == b)` differs from `a != b` when the field is absent.
  yes('!(u.x == 1)');
  no('u.x != 1');
  yes('t.ip in {10.0.0.2, 192.168.0.0/16}');
  no('t.ip in {192.168.0.0/16}');
  rejects('t.ip == 10.0.0.256', '"10.0.0.256" is not a valid hostname or IPv4 address.', 8, 18);
  rejects('t.ip == "10.0.0.1"', 'IPv4 address cannot be converted from a string ("10.0.0.1").');
});

test('IPv6: compressed forms, prefixes, embedded IPv4', () => {
  yes('t.ip6 == fe80::1', 't.ip6 == fe80:0:0:0:0:0:0:1', 't.ip6 == fe80::/10', 't.ip6 != ::1', 't.ip6 > ::1');
  no('t.ip6 == fe80::2', 't.ip6 == 2001:db8::/32');
  const d = packet([['t', [[F.ip6, bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4)]]]]);
  assert.equal(m('t.ip6 == ::ffff:1.2.3.4', d), true);
  rejects('t.ip6 == fe80:::1', '"fe80:::1" is not a valid hostname or IPv6 address.');
});

test('Ethernet addresses: four spellings, slices, contains, errors', () => {
  yes('t.mac == 00:50:56:aa:bb:cc', 't.mac == 00-50-56-aa-bb-cc', 't.mac == 0050.56aa.bbcc', 't.mac == 005056aabbcc');
  yes('t.mac[0:3] == 00:50:56', 't.mac[-1] == cc', 't.mac[3:] == aa:bb:cc', 't.mac[1-2] == 50:56', 't.mac contains 56:aa', 't.mac contains bb');
  no('t.mac[0:3] == 00:50:57', 't.mac[5:2] == cc');
  rejects('t.mac == 00:50:56', '"00:50:56" contains too few bytes to be a valid Ethernet address.', 9, 17);
});

test('byte strings: separators, contains text or bytes, ordering, slices', () => {
  yes('t.data == aa:bb:cc:68:69', 't.data == aa-bb-cc-68-69', 't.data == aa.bb.cc.68.69', 't.data == aabbcc6869');
  yes('t.data contains "hi"', 't.data contains cc:68', 't.data contains 68', 't.data > aa:bb', 't.data[1:2] == bb:cc', 't.data[0] == aa');
  no('t.data contains "ho"', 't.data < aa:bb');
  rejects('t.data == xyz', '"xyz" is not a valid byte string.');
});

test('strings: equality, unquoted words, escapes, contains, matches (case-insensitive by default)', () => {
  yes('t.name == "www.Example.com"', 't.name == www.Example.com', 't.name contains "Example"', 't.name contains "\\x45xa"', 't.name > "a"');
  no('t.name == "www.example.com"', 't.name contains "example"');
  yes('t.name matches "example\\\\.COM$"', 't.name ~ "^www"', 't.name matches "(?i)EXAMPLE"', 't.name matches "(?-i)Example"');
  no('t.name matches "(?-i)example"', 't.name matches "^example"');
  yes('t.name[0:3] == "www"', 't.name[0:3] == 77:77:77');
  yes('upper(t.name) == "WWW.EXAMPLE.COM"', 'lower(t.name) contains "example"', 'len(t.name) == 15', 't.name in {"a", "www.Example.com"}');
  rejects('t.name matches 3', 'Matches requires a double quoted string on the right side.', 15, 16);
  rejects('t.name matches "["', 'Regex compilation error: /[/i: Unterminated character class.');
});

test('time offsets compare in seconds', () => {
  yes('t.rel > 2', 't.rel == 2.5', 't.rel < 2.6', 't.rel >= 2.500000000');
  no('t.rel > 3');
});

test('protocols: contains and slices over the bytes they cover', () => {
  yes('t contains "GET /"', 't contains 47:45:54', 't[0:4] == 00:01:02:03', 't[40:3] == "GET"', 't[-1] == 3f', 't matches "get /"');
  no('t contains "POST"', 't[64:1] == 00');
});

test('sets: members, ranges, names, `not in`', () => {
  yes('t.u16 in {80, 443}', 't.u16 in {1..100}', 't.u16 in {443 8000..8080 80}', 't.u16 not in {81..90}', 'u.x not in {1}');
  no('t.u16 in {443, 8000..8080}', 't.u16 not in {80}', 'u.x in {1}');
});

test('arithmetic, bitwise and, functions', () => {
  yes('t.u16 + 1 == 81', 't.u16 * 2 > 100', '{t.u16 - 70} == 10', 't.u16 / 3 == 26', 't.u16 % 7 == 3', '-t.i32 == 5', 't.u16 & 0x10', 't.u16 & 0x50 == 0x50');
  no('t.u16 & 0x01', 't.u16 / 0 == 0');
  yes('count(t.ip) == 2', 'count(u.x) == 0', 'len(t.data) == 5', 'len(t.mac) == 6', 'max(t.u8, t.u16) == 80', 'min(t.u8, t.u16) == 3', 'abs(t.i32) == 5', 'string(t.u16) == "80"', 'string(t.ip) contains "10.0.0.2"');
  rejects('nosuch(t.u8) == 1', "The function 'nosuch' does not exist.");
});

test('type errors and unknown names, with ranges', () => {
  rejects('t.nope', 't.nope is neither a field nor a protocol name.', 0, 6);
  rejects('t.u8 == 1 && t.nope', 't.nope is neither a field nor a protocol name.', 13, 19);
  rejects('3 == t.u8', 'Left side of "==" expression must be a field or function, not 3.', 0, 1);
  rejects('foo == 3', 'Left side of "==" expression must be a field or function, not foo.', 0, 3);
  rejects('t.nope contains 1', 'Left side of contains expression must be a field or function, not t.nope.', 0, 6);
  rejects('t.nope in {1}', 'Only a field may be tested for membership in a set.', 0, 6);
  rejects('t.nope[0] == 1', 'Range is not supported for entity t.nope', 0, 6);
  rejects('len(t.nope) == 1', 'Only fields can be used as parameter for len()', 4, 10);
  rejects('t.u8 == t.ip', 't.u8 and t.ip are not of compatible types.', 8, 12);
  rejects('t.u8 == u', 't.u8 and u are not of compatible types.', 8, 9);
  rejects('t.u16 contains 35', 't.u16 (type=Unsigned integer (2 bytes)) cannot participate in contains comparison.', 0, 5);
  rejects('t.u8[0] == 1', '"t.u8" is a Unsigned integer (1 byte) and cannot be sliced into a sequence of bytes.', 0, 4);
  rejects('t.label == 1', 't.label is a label and cannot be compared.');
  rejects('t.u8#2#x', 'Expected digit or "[", not "x"');
});

test('fields compare with fields of compatible types', () => {
  yes('t.u8 < t.u16', 't.ip == t.ip', 't.mac[0:2] == t.data[0:0] || t.u8 != t.u16');
  no('t.u8 == t.u16');
});

test('layer selection: field#N is the occurrence inside the Nth layer of its protocol', () => {
  const d = packet([
    ['t', [[F.u8, 1], [F.ip, 0x01010101]]],
    ['u', [[U.x, 9]]],
    ['t', [[F.u8, 4], [F.ip, 0x02020202], [F.ip, 0x03030303]]],
  ]);
  assert.equal(m('t.u8#1 == 1', d), true);
  assert.equal(m('t.u8#2 == 1', d), false);
  assert.equal(m('t.u8#2 == 4', d), true);
  assert.equal(m('t.ip#2 == 3.3.3.3', d), true);
  assert.equal(m('t.ip#1 == 3.3.3.3', d), false);
  assert.equal(m('t#2', d), true);
  assert.equal(m('t#3', d), false);
  assert.equal(m('t.ip#[1-2] == 1.1.1.1', d), true);
  assert.equal(m('t.u8#2 == "Three"', d), true);
  assert.equal(m('count(t.ip#2) == 2', d), true);
});

test('layer selection with nested layers: a field added after the inner layer stays in its own layer', () => {
  const leaf = (def: FieldDef, value: FieldValue): FieldNode => ({ def, source: 0, offset: 0, length: 1, value, flags: 0, children: null });
  const inner: FieldNode = { def: reg.field('t')!, source: 0, offset: 0, length: 8, value: null, flags: 0, children: [leaf(F.u8, 4)] };
  const outer: FieldNode = { def: reg.field('t')!, source: 0, offset: 0, length: 16, value: null, flags: 0, children: [leaf(F.u8, 1), inner, leaf(F.ip, 0x01010101)] };
  const d = { ...main, tree: [outer] };
  assert.equal(m('t.u8#2 == 4', d), true);
  assert.equal(m('t.ip#1 == 1.1.1.1', d), true);
  assert.equal(m('t.ip#2', d), false);
});

test('the filter reports the fields it reads', () => {
  assert.deepEqual([...compileFilter('t.u8 == 1 && (t.ip#2 == 1.2.3.4 || u) && len(t.name) > 1', reg).fields].sort(), ['t.ip', 't.name', 't.u8', 'u']);
  assert.deepEqual(compileFilter('  ', reg).fields, []);
  assert.equal(compileFilter('', reg).match(main), true);
});

// IcmpPackets.pcap frame 13: ICMP source quench quoting an inner IPv4/TCP header
// (outer 10.0.0.7 -> 10.0.0.138, inner 1.2.3.4 -> 5.6.7.8).
const icmpQuench = '30469a23fbfa080027d75be0080045000038486300004001 1dd20a0000070a00008a04000c3600000000 4500001c0c80000040065e4901020304050607080000000000 08efc1';

test('real packet: layers of ip inside an ICMP error, slices of frame and eth (tshark agrees)', () => {
  const d = decode(icmpQuench);
  const t = (f: string) => compileFilter(f).match(d);
  assert.equal(t('ip.dst#2 == 5.6.7.8'), true);
  assert.equal(t('ip.dst#1 == 5.6.7.8'), false);
  assert.equal(t('ip.src == 1.2.3.4'), true);
  assert.equal(t('ip.addr != 10.0.0.7'), false);
  assert.equal(t('ip.addr ~= 10.0.0.7'), true);
  assert.equal(t('ip#2 && !ip#3'), true);
  assert.equal(t('count(ip.src) == 2 && ip.src#1 == 10.0.0.0/8'), true);
  assert.equal(t('frame[14] == 45 && frame[12:2] == 08:00 && eth.src[0:3] == 08:00:27'), true);
  assert.equal(t('eth.dst == 30:46:9a:23:fb:fa && eth.addr == 08:00:27:d7:5b:e0'), true);
  assert.equal(t('ip.proto == ICMP && ip.proto#2 == 6'), true);
  assert.equal(t('frame.len == 70 && frame contains 01:02:03:04'), true);
});

test('bitwise and over byte strings (slices), and 0x byte literals', () => {
  yes('t.mac[1] & 0x10', 't.mac[1] & 0x50 == 50', 't.mac[0:2] & 00:ff == 00:50', 't.data[0] == 0xaa');
  no('t.mac[0] & 0xff', 't.mac[1] & 0x0f');
});

test('constant arithmetic: folded on the right, refused on the left; functions are not tests', () => {
  yes('t.u16 == 40 + 40', 't.u16 == 100 - 20', 't.i32 == -10 + 5', 't.u16 in {2 * 40}');
  rejects('1 + t.u16 == 81', 'Constant arithmetic expression on the LHS is invalid.', 0, 9);
  rejects('-1', 'Constant arithmetic expression on the LHS is invalid.', 0, 2);
  rejects('"abc"', '"abc" is neither a field nor a protocol name.', 0, 5);
  rejects('len(t.name)', 'You cannot test whether a function is present.', 0, 11);
  rejects('t.u16 == "a" + 1', '"a" is not a valid arithmetic operand.', 9, 12);
});

test('matchFields: the same filter answered from field values without a tree (index columns)', () => {
  const f = compileFilter('t.u16 in {80, 443} && t.ip == 10.0.0.0/8 && !u', reg);
  assert.deepEqual(f.defs.map((d) => d.abbrev), ['t.u16', 't.ip', 'u']);
  const cols = new Map<string, FieldValue[]>([['t.u16', [80]], ['t.ip', [0x0a000001]]]);
  const fill = (def: FieldDef, out: FieldNode[]) => {
    for (const value of cols.get(def.abbrev) ?? []) out.push({ def, source: 0, offset: 0, length: 0, value, flags: 0, children: null });
  };
  assert.equal(f.matchFields(fill), true);
  cols.set('t.u16', [81]);
  assert.equal(f.matchFields(fill), false);
  cols.set('t.u16', [443]);
  cols.set('u', [null]);
  assert.equal(f.matchFields(fill), false);
});
