// `pktscope -Y FILTER`: only matching packets are printed and they keep their frame numbers;
// a bad filter prints tshark's message with the `^~~~` marker and exits 2 before any file is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { run } from '../../../electron/cli.ts';
import { corpusAvailable, corpusDir } from '../../support/corpus.ts';

function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  // Without -z, run() finishes synchronously.
  const code = run(args, { write: (s) => (out += s), error: (s) => (err += s + "\n") }) as number;
  return { code, out, err };
}

const dns = join(corpusDir, 'Dns.pcap');

test('-Y with -T fields prints the matching frames with their own numbers', { skip: !corpusAvailable && 'corpus not available' }, () => {
  const r = cli('-r', dns, '-Y', 'eth.src[0:3] == 58:1f:aa', '-T', 'fields', '-e', 'frame.number', '-e', 'eth.src');
  assert.equal(r.code, 0);
  assert.equal(r.out, '2\t58:1f:aa:4f:3f:9d\n3\t58:1f:aa:4f:3f:9d\n');
});

test('-Y with summary lines: frame numbers and times are those of the whole file', { skip: !corpusAvailable && 'corpus not available' }, () => {
  const r = cli('-r', dns, '-Y', 'frame.number == 3');
  assert.equal(r.code, 0);
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^\s+3\s+27\.107920\s+10\.0\.0\.2 → 224\.0\.0\.251 /);
});

test('-Y with -T json writes a valid array of the matching packets only', { skip: !corpusAvailable && 'corpus not available' }, () => {
  const r = cli('-r', dns, '-Y', 'frame.number >= 2', '-T', 'json');
  assert.equal(r.code, 0);
  assert.equal(JSON.parse(r.out).length, 2);
  const none = cli('-r', dns, '-Y', 'frame.number > 100', '-T', 'json');
  assert.deepEqual(JSON.parse(none.out), []);
});

test('a bad filter: tshark\'s message, the marker under the bad text, exit code 2', () => {
  const r = cli('-r', '/nonexistent.pcap', '-Y', 'tcp.flgs && tcp');
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.equal(r.err, 'pktscope: tcp.flgs is neither a field nor a protocol name.\n    tcp.flgs && tcp\n    ^~~~~~~~\n');
  // As in tshark 4.0, an unknown name left of a comparison is reported as not being a field.
  const cmp = cli('-r', '/nonexistent.pcap', '-Y', 'tcp.flgs == 1');
  assert.equal(cmp.err, 'pktscope: Left side of "==" expression must be a field or function, not tcp.flgs.\n    tcp.flgs == 1\n    ^~~~~~~~\n');
  const big = cli('-r', '/nonexistent.pcap', '-Y', 'ip.ttl == 256');
  assert.equal(big.code, 2);
  assert.equal(big.err, 'pktscope: "256" too big for this field, maximum 255.\n    ip.ttl == 256\n              ^~~\n');
  const end = cli('-r', '/nonexistent.pcap', '-Y', 'tcp and');
  assert.equal(end.err, 'pktscope: Unexpected end of filter expression.\n');
});

test('an empty filter shows every packet', { skip: !corpusAvailable && 'corpus not available' }, () => {
  const r = cli('-r', dns, '-Y', '', '-T', 'fields', '-e', 'frame.number');
  assert.equal(r.out, '1\n2\n3\n');
});
