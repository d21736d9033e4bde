// WireGuard on UDP port 51820 (and by heuristic): the four message types with their
// sender/receiver indexes, ephemeral keys, counters and encrypted fields.

import { field, protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';

const types: Record<number, string> = { 1: 'Handshake Initiation', 2: 'Handshake Response', 3: 'Cookie Reply', 4: 'Transport Data' };

const f = {
  type: field('wg.type', 'Type', 'uint8', { values: types }),
  reserved: field('wg.reserved', 'Reserved', 'none'),
  sender: field('wg.sender', 'Sender', 'uint32', { base: 'hex' }),
  receiver: field('wg.receiver', 'Receiver', 'uint32', { base: 'hex' }),
  ephemeral: field('wg.ephemeral', 'Ephemeral', 'string'),
  encryptedStatic: field('wg.encrypted_static', 'Encrypted Static', 'bytes'),
  encryptedTimestamp: field('wg.encrypted_timestamp', 'Encrypted Timestamp', 'bytes'),
  encryptedEmpty: field('wg.encrypted_empty', 'Encrypted Empty', 'bytes'),
  mac1: field('wg.mac1', 'mac1', 'bytes'),
  mac2: field('wg.mac2', 'mac2', 'bytes'),
  nonce: field('wg.nonce', 'Nonce', 'bytes'),
  encryptedCookie: field('wg.encrypted_cookie', 'Encrypted Cookie', 'bytes'),
  counter: field('wg.counter', 'Counter', 'uint64'),
  encryptedPacket: field('wg.encrypted_packet', 'Encrypted Packet', 'bytes'),
};

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function base64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (i + 1 < b.length ? B64[(n >> 6) & 63]! : '=') + (i + 2 < b.length ? B64[n & 63]! : '=');
  }
  return s;
}

const hex8 = (n: number): string => '0x' + n.toString(16).toUpperCase().padStart(8, '0');

/** Exact message sizes by type (transport data: at least 32, a multiple of 16). */
function plausible(c: Cursor): boolean {
  const o = c.start;
  const len = c.reportedRemaining(o);
  if (!c.has(o, 4) || c.u8(o + 1) !== 0 || c.u16(o + 2) !== 0) return false;
  switch (c.u8(o)) {
    case 1: return len === 148;
    case 2: return len === 92;
    case 3: return len === 64;
    case 4: return len >= 32 && len % 16 === 0;
    default: return false;
  }
}

export default protocol({
  abbrev: 'wg',
  name: 'WireGuard Protocol',
  short: 'WireGuard',
  fields: f,
  register(r) {
    r.table('udp.port', 51820);
    r.heuristic('udp', (c) => plausible(c));
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const type = c.u8(o);
    tree.add(f.type, c, o, 1);
    tree.add(f.reserved, c, o + 1, 3, { label: 'Reserved: 000000' });
    let info = types[type] ?? 'Unknown';
    const key = (at: number): void => { tree.add(f.ephemeral, c, at, 32, { value: base64(c.bytes(at, 32)) }); };
    switch (type) {
      case 1:
        tree.add(f.sender, c, o + 4, 4, { le: true });
        info += `, sender=${hex8(c.u32le(o + 4))}`;
        key(o + 8);
        tree.add(f.encryptedStatic, c, o + 40, 48);
        tree.add(f.encryptedTimestamp, c, o + 88, 28);
        tree.add(f.mac1, c, o + 116, 16);
        tree.add(f.mac2, c, o + 132, 16);
        break;
      case 2:
        tree.add(f.sender, c, o + 4, 4, { le: true });
        tree.add(f.receiver, c, o + 8, 4, { le: true });
        info += `, sender=${hex8(c.u32le(o + 4))}, receiver=${hex8(c.u32le(o + 8))}`;
        key(o + 12);
        tree.add(f.encryptedEmpty, c, o + 44, 16);
        tree.add(f.mac1, c, o + 60, 16);
        tree.add(f.mac2, c, o + 76, 16);
        break;
      case 3:
        tree.add(f.receiver, c, o + 4, 4, { le: true });
        info += `, receiver=${hex8(c.u32le(o + 4))}`;
        tree.add(f.nonce, c, o + 8, 24);
        tree.add(f.encryptedCookie, c, o + 32, 32);
        break;
      case 4: {
        tree.add(f.receiver, c, o + 4, 4, { le: true });
        tree.add(f.counter, c, o + 8, 8, { le: true, value: c.has(o + 8, 8) ? c.view.getBigUint64(o + 8, true) : null });
        const dlen = c.reportedRemaining(o + 16);
        info += `, receiver=${hex8(c.u32le(o + 4))}, counter=${c.view.getBigUint64(o + 8, true)}, datalen=${dlen - 16}`;
        tree.add(f.encryptedPacket, c, o + 16, Math.min(dlen, c.remaining(o + 16)));
        break;
      }
    }
    ctx.setInfo(info);
    return c.remaining(o);
  },
});
