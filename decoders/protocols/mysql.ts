// MySQL client/server protocol on TCP port 3306: packet length/number of every packet in the
// segment, the server greeting (protocol, version, thread id, capabilities), login requests,
// commands and OK/EOF/error responses. Info as tshark: `Server Greeting  proto=10 version=...`,
// `Request Query`, `Response  OK`.

import { field, protocol } from '../core/registry.ts';
import type { PacketContext } from '../core/context.ts';

const commands: Record<number, string> = {
  0: 'SLEEP', 1: 'Quit', 2: 'Use Database', 3: 'Query', 4: 'Show Fields', 5: 'Create Database', 6: 'Drop Database', 7: 'Refresh',
  8: 'Shutdown', 9: 'Statistics', 10: 'Process List', 11: 'Connect', 12: 'Kill Server Thread', 13: 'Dump Debuginfo', 14: 'Ping',
  15: 'Time', 16: 'Insert Delayed', 17: 'Change User', 18: 'Send Binlog', 19: 'Send Table', 20: 'Slave Connect', 21: 'Register Slave',
  22: 'Prepare Statement', 23: 'Execute Statement', 24: 'Send BLOB', 25: 'Close Statement', 26: 'Reset Statement', 27: 'Set Option', 28: 'Fetch Data',
};

const f = {
  packetLength: field('mysql.packet_length', 'Packet Length', 'uint24'),
  packetNumber: field('mysql.packet_number', 'Packet Number', 'uint8'),
  protocol: field('mysql.protocol', 'Protocol', 'uint8'),
  version: field('mysql.version', 'Version', 'string'),
  threadId: field('mysql.thread_id', 'Thread ID', 'uint32'),
  capsServer: field('mysql.caps.server', 'Server Capabilities', 'uint16', { base: 'hex' }),
  capsClient: field('mysql.caps.client', 'Client Capabilities', 'uint16', { base: 'hex' }),
  user: field('mysql.user', 'Username', 'string'),
  command: field('mysql.command', 'Command', 'uint8', { values: commands }),
  query: field('mysql.query', 'Statement', 'string'),
  responseCode: field('mysql.response_code', 'Response Code', 'uint8', { base: 'hex', values: { 0x00: 'OK Packet', 0xfe: 'EOF Packet', 0xff: 'ERR Packet' } }),
  errorCode: field('mysql.error_code', 'Error Code', 'uint16'),
  payload: field('mysql.payload', 'Payload', 'bytes'),
};

class MysqlState {
  /** Conversations (server address:port) whose greeting was seen, by frame. */
  readonly greeting = new Map<string, number>();
  /** Conversations switched to TLS after the client's SSL request, by that request's frame. */
  readonly tlsFrom = new Map<string, number>();
}

function serverKey(ctx: PacketContext, fromServer: boolean): string {
  const s = fromServer ? `${ctx.netSrc?.bytes.join('.')}:${ctx.srcPort}` : `${ctx.netDst?.bytes.join('.')}:${ctx.dstPort}`;
  const cl = fromServer ? `${ctx.netDst?.bytes.join('.')}:${ctx.dstPort}` : `${ctx.netSrc?.bytes.join('.')}:${ctx.srcPort}`;
  return `${s}<${cl}`;
}

const MAX_PACKETS = 512;

export default protocol({
  abbrev: 'mysql',
  name: 'MySQL Protocol',
  short: 'MySQL',
  fields: f,
  register(r) {
    r.table('tcp.port', 3306);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const st = ctx.session.slot('mysql', () => new MysqlState());
    const fromServer = ctx.srcPort === 3306;
    const conv = serverKey(ctx, fromServer);
    const tlsFrom = st.tlsFrom.get(conv);
    if (tlsFrom !== undefined && ctx.frame.number > tlsFrom && ctx.registry.protocol('tls')) {
      // STARTTLS: from here on the conversation is TLS; tshark lists only `tls` for it.
      const at = ctx.protocols.lastIndexOf('mysql');
      if (at >= 0) ctx.protocols.splice(at, 1);
      if (tree.owner) tree.owner.label = 'MySQL Protocol (TLS follows)';
      return ctx.callProtocol('tls', c.sub(o), tree);
    }
    let info = '';
    let p = o;
    for (let i = 0; i < MAX_PACKETS && c.reportedRemaining(p) >= 4; i++) {
      const len = c.u8(p) | (c.u8(p + 1) << 8) | (c.u8(p + 2) << 16);
      if (ctx.canDesegment && c.remaining(p) < 4 + len) {
        // The packet continues in the next segment: ask TCP for the rest.
        ctx.desegmentOffset = p;
        ctx.desegmentLen = 4 + len - c.remaining(p);
        break;
      }
      const num = c.u8(p + 3);
      tree.add(f.packetLength, c, p, 3, { le: true });
      tree.add(f.packetNumber, c, p + 3, 1);
      const q = p + 4;
      const end = Math.min(q + len, c.end);
      if (fromServer) {
        const first = c.u8(q);
        if (num === 0 && first === 10 && i === 0) {
          const z = c.find(q + 1, 0, end);
          const version = c.ascii(q + 1, (z < 0 ? end : z) - q - 1);
          tree.add(f.protocol, c, q, 1);
          tree.add(f.version, c, q + 1, version.length + 1, { value: version });
          if (z >= 0 && c.has(z + 1, 4)) tree.add(f.threadId, c, z + 1, 4, { le: true });
          if (z >= 0 && c.has(z + 14, 2)) tree.add(f.capsServer, c, z + 14, 2, { le: true });
          if (!st.greeting.has(conv) || ctx.frame.number < st.greeting.get(conv)!) st.greeting.set(conv, ctx.frame.number);
          info = `Server Greeting  proto=${first} version=${version} `;
        } else {
          if (!info) info = 'Response ';
          if (first === 0x00 || first === 0xfe) {
            tree.add(f.responseCode, c, q, 1);
            if (len < 9 || first === 0x00) info += ' OK ';
          } else if (first === 0xff) {
            tree.add(f.responseCode, c, q, 1);
            tree.add(f.errorCode, c, q + 1, 2, { le: true });
            info += ` Error ${c.u16le(q + 1)} `;
          } else if (len > 0) tree.add(f.payload, c, q, end - q);
        }
      } else {
        const greeted = (st.greeting.get(conv) ?? Infinity) < ctx.frame.number;
        if (num === 1 && greeted) {
          tree.add(f.capsClient, c, q, 2, { le: true });
          if (len === 32) {
            info = 'Response: SSL Handshake user= ';
            if (!ctx.visited && !st.tlsFrom.has(conv)) st.tlsFrom.set(conv, ctx.frame.number);
          }
          else {
            const z = c.find(q + 32, 0, end);
            const user = z < 0 ? '' : c.ascii(q + 32, z - q - 32);
            if (z >= 0) tree.add(f.user, c, q + 32, z - q - 32 + 1, { value: user });
            info = `Login Request user=${user} `;
          }
        } else {
          const cmd = c.u8(q);
          tree.add(f.command, c, q, 1);
          info = `Request ${commands[cmd] ?? `Unknown (${cmd})`} `;
          if (cmd === 3 && end > q + 1) tree.add(f.query, c, q + 1, end - q - 1);
          else if (end > q + 1) tree.add(f.payload, c, q + 1, end - q - 1);
        }
      }
      p = q + len;
    }
    if (info) ctx.setInfo(info);
    return c.remaining(o);
  },
});
