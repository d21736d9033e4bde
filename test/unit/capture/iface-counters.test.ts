// Interface traffic counters for the capture start screen's sparklines, read from a
// /sys/class/net-shaped directory (a fake one here; the real one on Linux when present).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readAllCounters, readCounters, validIfaceName } from '../../../electron/capture/iface-counters.ts';

const root = mkdtempSync(join(tmpdir(), 'pktscope-sysnet-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

function iface(name: string, c: { rxp: number; txp: number; rxb: number; txb: number }): void {
  const d = join(root, name, 'statistics');
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'rx_packets'), `${c.rxp}\n`);
  writeFileSync(join(d, 'tx_packets'), `${c.txp}\n`);
  writeFileSync(join(d, 'rx_bytes'), `${c.rxb}\n`);
  writeFileSync(join(d, 'tx_bytes'), `${c.txb}\n`);
}

test('interface names: kernel-style names only (no paths)', () => {
  for (const ok of ['lo', 'eth0', 'veth-a1', 'wlp3s0', 'br0.100', 'any', 'nflog', 'usbmon1', 'enp0s31f6@if2']) assert.equal(validIfaceName(ok), true, ok);
  for (const bad of ['', '.', '..', '../etc', 'a/b', 'eth0 ', 'x'.repeat(64), 'eth\n0']) assert.equal(validIfaceName(bad), false, JSON.stringify(bad));
});

test('counters: received + sent, per interface; any sums them; missing ones are absent', () => {
  iface('lo', { rxp: 10, txp: 10, rxb: 1000, txb: 1000 });
  iface('eth0', { rxp: 5, txp: 7, rxb: 600, txb: 800 });
  assert.deepEqual(readCounters('lo', root), { packets: 20, bytes: 2000 });
  assert.equal(readCounters('nope', root), null);
  assert.equal(readCounters('../lo', root), null);
  const all = readAllCounters(['lo', 'eth0', 'any', 'bluetooth-monitor'], root);
  assert.deepEqual(all, { lo: { packets: 20, bytes: 2000 }, eth0: { packets: 12, bytes: 1400 }, any: { packets: 32, bytes: 3400 } });
  assert.deepEqual(Object.keys(readAllCounters(undefined, root)).sort(), ['eth0', 'lo']);
});

test('counters: the real /sys/class/net, when there is one, has the loopback interface', (t) => {
  if (!existsSync('/sys/class/net/lo/statistics')) return t.skip('no /sys/class/net/lo here');
  const c = readCounters('lo');
  assert.ok(c && c.packets >= 0 && c.bytes >= 0);
});
