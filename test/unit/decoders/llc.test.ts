import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, cell, range } from '../../support/decode.ts';

// Stp.pcap #1: IEEE 802.3 frame, LLC 42/42/UI, configuration BPDU.
const stpFrame = '0180c2000000001c0e878504002642420300000000008064001c0e877800000000048064001c0e87850080040100140002000f000000000000000000';
// llc_vlan.pcap #1, first 30 bytes: VLAN 118 with an 802.3 length, LLC SNAP with Cisco's OUI (CDP).
const snapCisco = '01000ccdcdd00013c3dfae188100a0760165aaaa0300000c200002b4bae2';

test('LLC: DSAP, SSAP, U-frame control field and the hand-off on DSAP 0x42', () => {
  const d = decode(stpFrame);
  assert.equal(d.protocols.join(':'), 'eth:llc:stp');
  assert.equal(cell(d, 'llc.dsap'), '0x42');
  assert.equal(cell(d, 'llc.ssap'), '0x42');
  assert.equal(cell(d, 'llc.dsap.sap'), '33');
  assert.equal(cell(d, 'llc.dsap.ig'), '0');
  assert.equal(cell(d, 'llc.ssap.cr'), '0');
  assert.equal(cell(d, 'llc.control'), '0x0003');
  assert.equal(cell(d, 'llc.control.ftype'), '0x03');
  assert.equal(cell(d, 'llc.control.u_modifier_cmd'), '0x00');
  assert.deepEqual(range(d, 'llc.dsap'), [14, 1]);
  assert.deepEqual(range(d, 'llc.control'), [16, 1]);
});

test('LLC SNAP: OUI as an integer, Cisco PID, payload through llc.cisco_pid', () => {
  const d = decode(snapCisco, 1, undefined, 1, 375);
  assert.equal(cell(d, 'llc.oui'), '12');
  assert.equal(cell(d, 'llc.cisco_pid'), '0x2000');
  assert.deepEqual(range(d, 'llc.oui'), [21, 3]);
  assert.deepEqual(range(d, 'llc.cisco_pid'), [24, 2]);
  assert.equal(d.protocols.slice(0, 4).join(':'), 'eth:ethertype:vlan:llc');
});

test('LLC SNAP with OUI 0: llc.type and the Ethernet type table, no ethertype step', () => {
  const ip = '450000200001000040110000c0a80001c0a8000204d200350008000000000000';
  const d = decode('ffffffffffff0011223344550028' + 'aaaa03000000' + '0800' + ip);
  assert.equal(cell(d, 'llc.type'), '0x0800');
  assert.equal(d.protocols.slice(0, 3).join(':'), 'eth:llc:ip');
});

test('LLC: S frame control field and Info text', () => {
  const d = decode('0180c2000000001c0e8785040026' + 'f0f10101' + 'ffff' + '00'.repeat(32));
  assert.equal(cell(d, 'llc.control'), '0x0101');
  assert.equal(d.columns.info, 'S F, func=RR, N(R)=0; DSAP NetBIOS Individual, SSAP NetBIOS Response');
  assert.equal(d.protocols.join(':'), 'eth:llc:data');
});

test('LLC: two bytes only is malformed', () => {
  const d = decode('0180c2000000001c0e87850400024242');
  assert.equal(cell(d, 'llc.dsap'), '0x42');
  assert.ok(d.malformed);
});
