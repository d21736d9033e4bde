// Display filter lexer and parser: syntax trees, precedence, literals, slices, sets, layers,
// and syntax errors with tshark 4.0's messages and the exact character range they point at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilter, tokenize, FilterError, formatFilterError, type Expr } from '../../../decoders/filter/index.ts';
import { parseSliceRanges } from '../../../decoders/filter/parser.ts';

/** A compact text form of a syntax tree. */
function show(e: Expr): string {
  switch (e.k) {
    case 'word': return e.text;
    case 'str': return JSON.stringify(e.value);
    case 'char': return `'${e.value}'`;
    case 'layer': return `${show(e.a)}#${e.from}-${e.to}`;
    case 'slice': return `${show(e.a)}[${e.ranges.map((r) => `${r.from}:${r.len}${r.to !== undefined ? `-${r.to}` : ''}`).join(',')}]`;
    case 'call': return `${e.name}(${e.args.map(show).join(',')})`;
    case 'neg': return `-(${show(e.a)})`;
    case 'arith': return `(${show(e.a)} ${e.op} ${show(e.b)})`;
    case 'cmp': return `(${show(e.a)} ${e.quant}${e.op} ${show(e.b)})`;
    case 'in': return `(${show(e.a)} ${e.negated ? 'not in' : 'in'} {${e.items.map((i) => show(i.lo) + (i.hi ? '..' + show(i.hi) : '')).join(',')}})`;
    case 'and': case 'or': case 'xor': return `(${show(e.a)} ${e.k} ${show(e.b)})`;
    case 'not': return `!${show(e.a)}`;
  }
}

const p = (s: string) => show(parseFilter(s));

function syntaxError(filter: string, message: string, start: number, end: number): void {
  assert.throws(() => parseFilter(filter), (e: unknown) => {
    assert.ok(e instanceof FilterError, `${filter}: ${String(e)}`);
    assert.equal(e.message, message, filter);
    assert.deepEqual([e.start, e.end], [start, end], `${filter}: range`);
    return true;
  });
}

test('lexer: words, strings, operators and slices keep their character ranges', () => {
  const toks = tokenize('ip.src==10.0.0.0/8 && eth.src[0:3] != "a\\"b"');
  assert.deepEqual(toks.map((t) => [t.kind, t.value, t.start, t.end]), [
    ['word', 'ip.src', 0, 6], ['op', '==', 6, 8], ['word', '10.0.0.0/8', 8, 18], ['op', '&&', 19, 21],
    ['word', 'eth.src', 22, 29], ['slice', '0:3', 29, 34], ['op', '!=', 35, 37], ['str', 'a"b', 38, 44], ['eof', '', 44, 44],
  ]);
  // `..` ends a word (set ranges), `::` starts an IPv6 word, `/N` only follows an address.
  assert.deepEqual(tokenize('{1..5}').map((t) => t.value), ['{', '1', '..', '5', '}', '']);
  assert.deepEqual(tokenize('::1/128').map((t) => t.value), ['::1/128', '']);
  assert.deepEqual(tokenize('frame.len/2').map((t) => t.value), ['frame.len', '/', '2', '']);
  assert.deepEqual(tokenize('aa-bb-cc').map((t) => t.value), ['aa-bb-cc', '']);
});

test('lexer: string escapes (\\x, octal, \\n, \\u, quotes) and raw strings', () => {
  const v = (s: string) => tokenize(s)[0]!.value;
  assert.equal(v('"\\x67oo"'), 'goo');
  assert.equal(v('"\\147oo"'), 'goo');
  assert.equal(v('"a\\tb\\n"'), 'a\tb\n');
  assert.equal(v('"\\u00e9"'), 'é');
  assert.equal(v('"say \\"hi\\""'), 'say "hi"');
  assert.equal(v('"back\\\\slash"'), 'back\\slash');
  assert.equal(v('r"\\d+\\.x"'), '\\d+\\.x');
  assert.equal(tokenize("'a'")[0]!.kind, 'char');
});

