// CaptureSession over a capture child speaking JSON lines (a fake helper here, so no privilege
// is needed): events, counters, ring buffer files, stop(), errors before and after start; the
// native helper's command line; the user-facing error messages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChildSession } from '../../../electron/capture/child-session.ts';
import { helperArgs, CaptureError, type CaptureEvent } from '../../../electron/capture/index.ts';
import { captureError } from '../../../electron/capture/errors.ts';

const opts = { iface: 'veth1', output: '/tmp/x.pcapng', filter: 'tcp port' };
const line = (o: object) => `console.log(${JSON.stringify(JSON.stringify(o))});`;

function fake(script: string): Promise<ChildSession> {
  return ChildSession.start(opts, 'native', '/opt/pktscope/pktscope-capture', process.execPath, ['-e', script]);
}

describe('capture session over a helper process', () => {
  it('relays started / file / stats / stopped, tracks ring files, and stop() resolves with the final counters', async () => {
    const s = await fake(
      line({ type: 'warning', message: 'promiscuous mode not supported' }) +
        line({ type: 'started', file: '/tmp/r_00001.pcapng', linkType: 1, tsresol: 9, snaplen: 262144, backend: 'native' }) +
        line({ type: 'stats', packets: 5, bytes: 300, fileBytes: 500, received: 5, dropped: 0, ifDropped: 0, dropsKnown: true }) +
        line({ type: 'file', file: '/tmp/r_00002.pcapng' }) +
        line({ type: 'file', file: '/tmp/r_00003.pcapng' }) +
        line({ type: 'deleted', file: '/tmp/r_00001.pcapng' }) +
        `process.on('SIGTERM', () => { ${line({ type: 'stopped', reason: 'user', packets: 9, bytes: 540, fileBytes: 900, received: 10, dropped: 1, ifDropped: 2, dropsKnown: true })} process.exit(0); });` +
        `process.stdin.resume(); console.log('not json');`,
    );
    const events: CaptureEvent[] = [];
    s.on((e) => events.push(e));
    // 'started' came before startCapture resolved: it is replayed to the new listener.
    assert.deepEqual(events[0], { type: 'started', file: '/tmp/r_00001.pcapng', linkType: 1, backend: 'native', tsresol: 9, snaplen: 262144, warnings: ['promiscuous mode not supported'] });
    await new Promise((r) => setTimeout(r, 300));
    const stats = await s.stop();
    assert.deepEqual(stats, { packets: 9, bytes: 540, dropped: 1, ifDropped: 2, files: ['/tmp/r_00002.pcapng', '/tmp/r_00003.pcapng'], dropsKnown: true, received: 10, fileBytes: 900 });
    assert.deepEqual(events.map((e) => e.type), ['started', 'stats', 'file', 'file', 'stopped']);
    const stopped = events.at(-1)!;
    assert.ok(stopped.type === 'stopped' && stopped.reason === 'user' && stopped.stats.packets === 9);
    assert.deepEqual(await s.done, stats);
    assert.deepEqual(await s.stop(), stats, 'stop() again is harmless');
  });

  it('an error before "started" rejects with a CaptureError that says what to do', async () => {
    await assert.rejects(fake(line({ type: 'error', code: 'privilege', message: 'socket: Operation not permitted' }) + 'process.exit(1)'), (e: CaptureError) => {
      assert.ok(e instanceof CaptureError);
      assert.equal(e.code, 'privilege');
      assert.match(e.message, /You don't have permission to capture on 'veth1': capturing needs the CAP_NET_RAW and CAP_NET_ADMIN capabilities/);
      assert.match(e.hint!, /sudo setcap cap_net_raw,cap_net_admin=eip \/opt\/pktscope\/pktscope-capture/);
      return true;
    });
    await assert.rejects(fake(line({ type: 'error', code: 'filter', message: "can't parse filter expression: syntax error" }) + 'process.exit(1)'), {
      code: 'filter',
      message: `Invalid capture filter "tcp port" for interface 'veth1': can't parse filter expression: syntax error`,
    });
    await assert.rejects(fake(`process.stderr.write('boom'); process.exit(3)`), { code: 'other', message: 'The capture helper ended before capturing (exit code 3): boom' });
    await assert.rejects(ChildSession.start(opts, 'native', '/nonexistent', '/nonexistent/helper', []), { code: 'helper-missing' });
  });

  it('a helper that dies after starting reports an error and a stopped event; done resolves', async () => {
    const s = await fake(line({ type: 'started', file: '/tmp/y.pcapng', linkType: 1 }) + line({ type: 'stats', packets: 3, bytes: 180 }) + 'setTimeout(() => process.exit(7), 100)');
    const events: CaptureEvent[] = [];
    s.on((e) => events.push(e));
    const st = await s.done;
    assert.equal(st.packets, 3);
    assert.deepEqual(events.map((e) => e.type), ['started', 'stats', 'error', 'stopped']);
    const err = events[2]!;
    assert.ok(err.type === 'error' && /ended unexpectedly \(exit code 7\); the file is complete up to its last flush/.test(err.message));
    const stopped = events[3]!;
    assert.ok(stopped.type === 'stopped' && stopped.reason === 'error');
  });

  it('errors after start become error events; a listener that throws does not stop the others', async () => {
    const s = await fake(line({ type: 'started', file: '/tmp/z.pcapng', linkType: 1 }) + 'setTimeout(() => {' + line({ type: 'error', code: 'io', message: 'Could not write to "/tmp/z.pcapng": No space left on device' }) + line({ type: 'stopped', reason: 'error', packets: 1 }) + '}, 100)');
    const seen: string[] = [];
    s.on(() => {
      throw new Error('listener bug');
    });
    s.on((e) => seen.push(e.type === 'error' ? `error:${e.code}:${e.message}` : e.type));
    await s.done;
    assert.deepEqual(seen, ['started', 'error:io:Could not write to "/tmp/z.pcapng": No space left on device', 'stopped']);
  });
});

describe('native helper command line', () => {
  it('maps CaptureOptions to dumpcap-style options', () => {
    assert.deepEqual(helperArgs({ iface: 'eth0', output: '/tmp/a.pcapng' }), ['-i', 'eth0', '-w', '/tmp/a.pcapng', '--watch-stdin']);
    assert.deepEqual(
      helperArgs({ iface: 'any', output: 'o.pcapng', filter: 'port 53', snaplen: 128, promisc: false, bufferMB: 8, ring: { filesizeKB: 1000, files: 5, durationSec: 60 }, stop: { packets: 10, durationSec: 30, filesizeKB: 5000, files: 7 } }),
      ['-i', 'any', '-w', 'o.pcapng', '--watch-stdin', '-f', 'port 53', '-s', '128', '-p', '-B', '8', '-c', '10', '-a', 'duration:30', '-a', 'filesize:5000', '-a', 'files:7', '-b', 'filesize:1000', '-b', 'files:5', '-b', 'duration:60'],
    );
  });
});

describe('capture error messages', () => {
  const ctx = { iface: 'eth9', filter: 'tcp port', backend: 'native' as const, binary: '/x/pktscope-capture' };
  it('no such device points at pktscope -D', () => {
    const e = captureError({ code: 'no-such-device', message: 'No such device exists' }, ctx);
    assert.equal(e.code, 'no-such-device');
    assert.equal(e.message, "There is no interface named 'eth9' (libpcap: No such device exists).");
    assert.equal(e.hint, "List the interfaces with 'pktscope -D'.");
  });
  it('the cap backend names the Node.js runtime as the binary to grant', () => {
    const e = captureError({ code: 'privilege', message: 'socket: Operation not permitted' }, { ...ctx, backend: 'cap', binary: '/usr/bin/node' });
    assert.match(e.message, /the cap backend \(\/usr\/bin\/node\) runs without them/);
    assert.match(e.hint!, /sudo setcap cap_net_raw,cap_net_admin=eip \/usr\/bin\/node/);
  });
  it('an interface that is down says how to bring it up', () => {
    const e = captureError({ code: 'not-up', message: "eth9: That device is not up" }, ctx);
    assert.equal(e.hint, "Bring it up first, e.g. 'ip link set eth9 up'.");
  });
});
