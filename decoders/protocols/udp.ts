// User Datagram Protocol (RFC 768), as tshark 4.0 shows it: ports, length checks, checksum
// left unverified (tshark's default), stream index per conversation, and the payload handed to
// the lower port first, then the higher, then heuristics, then data.

import { field, protocol } from '../core/registry.ts';
import type { PacketContext } from '../core/context.ts';
import { formatNsTime } from '../core/format.ts';
import { frameTimeNs } from '../core/dissect.ts';
import { conversationKey } from '../streams/conversation.ts';
import { addChecksum, inetChecksum, IN_ERROR_PACKET, pseudoHeaderSum } from './ip-shared.ts';

const checksumStatus = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };

const f = {
  srcport: field('udp.srcport', 'Source Port', 'uint16'),
  dstport: field('udp.dstport', 'Destination Port', 'uint16'),
  port: field('udp.port', 'Source or Destination Port', 'uint16'),
  length: field('udp.length', 'Length', 'uint16'),
  checksum: field('udp.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: field('udp.checksum.status', 'Checksum Status', 'uint8', { values: checksumStatus }),
  stream: field('udp.stream', 'Stream index', 'uint32'),
  timeRelative: field('udp.time_relative', 'Time since first frame', 'rel_time'),
  timeDelta: field('udp.time_delta', 'Time since previous frame', 'rel_time'),
  payload: field('udp.payload', 'Payload', 'bytes'),
};

interface UdpConv {
  stream: number;
  first: bigint;
  last: bigint;
}

interface UdpFrame {
  stream: number;
  rel: bigint;
  delta: bigint;
}

class UdpState {
  readonly convs = new Map<string, UdpConv>();
  readonly frames = new Map<string, UdpFrame>();
  streams = 0;
}

function frameInfo(ctx: PacketContext, sport: number, dport: number): UdpFrame {
  const st = ctx.session.slot('udp', () => new UdpState());
  const layer = ((ctx.scratch.get('udp.layer') as number | undefined) ?? 0) + 1;
  ctx.scratch.set('udp.layer', layer);
  // A single pass (the CLI) never comes back to a frame: nothing to look up or keep per frame.
  const key = ctx.session.singlePass ? '' : `${ctx.frame.number}:${layer}`;
  let r = key ? st.frames.get(key) : undefined;
  if (r) return r;
  const k = conversationKey('udp', ctx.netSrc, sport, ctx.netDst, dport).key;
  const t = frameTimeNs(ctx.frame);
  let conv = st.convs.get(k);
  if (!conv) {
    conv = { stream: st.streams++, first: t, last: t };
    st.convs.set(k, conv);
  }
  r = { stream: conv.stream, rel: t - conv.first, delta: t - conv.last };
  conv.last = t;
  if (key) st.frames.set(key, r);
  return r;
}

export default protocol({
  abbrev: 'udp',
  name: 'User Datagram Protocol',
  short: 'UDP',
  fields: f,
  register(r) {
    r.table('ip.proto', 17);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const sport = c.u16(o);
    const dport = c.u16(o + 2);
    ctx.srcPort = sport;
    ctx.dstPort = dport;
    ctx.setInfo(`${sport} \u2192 ${dport}`);
    if (tree.owner && ctx.buildTree) tree.owner.label = `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`;
    tree.add(f.srcport, c, o, 2);
    tree.add(f.dstport, c, o + 2, 2);
    tree.hidden(f.port, c, o, 2);
    tree.hidden(f.port, c, o + 2, 2);
    const ulen = c.u16(o + 4);
    const reported = c.reportedRemaining(o);
    const lenNode = tree.add(f.length, c, o + 4, 2);
    let payloadLen: number;
    if (ulen < 8) {
      // A zero length on a jumbogram means "look at the IP payload length".
      if (ulen === 0 && reported >= 65536) payloadLen = reported - 8;
      else {
        lenNode.label = `Length: ${ulen} (bogus, must be at least 8)`;
        tree.expert('error', 'malformed', `Bad length value ${ulen} < 8`, c, o + 4, 2);
        ctx.appendInfo(`[BAD UDP LENGTH ${ulen} < 8]`);
        ctx.malformed = true;
        return Math.min(8, c.remaining(o));
      }
    } else if (ulen > reported && (ctx.scratch.get('icmp.inErrorPacket') === true || ctx.scratch.get('ip.fragmented') === true)) {
      // A datagram quoted by an ICMP error, or the first fragment of one not reassembled: short on purpose.
      payloadLen = Math.max(0, reported - 8);
    } else if (ulen > reported) {
      lenNode.label = `Length: ${ulen} (bogus, payload length ${reported})`;
      tree.expert('error', 'malformed', `Bad length value ${ulen} > IP payload length`, c, o + 4, 2);
      ctx.malformed = true;
      payloadLen = Math.max(0, reported - 8);
    } else {
      payloadLen = ulen - 8;
    }
    const bad = ulen > reported && ctx.scratch.get('icmp.inErrorPacket') !== true && ctx.scratch.get('ip.fragmented') !== true;
    ctx.setInfo(`${sport} \u2192 ${dport}` + (bad ? ` [BAD UDP LENGTH ${ulen} > IP PAYLOAD LENGTH]` : '') + ` Len=${ulen >= 8 ? ulen - 8 : payloadLen}`);

    const ck = c.u16(o + 6);
    if (ck === 0) {
      if (ctx.netSrc?.kind === 'ipv6') {
        tree.add(f.checksum, c, o + 6, 2, { label: 'Checksum: 0x0000 [illegal]' });
        tree.generated(f.checksumStatus, 4, '[Checksum Status: Illegal]');
        tree.expert('error', 'checksum', 'Illegal checksum value (0)', c, o + 6, 2);
      } else {
        tree.add(f.checksum, c, o + 6, 2, { label: 'Checksum: 0x0000 [zero-value ignored]' });
        tree.generated(f.checksumStatus, 3, '[Checksum Status: Not present]');
      }
    } else {
      // Verified over the pseudo-header when the whole datagram is here (not in a quoted ICMP error).
      const whole = ulen >= 8 && ulen <= c.remaining(o) && ctx.buildTree && ctx.scratch.get(IN_ERROR_PACKET) !== true;
      const pseudo = whole ? pseudoHeaderSum(ctx, 17, ulen) : null;
      addChecksum(tree, c, o + 6, f.checksum, f.checksumStatus, 'Checksum', pseudo === null ? null : inetChecksum(c.bytes(o, ulen), pseudo));
    }
    const r = frameInfo(ctx, sport, dport);
    ctx.scratch.set('udp.stream', r.stream);
    tree.generated(f.stream, r.stream, `[Stream index: ${r.stream}]`);
    tree.generated(f.timeRelative, r.rel, `[Time since first frame: ${formatNsTime(r.rel)} seconds]`);
    tree.generated(f.timeDelta, r.delta, `[Time since previous frame: ${formatNsTime(r.delta)} seconds]`);

    const end = o + 8 + payloadLen;
    if (payloadLen <= 0) return Math.min(8, c.remaining(o));
    const captured = Math.max(0, Math.min(payloadLen, c.remaining(o + 8)));
    if (captured > 0) tree.add(f.payload, c, o + 8, captured, { label: () => `UDP payload (${payloadLen} byte${payloadLen === 1 ? '' : 's'})` });
    const payload = c.sub(o + 8, payloadLen);
    let n = ctx.callPorts('udp.port', sport, dport, payload, tree);
    if (n < 0) n = ctx.callHeuristics('udp', payload, tree);
    if (n < 0) ctx.callData(payload, tree);
    return Math.min(end, c.end) - o;
  },
});