test('parser: precedence of ||, ^^, &&, ! and comparisons', () => {
  assert.equal(p('a || b && c'), '(a or (b and c))');
  assert.equal(p('a && b || c'), '((a and b) or c)');
  assert.equal(p('a or b xor c and d'), '(a or (b xor (c and d)))');
  assert.equal(p('a ^^ b'), '(a xor b)');
  assert.equal(p('!a && b'), '(!a and b)');
  assert.equal(p('not a == 1 or b'), '(!(a any== 1) or b)');
  assert.equal(p('!(a || b)'), '!(a or b)');
  assert.equal(p('tcp.port == 80 && !ip.src == 1.2.3.4'), '((tcp.port any== 80) and !(ip.src any== 1.2.3.4))');
  assert.equal(p('((a))'), 'a');
});

test('parser: every comparison spelling and its quantifier (Wireshark 4.0)', () => {
  const cases: [string, string][] = [
    ['==', 'any=='], ['eq', 'any=='], ['any_eq', 'any=='], ['===', 'all=='], ['all_eq', 'all=='],
    ['!=', 'all!='], ['ne', 'all!='], ['all_ne', 'all!='], ['!==', 'any!='], ['~=', 'any!='], ['any_ne', 'any!='],
    ['>', 'any>'], ['gt', 'any>'], ['<', 'any<'], ['lt', 'any<'], ['>=', 'any>='], ['ge', 'any>='], ['<=', 'any<='], ['le', 'any<='],
    ['contains', 'anycontains'], ['matches', 'anymatches'], ['~', 'anymatches'],
  ];
  for (const [op, want] of cases) assert.equal(p(`f ${op} 1`), `(f ${want} 1)`, op);
  assert.equal(p('all ip.addr == 10.0.0.1'), '(ip.addr all== 10.0.0.1)');
  assert.equal(p('any ip.addr != 10.0.0.1'), '(ip.addr any!= 10.0.0.1)');
});

test('parser: literals of every kind stay literal text for the compiler', () => {
  assert.equal(p('f == "a b"'), '(f any== "a b")');
  assert.equal(p("f == 'x'"), "(f any== 'x')");
  assert.equal(p('f == 0x1F'), '(f any== 0x1F)');
  assert.equal(p('f == 1.5'), '(f any== 1.5)');
  assert.equal(p('f == aa:bb:cc'), '(f any== aa:bb:cc)');
  assert.equal(p('f == fe80::1/64'), '(f any== fe80::1/64)');
  assert.equal(p('f == -3'), '(f any== -(3))');
  assert.equal(p('f == True'), '(f any== True)');
});

test('parser: slices, layers, sets, functions and arithmetic', () => {
  assert.equal(p('eth.src[0:3] == 00:50:56'), '(eth.src[0:3] any== 00:50:56)');
  assert.equal(p('frame[-1]'), 'frame[-1:1]');
  assert.equal(p('frame[2-5]'), 'frame[2:4-5]');
  assert.equal(p('frame[:2]'), 'frame[0:2]');
  assert.equal(p('frame[4:]'), 'frame[4:null]');
  assert.equal(p('frame[1:2,5]'), 'frame[1:2,5:1]');
  assert.equal(p('ip.src#2 == 1.2.3.4'), '(ip.src#2-2 any== 1.2.3.4)');
  assert.equal(p('ip.dst#[2-3]'), 'ip.dst#2-3');
  assert.equal(p('ip.src#2[0:2]'), 'ip.src#2-2[0:2]');
  assert.equal(p('tcp.port in {80 443 8000..8080}'), '(tcp.port in {80,443,8000..8080})');
  assert.equal(p('tcp.port in {80, 443, 8000 .. 8080}'), '(tcp.port in {80,443,8000..8080})');
  assert.equal(p('tcp.port not in {80}'), '(tcp.port not in {80})');
  assert.equal(p('len(dns.qry.name) > 3'), '(len(dns.qry.name) any> 3)');
  assert.equal(p('frame.len * 2 + 1 > 100'), '(((frame.len * 2) + 1) any> 100)');
  assert.equal(p('{frame.len - 4} == 60'), '((frame.len - 4) any== 60)');
  assert.equal(p('tcp.flags & 0x12 == 0x12'), '((tcp.flags & 0x12) any== 0x12)');
});

