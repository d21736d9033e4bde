// `pktscope -r F -q -z conn[,FILTER]`: the Connections table on the command line (English words
// from the i18n catalog), run from the sources so it never tests a stale bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../../support/corpus.ts';

const fixture = join(repoRoot, 'fixtures/captures/connections.pcap');

function pktscope(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'electron/cli-main.ts'), ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('-z conn prints every flow with its state in words', () => {
  const r = pktscope('-r', fixture, '-q', '-z', 'conn');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[1], 'Connections');
  assert.equal(lines[2], 'Filter:<No Filter>');
  const states = lines.slice(4, -2).map((l) => l.replace(/^.*?\d+\.\d{4} {2}/, ''));
  assert.deepEqual(states, [
    'SYN sent, no answer (2 retries)',
    'DNS NXDOMAIN: nosuch.example',
    'refused (RST to SYN)',
    'DNS answered',
    'closed (FIN both ways)',
    'ICMP echo answered (1 of 1)',
    'reset by server after 2.5 s',
    'half-open (SYN answered, handshake not completed)',
    'half-closed (FIN from the client only)',
    'DNS query unanswered',
    'ICMP echo unanswered (2 requests)',
    'one-way (no reply)',
    'established (mid-stream: no handshake seen)',
    'no answer: ICMP port unreachable',
    'ICMP destination unreachable',
    'no answer: ICMP host unreachable',
    'ICMP destination unreachable',
  ]);
  assert.match(lines[4]!, /^TCP {7}10\.0\.0\.1:40001 +10\.0\.0\.10:80 +0 /);
});

test('-z conn,FILTER counts only the matching packets; a bad filter exits 2', () => {
  const r = pktscope('-r', fixture, '-q', '-z', 'conn,tcp.flags.reset == 1 || dns');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[2], 'Filter:tcp.flags.reset == 1 || dns');
  // 3 DNS flows, 2 TCP flows seen only through their RST.
  assert.equal(lines.length, 4 + 5 + 2, r.stdout);
  assert.match(r.stdout, /\nTCP +10\.0\.0\.1:40002 +10\.0\.0\.3:443 +1 +0 +0 +1 +54 .* reset by server after 0 s \(mid-stream: no handshake seen\)\n/);
  const bad = pktscope('-r', fixture, '-q', '-z', 'conn,tcp.port ==');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^pktscope: invalid filter in -z conn: /);
});
