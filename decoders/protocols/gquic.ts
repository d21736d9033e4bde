// Google QUIC (gQUIC, versions Q0xx) on UDP: the public header (flags, connection id,
// version, packet number) and, for unencrypted handshake packets, the message
// authentication hash, private flags and the first STREAM frame's handshake tag (CHLO,
// SHLO, REJ). Found by a heuristic on the client's versioned packets; the rest of that
// conversation follows. Info as tshark: `Client Hello, PKN: 1, CID: 1426860172352768584`.

import { field, protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';

const tags: Record<string, string> = { CHLO: 'Client Hello', SHLO: 'Server Hello', 'REJ\0': 'Rejection', SCFG: 'Server Config', PRST: 'Public Reset' };

const f = {
  puflags: field('gquic.puflags', 'Public Flags', 'uint8', { base: 'hex' }),
  pfVersion: field('gquic.puflags.version', 'Version', 'bool', { bitmask: 0x01, bitWidth: 8, trueFalse: ['Yes', 'No'] }),
  pfReset: field('gquic.puflags.reset', 'Reset', 'bool', { bitmask: 0x02, bitWidth: 8, trueFalse: ['Yes', 'No'] }),
  pfCid: field('gquic.puflags.cid', 'CID Length', 'bool', { bitmask: 0x08, bitWidth: 8, trueFalse: ['8 Bytes', '0 Byte'] }),
  pfPkn: field('gquic.puflags.pkn', 'Packet Number Length', 'uint8', { base: 'hex', bitmask: 0x30, bitWidth: 8, values: { 0: '1 Byte', 1: '2 Bytes', 2: '4 Bytes', 3: '6 Bytes' } }),
  pfMpth: field('gquic.puflags.mpth', 'Multipath', 'bool', { bitmask: 0x40, bitWidth: 8, trueFalse: ['Yes', 'No'] }),
  pfRsv: field('gquic.puflags.rsv', 'Reserved', 'uint8', { base: 'hex', bitmask: 0x80, bitWidth: 8 }),
  cid: field('gquic.cid', 'CID', 'uint64'),
  version: field('gquic.version', 'Version', 'string'),
  packetNumber: field('gquic.packet_number', 'Packet Number', 'uint64'),
  mah: field('gquic.message_authentication_hash', 'Message Authentication Hash', 'bytes'),
  prflags: field('gquic.prflags', 'Private Flags', 'uint8', { base: 'hex' }),
  frameType: field('gquic.frame_type', 'Frame Type', 'uint8', { base: 'hex' }),
  streamId: field('gquic.stream_id', 'Stream ID', 'uint32'),
  tag: field('gquic.tag', 'Tag', 'string'),
  payload: field('gquic.payload', 'Payload', 'bytes'),
};

class GquicState {
  /** Conversations (`a:port|b:port`, sorted) known to be gQUIC. */
  readonly convs = new Set<string>();
  readonly versions = new Map<string, string>();
}

function convKey(ctx: PacketContext): string {
  const a = `${ctx.netSrc?.bytes.join('.')}:${ctx.srcPort}`;
  const b = `${ctx.netDst?.bytes.join('.')}:${ctx.dstPort}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** A versioned client packet: flags with version bit and 8-byte CID, then `Q0nn`. */
function versioned(c: Cursor): boolean {
  const o = c.start;
  if (!c.has(o, 13)) return false;
  const flags = c.u8(o);
  if ((flags & 0x89) !== 0x09) return false;
  return c.u8(o + 9) === 0x51 && c.u8(o + 10) === 0x30 && c.u8(o + 11) >= 0x30 && c.u8(o + 11) <= 0x39 && c.u8(o + 12) >= 0x30 && c.u8(o + 12) <= 0x39;
}

export default protocol({
  abbrev: 'gquic',
  name: 'GQUIC (Google Quick UDP Internet Connections)',
  short: 'GQUIC',
  fields: f,
  register(r) {
    r.heuristic('udp', (c, ctx) => versioned(c) || ctx.session.slot('gquic', () => new GquicState()).convs.has(convKey(ctx)));
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const st = ctx.session.slot('gquic', () => new GquicState());
    const flags = c.u8(o);
    const ft = tree.addTree(f.puflags, c, o, 1);
    for (const d of [f.pfVersion, f.pfReset, f.pfCid, f.pfPkn, f.pfMpth, f.pfRsv]) ft.add(d, c, o, 1);
    let p = o + 1;
    // Versions before Q039 write the CID and packet number little-endian.
    let version = flags & 0x01 && c.has(p + (flags & 0x08 ? 8 : 0), 4) ? c.ascii(p + (flags & 0x08 ? 8 : 0), 4) : '';
    const known = version || st.versions.get(convKey(ctx)) || '';
    const bigEndian = known >= 'Q039';
    let cid: bigint | null = null;
    if (flags & 0x08) {
      cid = bigEndian ? c.u64(p) : c.view.getBigUint64((c.check(p, 8), p), true);
      tree.add(f.cid, c, p, 8, { value: cid });
      p += 8;
    }
    if (flags & 0x01) {
      version = c.ascii(p, 4);
      tree.add(f.version, c, p, 4);
      p += 4;
      st.convs.add(convKey(ctx));
      st.versions.set(convKey(ctx), version);
    }
    const pknLen = [1, 2, 4, 6][(flags >> 4) & 3]!;
    let pkn = 0;
    for (let i = 0; i < pknLen; i++) pkn = pkn * 256 + c.u8(p + pknLen - 1 - i);
    if (bigEndian) {
      pkn = 0;
      for (let i = 0; i < pknLen; i++) pkn = pkn * 256 + c.u8(p + i);
    }
    tree.add(f.packetNumber, c, p, pknLen, { value: BigInt(pkn) });
    p += pknLen;
    let message = 'Payload (Encrypted)';
    if (flags & 0x01) {
      tree.add(f.mah, c, p, 12);
      p += 12;
      if (version < 'Q034') {
        tree.add(f.prflags, c, p, 1);
        p += 1;
      }
      const type = c.u8(p);
      tree.add(f.frameType, c, p, 1);
      if (type & 0x80) {
        const sidLen = (type & 0x03) + 1;
        const offLenCode = (type >> 2) & 0x07;
        const offLen = offLenCode === 0 ? 0 : offLenCode + 1;
        let q = p + 1;
        let sid = 0;
        for (let i = 0; i < sidLen; i++) sid += c.u8(q + i) * 256 ** i;
        tree.add(f.streamId, c, q, sidLen, { value: sid });
        q += sidLen + offLen + (type & 0x20 ? 2 : 0);
        const tag = c.ascii(q, 4);
        tree.add(f.tag, c, q, 4, { value: tag });
        if (tags[tag]) message = tags[tag];
      }
    } else if (c.remaining(p) > 0) tree.add(f.payload, c, p, c.remaining(p));
    ctx.setInfo(`${message}, PKN: ${pkn}${cid !== null ? `, CID: ${cid}` : ''}`);
    return c.remaining(o);
  },
});