test('slice ranges: i:j is offset and length, i-j is inclusive, negatives count from the end', () => {
  assert.deepEqual(parseSliceRanges('0:3', 0), [{ from: 0, len: 3 }]);
  assert.deepEqual(parseSliceRanges('2-5', 0), [{ from: 2, len: 4, to: 5 }]);
  assert.deepEqual(parseSliceRanges('-2:2', 0), [{ from: -2, len: 2 }]);
  assert.deepEqual(parseSliceRanges('3', 0), [{ from: 3, len: 1 }]);
  assert.throws(() => parseSliceRanges('a:b', 10), (e: unknown) => e instanceof FilterError && e.start === 10 && e.end === 13);
});

test('syntax errors: tshark 4.0 messages with the offending range', () => {
  syntaxError('tcp and', 'Unexpected end of filter expression.', 7, 7);
  syntaxError('(tcp', 'Unexpected end of filter expression.', 4, 4);
  syntaxError('ip.ttl == 1 )', '")" was unexpected in this context.', 12, 13);
  syntaxError('== 3', '"==" was unexpected in this context.', 0, 2);
  syntaxError('ip.ttl 3', '"3" was unexpected in this context.', 7, 8);
  syntaxError('dns.qry.name == "abc', 'The final quote was missing from a quoted string.', 16, 17);
  syntaxError('ip.ttl in {}', '"}" was unexpected in this context.', 11, 12);
  syntaxError('ip.ttl in {1..}', '"}" was unexpected in this context.', 14, 15);
  syntaxError('ip.ttl > 1 > 2', 'Left side of ">" expression must be a field or function, not 1.', 9, 10);
  syntaxError('ip.ttl == 1 == 2', 'Left side of "==" expression must be a field or function, not 1.', 10, 11);
  syntaxError('ip.src#-1 == 1.1.1.1', 'Expected digit or "[", not "-"', 7, 8);
  syntaxError('@udp.srcport', '"@" was unexpected in this context.', 0, 1);
  syntaxError('udp AND ip', '"AND" was unexpected in this context.', 4, 7);
  syntaxError('tcp and and', '"and" was unexpected in this context.', 8, 11);
  syntaxError('', 'Empty filter expression.', 0, 0);
});

test('formatFilterError draws tshark\'s marker under the range', () => {
  const e = new FilterError('"256" too big for this field, maximum 255.', 10, 13);
  assert.equal(formatFilterError('ip.ttl == 256', e, 'pktscope: '), 'pktscope: "256" too big for this field, maximum 255.\n    ip.ttl == 256\n              ^~~');
  assert.equal(formatFilterError('tcp and', new FilterError('Unexpected end of filter expression.', 7, 7)), 'Unexpected end of filter expression.');
  assert.deepEqual(JSON.parse(JSON.stringify(e)), { message: '"256" too big for this field, maximum 255.', start: 10, end: 13 });
});

test('hostile filters give errors, not stack overflows; long logical chains are fine', () => {
  assert.throws(() => parseFilter('('.repeat(100000) + 'frame' + ')'.repeat(100000)), (e: unknown) => e instanceof FilterError && e.message === 'Filter expression is nested too deeply.');
  assert.throws(() => parseFilter('!'.repeat(100000) + 'frame'), FilterError);
  assert.throws(() => parseFilter('frame.len' + ' - 1'.repeat(5000) + ' == 1'), (e: unknown) => e instanceof FilterError && e.message === 'Filter expression is too long.');
  assert.equal(parseFilter(Array(20000).fill('frame').join(' && ')).k, 'and');
});
