// The capture CLI's argument parsing (dumpcap/tshark letters) and the -D list format.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureArgs, isCaptureInvocation, formatInterfaceList, CAPTURE_USAGE } from '../../../electron/cli-capture.ts';

describe('capture CLI arguments', () => {
  it('recognises capture invocations and leaves file reading alone', () => {
    assert.equal(isCaptureInvocation(['-D']), true);
    assert.equal(isCaptureInvocation(['-i', 'eth0', '-w', 'x.pcapng']), true);
    assert.equal(isCaptureInvocation(['-r', 'x.pcap', '-Y', 'tcp']), false);
  });

  it('parses every option like dumpcap', () => {
    const o = parseCaptureArgs(['-i', 'veth1', '-f', 'icmp or arp', '-s', '96', '-p', '-B', '32', '-c', '100', '-a', 'duration:2.5', '-a', 'filesize:500', '-b', 'filesize:100', '-b', 'files:4', '-w', 'out.pcapng', '-q']);
    assert.deepEqual(o, {
      list: false, verbose: false, iface: 'veth1', filter: 'icmp or arp', snaplen: 96, promisc: false, bufferMB: 32, count: 100,
      stop: { durationSec: 2.5, filesizeKB: 500 }, ring: { filesizeKB: 100, files: 4 }, write: 'out.pcapng', display: null, quiet: true,
    });
    assert.equal(parseCaptureArgs(['-D']).list, true);
    assert.equal(parseCaptureArgs(['-i', 'lo', '-Y', 'udp']).display, 'udp');
    assert.deepEqual(parseCaptureArgs(['-i', 'lo', '-b', 'duration:60', '-a', 'files:3', '-w', 'r.pcapng']).stop, { files: 3 });
  });

  it('refuses bad values with a message naming the option', () => {
    const bad: [string[], RegExp][] = [
      [['-w', 'x'], /no interface given \(use -i IFACE; pktscope -D lists them\)/],
      [['-i', 'lo', '-c', '0'], /invalid -c packet count "0"/],
      [['-i', 'lo', '-c', 'x'], /invalid -c packet count "x"/],
      [['-i', 'lo', '-s', '300000'], /invalid snapshot length "300000"/],
      [['-i', 'lo', '-a', 'packets:3'], /invalid -a stop condition "packets:3"/],
      [['-i', 'lo', '-a', 'duration:-1'], /invalid duration value "-1"/],
      [['-i', 'lo', '-b', 'filesize:10'], /a ring buffer \(-b\) needs an output file/],
      [['-i', 'lo', '-b', 'files:3', '-w', 'x'], /-b files:N needs -b filesize:KB or -b duration:S/],
      [['-i', 'lo', '-a', 'files:3', '-w', 'x'], /-a files:N needs a ring buffer/],
      [['-i', 'lo', '-w', '-'], /standard output/],
      [['-i', 'lo', '-X'], /unknown capture option "-X"/],
      [['-i'], /option -i needs a value/],
    ];
    for (const [argv, re] of bad) assert.throws(() => parseCaptureArgs(argv), re, argv.join(' '));
    assert.throws(() => parseCaptureArgs(['-i', 'lo', '-h']), (e: Error) => e.message === CAPTURE_USAGE);
  });

  it('-D prints tshark\'s numbered list with description, flags and addresses', () => {
    const text = formatInterfaceList([
      { name: 'eth0', description: '', addresses: [{ family: 'ipv4', addr: '192.0.2.2', netmask: '255.255.255.0' }, { family: 'ipv6', addr: 'fd00::2' }], up: true, running: true, loopback: false, connection: 'connected' },
      { name: 'any', description: 'Pseudo-device that captures on all interfaces', addresses: [], up: true, running: true, loopback: false },
      { name: 'lo', description: '', addresses: [{ family: 'ipv4', addr: '127.0.0.1' }], up: true, running: true, loopback: true },
      { name: 'wlan0', description: '', addresses: [], up: false, running: false, loopback: false, wireless: true, connection: 'disconnected' },
    ]);
    assert.equal(text, [
      '1. eth0 [Up, Running, Connected] 192.0.2.2, fd00::2',
      '2. any (Pseudo-device that captures on all interfaces) [Up, Running]',
      '3. lo [Loopback, Up, Running] 127.0.0.1',
      '4. wlan0 [Down, Wireless, Disconnected]',
    ].join('\n'));
  });
});
