// The `cap` capture backend: a Node.js process that does nothing but capture with the npm
// `cap` binding and append pcapng blocks to a file, speaking the same JSON lines on stdout as
// the native helper (native/pktscope-capture.c). Used when that helper was not built.
//
// What `cap` 0.2.1 cannot give, and what this does about it:
// - no packet timestamps: each packet is stamped on arrival with process.hrtime (anchored to
//   the wall clock once), in this process that does nothing else;
// - no original length: the captured length is written as the original length;
// - no drop counters: stats say dropsKnown:false;
// - snaplen fixed at 65535, promiscuous mode always on: -s is applied when copying (the
//   original length stays the arrival length), -p gets a warning;
// - its one receive buffer is reused for every packet: each packet is copied out of it in the
//   'packet' callback, before anything asynchronous can run;
// - a Cap whose open() failed aborts the process when touched again: this process opens once
//   and exits on failure (the parent starts a fresh one per attempt).
//
// Usage: node cap-child.mjs '<CaptureOptions as JSON>'

import { createRequire } from 'node:module';
import { openSync, writeSync, closeSync, unlinkSync } from 'node:fs';
import { release, type as osType } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { setInterval } from 'node:timers';

const send = (o) => process.stdout.write(JSON.stringify(o) + '\n');

let opts;
try {
  opts = JSON.parse(process.argv[2] ?? '');
} catch {
  send({ type: 'error', code: 'other', message: 'cap-child: bad options' });
  process.exit(2);
}

let Cap;
try {
  ({ Cap } = createRequire(import.meta.url)('cap'));
} catch (e) {
  send({ type: 'error', code: 'helper-missing', message: `The cap module could not be loaded: ${e.message}` });
  process.exit(1);
}

const LINK = { NULL: 0, ETHERNET: 1, IEEE802_11_RADIO: 127, LINKTYPE_LINUX_SLL: 113, RAW: 101 };
const snaplen = opts.snaplen > 0 ? Math.min(opts.snaplen, 65535) : 65535;
const ringOn = !!(opts.ring?.filesizeKB || opts.ring?.files || opts.ring?.durationSec);
const stopAt = opts.stop ?? {};

// ---- the wall clock, once: wait for Date.now() to tick so the anchor is exact to ~1 µs
let anchor;
{
  const t0 = Date.now();
  let t = t0;
  while (t === t0) t = Date.now();
  anchor = BigInt(t) * 1000000n - process.hrtime.bigint();
}
const nowNs = () => anchor + process.hrtime.bigint();

// ---- pcapng
const CHUNK = 4 * 1024 * 1024;
let chunk = Buffer.allocUnsafe(CHUNK);
let used = 0;
let fd = -1;
let fileName = '';
let fileBytes = 0;
let totalBytes = 0;
let fileSeq = 0;
let fileStarted = 0;
const kept = [];
let linkType = 1;

function flush() {
  let off = 0;
  while (off < used) off += writeSync(fd, chunk, off, used - off);
  used = 0;
}

function reserve(n) {
  if (used + n > chunk.length) {
    flush();
    if (n > chunk.length) chunk = Buffer.allocUnsafe(n);
  }
}

function optionBytes(code, value) {
  const len = value.length;
  const b = Buffer.alloc(4 + ((len + 3) & ~3));
  b.writeUInt16LE(code, 0);
  b.writeUInt16LE(len, 2);
  value.copy(b, 4);
  return b;
}

function block(type, body) {
  const len = 12 + body.length;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  body.copy(b, 8);
  b.writeUInt32LE(len, len - 4);
  reserve(len);
  b.copy(chunk, used);
  used += len;
  fileBytes += len;
  totalBytes += len;
}

function headers() {
  const end = Buffer.alloc(4);
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeUInt16LE(0, 6);
  shb.writeBigInt64LE(-1n, 8);
  block(0x0a0d0d0a, Buffer.concat([shb, optionBytes(3, Buffer.from(`${osType()} ${release()}`)), optionBytes(4, Buffer.from('pktscope cap backend')), end]));
  const idb = Buffer.alloc(8);
  idb.writeUInt16LE(linkType, 0);
  idb.writeUInt32LE(snaplen, 4);
  const parts = [idb, optionBytes(2, Buffer.from(opts.iface))];
  if (opts.filter) parts.push(optionBytes(11, Buffer.concat([Buffer.from([0]), Buffer.from(opts.filter)])));
  parts.push(optionBytes(9, Buffer.from([9])), end);
  block(1, Buffer.concat(parts));
}

function ringName(seq) {
  const ext = extname(opts.output);
  const stem = ext ? opts.output.slice(0, -ext.length) : opts.output;
  const d = new Date();
  const p = (n, w = 2) => String(n).padStart(w, '0');
  const when = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
  return join(dirname(stem), `${basename(stem)}_${p(seq, 5)}_${when}${ext}`);
}

function openFile() {
  fileSeq++;
  fileName = ringOn ? ringName(fileSeq) : opts.output;
  try {
    fd = openSync(fileName, 'w');
  } catch (e) {
    // Node's "ENOENT: no such file or directory, open '...'" -> "No such file or directory", as strerror says it.
    const why = e.message.replace(/^E[A-Z]+: /, '').replace(/, open .*$/, '');
    send({ type: 'error', code: 'io', message: `The file "${fileName}" could not be created: ${why.charAt(0).toUpperCase()}${why.slice(1)}` });
    return false;
  }
  fileBytes = 0;
  fileStarted = Date.now();
  headers();
  flush();
  if (ringOn) {
    kept.push(fileName);
    if (opts.ring.files && kept.length > opts.ring.files) {
      const old = kept.shift();
      try {
        unlinkSync(old);
      } catch {
        // already gone
      }
      send({ type: 'deleted', file: old });
    }
  }
  return true;
}

