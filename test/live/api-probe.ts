// Run inside a test namespace by capture-api.test.ts: drives the capture API (not the CLI)
// and prints what it saw as JSON lines. Usage: api-probe.ts '<CaptureOptions JSON>' [stopAfterMs]
import { startCapture, listInterfaces, CaptureError, type CaptureOptions } from '../../electron/capture/index.ts';

const opts = JSON.parse(process.argv[2]!) as CaptureOptions;
const stopAfter = Number(process.argv[3] ?? 0);
const print = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');

print({ type: 'interfaces', list: await listInterfaces() });
try {
  const s = await startCapture(opts);
  s.on((e) => print({ type: 'event', event: e }));
  print({ type: 'ready' });
  if (stopAfter) setTimeout(() => void s.stop().then((st) => print({ type: 'stop-resolved', stats: st })), stopAfter);
  const st = await s.done;
  print({ type: 'done', stats: st });
} catch (e) {
  if (!(e instanceof CaptureError)) throw e;
  print({ type: 'rejected', code: e.code, message: e.message, hint: e.hint });
}
