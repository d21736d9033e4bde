/// <reference lib="dom" />
// Decode As and name resolution in browser mode: a VXLAN packet on UDP port 5555 is plain UDP
// until a Decode As rule (UDP port 5555 -> VXLAN) is applied in the Decode As view; then the
// Protocol column, the tree and display filters see the inner packet. The rule survives a
// reload (preferences.json on the server side) and can be removed again. The Name resolution
// menu turns MAC vendor names off and on. Screenshots: test-results/decode-as-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PcapWriter } from '../../decoders/formats/pcap-writer.ts';
import { chromiumMissing, ensureRenderer, launchChromium, results, startServe, type Served } from './support.ts';

const missing = chromiumMissing();
if (missing) console.log(`# e2e decode-as specs skipped: ${missing}`);

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

function ipv4(proto: number, src: string, dst: string, payload: Uint8Array): Uint8Array {
  const h = new Uint8Array(20);
  h.set([0x45, 0, 0, 0, 0x12, 0x34, 0x40, 0, 64, proto]);
  const total = 20 + payload.length;
  h[2] = total >> 8;
  h[3] = total & 0xff;
  h.set(src.split('.').map(Number), 12);
  h.set(dst.split('.').map(Number), 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (h[i]! << 8) | h[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  const ck = ~sum & 0xffff;
  h[10] = ck >> 8;
  h[11] = ck & 0xff;
  return new Uint8Array([...h, ...payload]);
}

/** Outer Ethernet/IPv4/UDP 40000 -> 5555 carrying VXLAN (VNI 42) with an inner ICMP echo request. */
function vxlanOn5555(): Uint8Array {
  const icmp = hex('0800 f7fc 0001 0002 74657374'); // echo request id 1 seq 2, "test"
  // ICMP checksum over the message.
  let sum = 0;
  for (let i = 0; i < icmp.length; i += 2) sum += (icmp[i]! << 8) | (icmp[i + 1] ?? 0);
  icmp[2] = 0;
  icmp[3] = 0;
  sum = 0;
  for (let i = 0; i < icmp.length; i += 2) sum += (icmp[i]! << 8) | (icmp[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  icmp[2] = (~sum >> 8) & 0xff;
  icmp[3] = ~sum & 0xff;
  const inner = new Uint8Array([...hex('0242ac110003 0242ac110002 0800'), ...ipv4(1, '172.17.0.2', '172.17.0.3', icmp)]);
  const vxlan = new Uint8Array([...hex('0800 0000 00002a 00'), ...inner]);
  const udpLen = 8 + vxlan.length;
  const udp = new Uint8Array([0x9c, 0x40, 0x15, 0xb3, udpLen >> 8, udpLen & 0xff, 0, 0, ...vxlan]);
  return new Uint8Array([...hex('001e8cb2de6e 0800277b1c78 0800'), ...ipv4(17, '10.0.0.1', '10.0.0.2', udp)]);
}

// An ARP request from 00:1e:8c:b2:de:6e (an ASUSTek address): a MAC in the Source column.
const arp = hex('ffffffffffff001e8cb2de6e08060001080006040001001e8cb2de6e0a000001000000000000' + '0a00008a' + '00'.repeat(18));

describe('Decode As and name resolution', { skip: missing ?? false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pktscope-e2e-decode-as-'));
  const capture = join(dir, 'vxlan-5555.pcap');
  const config = join(dir, 'config');
  let served: Served;
  let browser: Browser;
  let page: Page;

  before(async () => {
    writeFileSync(capture, PcapWriter.file({ linkType: 1 }, [{ tsSec: 1_700_000_000, tsNsec: 0, data: vxlanOn5555() }, { tsSec: 1_700_000_001, tsNsec: 0, data: arp }]));
    ensureRenderer();
    served = await startServe([capture], config);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
    await page.goto(served.url);
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const grid = () => page.getByRole('grid', { name: 'Packet list' });
  const cell = (n: number, col: number) => grid().locator(`[role=row][aria-rowindex="${n + 1}"] [aria-colindex="${col}"]`);
  const dock = () => page.locator('[data-view="decode-as"]');

  const openDecodeAs = async () => {
    await page.getByRole('button', { name: /Views/ }).click();
    await page.getByRole('menuitem', { name: 'Decode As' }).click();
    await dock().waitFor();
  };

  test('without a rule, UDP port 5555 is plain UDP', async () => {
    await cell(1, 5).filter({ hasText: /^UDP$/ }).waitFor();
    // Names are on by default in the app (Wireshark's defaults): the ARP sender's vendor.
    await cell(2, 3).filter({ hasText: /^ASUSTekC_b2:de:6e$/ }).waitFor();
    await cell(2, 4).filter({ hasText: /^Broadcast$/ }).waitFor();
  });

  test('a rule UDP port 5555 -> VXLAN decodes the inner packet: column, tree, filter', async () => {
    await openDecodeAs();
    await dock().getByText(/No rules/).waitFor();
    await dock().getByRole('button', { name: 'Add rule' }).click();
    assert.equal(await dock().getByRole('combobox', { name: 'Field 1' }).inputValue(), 'udp.port');
    assert.equal(await dock().getByRole('combobox', { name: 'Decode as 1' }).inputValue(), 'vxlan');
    // The protocol list is the one of UDP ports: GENEVE is there, HTTP (a TCP port protocol) is not.
    const options = await dock().getByRole('combobox', { name: 'Decode as 1' }).locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.ok(options.includes('geneve') && !options.includes('http'), options.join(' '));
    await dock().getByRole('textbox', { name: 'Value 1' }).fill('5555');
    await dock().getByRole('status').filter({ hasText: 'Changes not applied yet' }).waitFor();
    await page.screenshot({ path: join(results, 'decode-as-rule.png') });
    await dock().getByRole('button', { name: 'Apply' }).click();
    await dock().getByRole('status').filter({ hasText: 'Rules applied: 1' }).waitFor();
    await cell(1, 5).filter({ hasText: /^ICMP$/ }).waitFor();
    assert.match((await cell(1, 7).textContent()) ?? '', /Echo \(ping\) request/);
    assert.equal(await cell(1, 3).textContent(), '172.17.0.2');

    await cell(1, 1).click();
    await page.getByRole('tree').getByRole('treeitem').filter({ hasText: /^.?Virtual eXtensible Local Area Network/ }).waitFor();
    await page.screenshot({ path: join(results, 'decode-as-applied.png') });

    const filter = page.getByRole('combobox', { name: 'Display filter' });
    await filter.fill('vxlan.vni == 42');
    await filter.press('Enter');
    await page.getByText('Displayed: 1 of 2').waitFor();
    await filter.fill('');
    await filter.press('Enter');
    await page.getByText('Displayed: 2 of 2').waitFor();

    const saved = JSON.parse(readFileSync(join(config, 'preferences.json'), 'utf8')) as { decodeAs: unknown };
    assert.deepEqual(saved.decodeAs, [{ table: 'udp.port', value: 5555, protocol: 'vxlan' }]);
  });

  test('the rule is kept across a reload; removing it restores UDP', async () => {
    await page.reload();
    await cell(1, 5).filter({ hasText: /^ICMP$/ }).waitFor();
    await openDecodeAs();
    assert.equal(await dock().getByRole('textbox', { name: 'Value 1' }).inputValue(), '5555');
    await dock().getByRole('button', { name: 'Remove rule 1' }).click();
    await dock().getByRole('button', { name: 'Apply' }).click();
    await dock().getByRole('status').filter({ hasText: 'Rules applied: 0' }).waitFor();
    await cell(1, 5).filter({ hasText: /^UDP$/ }).waitFor();
  });

  test('a bad value is refused with a message; nothing is sent', async () => {
    await dock().getByRole('button', { name: 'Add rule' }).click();
    await dock().getByRole('textbox', { name: 'Value 1' }).fill('70000');
    await dock().getByRole('button', { name: 'Apply' }).click();
    await dock().getByRole('status').filter({ hasText: 'Rule 1: the value must be a number from 0 to 65535' }).waitFor();
    await dock().getByRole('button', { name: 'Remove rule 1' }).click();
  });

  test('Name resolution menu: MAC names off shows the raw address, on again shows the vendor', async () => {
    const menu = page.getByRole('button', { name: /Name resolution/ });
    await menu.click();
    const mac = page.getByRole('menuitemcheckbox', { name: /Resolve MAC addresses/ });
    assert.equal(await mac.getAttribute('aria-checked'), 'true');
    assert.equal(await page.getByRole('menuitemcheckbox', { name: /Resolve network addresses/ }).getAttribute('aria-disabled'), 'true');
    await mac.click();
    await cell(2, 3).filter({ hasText: /^00:1e:8c:b2:de:6e$/ }).waitFor();
    await cell(2, 4).filter({ hasText: /^ff:ff:ff:ff:ff:ff$/ }).waitFor();
    await page.screenshot({ path: join(results, 'decode-as-names-off.png') });
    await page.getByRole('menuitemcheckbox', { name: /Resolve MAC addresses/ }).click();
    await cell(2, 3).filter({ hasText: /^ASUSTekC_b2:de:6e$/ }).waitFor();
    const saved = JSON.parse(readFileSync(join(config, 'preferences.json'), 'utf8')) as { nameResolution: unknown };
    assert.deepEqual(saved.nameResolution, { mac: true, transport: true, network: false });
  });
});
