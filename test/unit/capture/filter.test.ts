// Capture filters are compiled by libpcap itself (the native helper's --check-filter: no
// device, no privilege), and a bad one comes back with libpcap's own message.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkCaptureFilter, helperPath } from '../../../electron/capture/index.ts';

const root = join(import.meta.dirname, '..', '..', '..');
spawnSync(process.execPath, [join(root, 'electron/build/build-capture-helper.mjs'), '--quiet'], { stdio: 'inherit' });
const skip = helperPath() && existsSync(helperPath()!) ? false : 'the native capture helper is not built (needs cc and libpcap-dev)';
if (skip) console.log(`# capture filter tests skipped: ${skip}`);

describe('checkCaptureFilter', { skip }, () => {
  it('accepts valid BPF and the empty filter', () => {
    for (const f of ['', '   ', 'icmp', 'tcp port 80 and host 10.0.0.1', 'vlan and udp', 'ether broadcast', 'not arp']) assert.deepEqual(checkCaptureFilter(f), { ok: true }, f);
  });
  it("returns libpcap's own message for a bad one", () => {
    assert.deepEqual(checkCaptureFilter('tcp port'), { ok: false, message: "can't parse filter expression: syntax error" });
    assert.deepEqual(checkCaptureFilter('port 99999'), { ok: false, message: 'illegal port number 99999 > 65535' });
    assert.deepEqual(checkCaptureFilter('tcp prt 80'), { ok: false, message: "can't parse filter expression: syntax error" });
  });
  it('compiles for the link type given (raw IP has no Ethernet addresses)', () => {
    assert.deepEqual(checkCaptureFilter('ether host 00:11:22:33:44:55', 1), { ok: true });
    const raw = checkCaptureFilter('ether host 00:11:22:33:44:55', 101);
    assert.equal(raw.ok, false);
    assert.match((raw as { message: string }).message, /ethernet addresses supported only on/);
    assert.deepEqual(checkCaptureFilter('tcp', 113), { ok: true });
  });
});
