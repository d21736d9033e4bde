// The filter bar compiles what the user types after every keystroke: any text must either
// compile or give a FilterError with a range inside the text, never another exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, FilterError } from '../../../decoders/filter/index.ts';
import { decode } from '../../support/decode.ts';

const PIECES = [
  'ip.src', 'ip.addr', 'eth.src', 'frame', 'tcp.port', 'tcp', 'udp', 'frame.len', 'ip.ttl', 'dns.qry.name', 'eth.type', 'tcp.flags.syn', 'ipv6.addr', 'nosuch.field', 'ip.proto',
  '==', '!=', '===', '!==', '~=', '>', '<', '>=', '<=', 'eq', 'ne', 'contains', 'matches', '~', 'in', 'not', '!', '&&', '||', 'and', 'or', 'xor', '^^', '&', '+', '-', '*', '/', '%',
  '(', ')', '{', '}', '[', ']', '[0:2]', '[-1]', '[1-3]', '#', '#2', ',', '..', ':', '"', '"abc"', '"a\\x41"', "'a'", 'r"\\d"', '10.0.0.1', '10.0.0.0/8', 'fe80::1', '::/0',
  'aa:bb:cc', '00:11:22:33:44:55', '0x50', '80', '-1', '1.5', 'True', 'False', 'UDP', 'len(', 'count(', 'upper(', 'any', 'all', '$', '@', '\\', '"(?i)x"', '"["',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

test('random filters compile or fail with a FilterError inside the text', () => {
  const r = rng(12345);
  const d = decode('30469a23fbfa080027d75be0080045000038486300004001 1dd20a0000070a00008a04000c3600000000 4500001c0c80000040065e4901020304050607080000000000 08efc1');
  let ok = 0;
  for (let i = 0; i < 3000; i++) {
    const n = 1 + Math.floor(r() * 8);
    const parts: string[] = [];
    for (let j = 0; j < n; j++) parts.push(PIECES[Math.floor(r() * PIECES.length)]!);
    const text = parts.join(r() < 0.7 ? ' ' : '');
    try {
      const f = compileFilter(text);
      f.match(d);
      ok++;
    } catch (e) {
      assert.ok(e instanceof FilterError, `${JSON.stringify(text)}: ${String(e)}`);
      assert.ok(e.start >= 0 && e.end >= e.start && e.end <= text.length, `${JSON.stringify(text)}: range ${e.start}-${e.end}`);
    }
    // Every prefix, as typed.
    if (i % 50 === 0) {
      for (let k = 1; k <= text.length; k++) {
        try {
          compileFilter(text.slice(0, k));
        } catch (e) {
          assert.ok(e instanceof FilterError, `${JSON.stringify(text.slice(0, k))}: ${String(e)}`);
        }
      }
    }
  }
  assert.ok(ok > 50, `only ${ok} random filters compiled`);
});