function closeFile() {
  if (fd < 0) return;
  flush();
  closeSync(fd);
  fd = -1;
}

// ---- capture
let packets = 0;
let bytes = 0;
let stopping = false;
let switchPending = false;
const c = new Cap();
const rx = Buffer.alloc(65535);

const counters = () => ({ packets, bytes, fileBytes: totalBytes, dropped: 0, ifDropped: 0, dropsKnown: false });

function stop(reason) {
  if (stopping) return;
  stopping = true;
  try {
    c.close();
  } catch {
    // closing a handle that failed is what aborts; this one opened
  }
  try {
    closeFile();
  } catch (e) {
    send({ type: 'error', code: 'io', message: `Could not write to "${fileName}": ${e.message}` });
    reason = 'error';
  }
  send({ type: 'stopped', reason, ...counters() });
  process.exit(reason === 'error' ? 1 : 0);
}

function onPacket(nbytes) {
  const ts = nowNs();
  if (stopping) return;
  if (switchPending) {
    switchPending = false;
    closeFile();
    if (!openFile()) return stop('error');
    send({ type: 'file', file: fileName });
  }
  const caplen = Math.min(nbytes, snaplen);
  const padded = (caplen + 3) & ~3;
  const len = 32 + padded;
  reserve(len);
  const b = chunk;
  let o = used;
  b.writeUInt32LE(6, o);
  b.writeUInt32LE(len, o + 4);
  b.writeUInt32LE(0, o + 8);
  b.writeUInt32LE(Number(ts >> 32n), o + 12);
  b.writeUInt32LE(Number(ts & 0xffffffffn), o + 16);
  b.writeUInt32LE(caplen, o + 20);
  b.writeUInt32LE(nbytes, o + 24);
  // The copy out of cap's shared buffer, before anything asynchronous can overwrite it.
  rx.copy(b, o + 28, 0, caplen);
  o += 28 + caplen;
  b.fill(0, o, o + padded - caplen);
  b.writeUInt32LE(len, o + padded - caplen);
  used += len;
  fileBytes += len;
  totalBytes += len;
  packets++;
  bytes += caplen;
  if (stopAt.packets && packets >= stopAt.packets) return stop('packets');
  if (stopAt.filesizeKB && totalBytes >= stopAt.filesizeKB * 1000) return stop('filesize');
  if (opts.ring?.filesizeKB && fileBytes >= opts.ring.filesizeKB * 1000) {
    if (stopAt.files && fileSeq >= stopAt.files) return stop('filesize');
    switchPending = true;
  }
}

const warnings = [];
if (opts.promisc === false) warnings.push('The cap backend always captures in promiscuous mode (-p is ignored).');
if (opts.snaplen > 65535) warnings.push('The cap backend captures at most 65535 bytes per packet.');

let opened = false;
try {
  // cap opens in immediate mode with a 65535-byte snaplen: libpcap then uses one ring slot of
  // about 64 kB per packet, so a 10 MB buffer holds only ~150 packets and overflows (silently:
  // cap has no drop counters) at the first pause of a few ms. 64 MB holds ~1000.
  const lt = c.open(opts.iface, opts.filter ?? '', (opts.bufferMB || 64) * 1024 * 1024, rx);
  opened = true;
  linkType = LINK[lt] ?? (Number(/(\d+)/.exec(String(lt))?.[1]) || 1);
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  // Which step failed is not reported by cap: classify libpcap's message.
  let code = 'other';
  if (/permission|not permitted|EPERM|EACCES/i.test(message)) code = 'privilege';
  else if (/no such device|doesn't exist|SIOCGIFINDEX|SIOCGIFHWADDR/i.test(message)) code = 'no-such-device';
  else if (/is not up|isn't up/i.test(message)) code = 'not-up';
  else if (opts.filter) code = 'filter';
  for (const w of warnings) send({ type: 'warning', message: w });
  send({ type: 'error', code, message });
  // Never touch a Cap whose open failed (it aborts the process): just leave.
  process.exit(1);
}
void opened;

if (!openFile()) {
  stop('error');
} else {
  for (const w of warnings) send({ type: 'warning', message: w });
  send({ type: 'started', file: fileName, linkType, tsresol: 9, snaplen, backend: 'cap', pid: process.pid });
  c.on('packet', onPacket);
  const start = Date.now();
  let lastStats = start;
  let lastPackets = -1;
  setInterval(() => {
    if (stopping) return;
    const now = Date.now();
    try {
      flush();
    } catch (e) {
      send({ type: 'error', code: 'io', message: `Could not write to "${fileName}": ${e.message}` });
      return stop('error');
    }
    if (stopAt.durationSec && now - start >= stopAt.durationSec * 1000) return stop('duration');
    if (opts.ring?.durationSec && now - fileStarted >= opts.ring.durationSec * 1000) {
      if (stopAt.files && fileSeq >= stopAt.files) return stop('duration');
      switchPending = true;
    }
    if (packets !== lastPackets || now - lastStats >= 1000) {
      send({ type: 'stats', ...counters() });
      lastStats = now;
      lastPackets = packets;
    }
  }, 250);
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => stop('user'));
  // The parent's end of stdin closes when it dies: stop and keep what was captured.
  process.stdin.on('end', () => stop('user'));
  process.stdin.on('error', () => stop('user'));
  process.stdin.resume();
}
