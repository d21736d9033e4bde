// SSH (RFC 4253) on TCP port 22: the protocol version banner, the clear-text binary packets
// of the key exchange (packet length, padding length, message code) when the banner of that
// direction was seen, and encrypted packets afterwards (or when the start was not captured).

import { field, protocol } from '../core/registry.ts';
import type { PacketContext } from '../core/context.ts';

const messageCodes: Record<number, string> = {
  1: 'Disconnect', 2: 'Ignore', 3: 'Unimplemented', 4: 'Debug', 5: 'Service Request', 6: 'Service Accept',
  20: 'Key Exchange Init', 21: 'New Keys',
  30: 'Diffie-Hellman Key Exchange Init', 31: 'Diffie-Hellman Key Exchange Reply',
  32: 'Diffie-Hellman Group Exchange Init', 33: 'Diffie-Hellman Group Exchange Reply', 34: 'Diffie-Hellman Group Exchange Request',
  50: 'User Authentication Request', 51: 'User Authentication Failure', 52: 'User Authentication Success', 53: 'User Authentication Banner',
  80: 'Global Request', 81: 'Request Success', 82: 'Request Failure',
  90: 'Channel Open', 91: 'Channel Open Confirmation', 92: 'Channel Open Failure', 93: 'Window Adjust', 94: 'Channel Data',
  95: 'Channel Extended Data', 96: 'Channel EOF', 97: 'Channel Close', 98: 'Channel Request', 99: 'Channel Success', 100: 'Channel Failure',
};

const f = {
  protocol: field('ssh.protocol', 'Protocol', 'string'),
  packetLength: field('ssh.packet_length', 'Packet Length', 'uint32'),
  packetLengthEncrypted: field('ssh.packet_length_encrypted', 'Packet Length (encrypted)', 'bytes'),
  paddingLength: field('ssh.padding_length', 'Padding Length', 'uint8'),
  messageCode: field('ssh.message_code', 'Message Code', 'uint8', { values: messageCodes }),
  payload: field('ssh.payload', 'Payload', 'bytes'),
  paddingString: field('ssh.padding_string', 'Padding String', 'bytes'),
  encryptedPacket: field('ssh.encrypted_packet', 'Encrypted Packet', 'bytes'),
  direction: field('ssh.direction', 'Direction', 'bool', { trueFalse: ['server-to-client', 'client-to-server'] }),
};

interface Flow {
  /** Frame that carried this direction's banner (0: not seen). */
  banner: number;
  /** Frame from which this direction is encrypted (after New Keys); Infinity while in clear. */
  encryptedFrom: number;
}

class SshState {
  readonly flows = new Map<string, Flow>();
}

function flowOf(ctx: PacketContext): Flow {
  const st = ctx.session.slot('ssh', () => new SshState());
  const key = `${ctx.netSrc?.bytes.join('.')}:${ctx.srcPort}>${ctx.netDst?.bytes.join('.')}:${ctx.dstPort}`;
  let fl = st.flows.get(key);
  if (!fl) st.flows.set(key, (fl = { banner: 0, encryptedFrom: Infinity }));
  return fl;
}

/** Upper bound on SSH packets parsed out of one segment. */
const MAX_PACKETS = 64;

export default protocol({
  abbrev: 'ssh',
  name: 'SSH Protocol',
  short: 'SSH',
  fields: f,
  register(r) {
    r.table('tcp.port', 22);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const server = ctx.srcPort === 22 || (ctx.dstPort !== 22 && ctx.srcPort < ctx.dstPort);
    const fl = flowOf(ctx);
    const parts: string[] = [];
    const len = c.remaining(o);
    if (c.has(o, 4) && c.ascii(o, 4) === 'SSH-') {
      const le = c.lineEnd(o);
      const end = le ? le.eol : c.end;
      const banner = c.ascii(o, end - o);
      tree.add(f.protocol, c, o, end - o, { value: banner, label: `Protocol: ${banner}` });
      if (!fl.banner || fl.banner >= ctx.frame.number) fl.banner = ctx.frame.number;
      parts.push(`Protocol (${banner})`);
    } else if (fl.banner && fl.banner < ctx.frame.number && ctx.frame.number <= fl.encryptedFrom) {
      let p = o;
      for (let i = 0; i < MAX_PACKETS && p < c.end; i++) {
        const plen = c.u32(p);
        tree.add(f.packetLength, c, p, 4);
        const pad = c.u8(p + 4);
        tree.add(f.paddingLength, c, p + 4, 1);
        const code = c.u8(p + 5);
        tree.add(f.messageCode, c, p + 5, 1);
        const payloadLen = plen - pad - 2;
        if (payloadLen > 0) tree.add(f.payload, c, p + 6, Math.min(payloadLen, c.remaining(p + 6)));
        if (pad > 0 && payloadLen >= 0) tree.add(f.paddingString, c, p + 5 + 1 + payloadLen, pad);
        parts.push(messageCodes[code] ?? `Unknown (${code})`);
        p += 4 + plen;
        if (code === 21) {
          if (fl.encryptedFrom === Infinity) fl.encryptedFrom = ctx.frame.number;
          if (p < c.end) {
            tree.add(f.encryptedPacket, c, p, c.end - p);
            parts.push(`Encrypted packet (len=${c.end - p})`);
          }
          break;
        }
      }
    } else {
      if (c.has(o, 4)) tree.add(f.packetLengthEncrypted, c, o, 4);
      tree.add(f.encryptedPacket, c, o, len);
      parts.push(`Encrypted packet (len=${len})`);
    }
    tree.generated(f.direction, server, `[Direction: ${server ? 'server-to-client' : 'client-to-server'}]`);
    // tshark: the dissector clears Info (TCP's analysis notes stay), prepends the side and
    // appends its messages after `, `.
    const info = ctx.columns.info;
    const portsAt = info.indexOf(`${ctx.srcPort} \u2192 ${ctx.dstPort}`);
    const kept = portsAt > 0 ? info.slice(0, portsAt) : '';
    ctx.setInfo(`${server ? 'Server' : 'Client'}: ${kept}${kept ? ', ' : ''}${parts.join(', ')}`);
    return len;
  },
});
