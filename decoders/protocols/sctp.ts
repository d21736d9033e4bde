// SCTP (RFC 9260) on IP protocol 132: the common header and the chunks (type, flags, length)
// with the DATA, INIT/INIT_ACK and SACK fields. TSNs are shown relative to the first TSN of
// each direction, as tshark does. DATA payloads go to `sctp.ppi` (payload protocol id),
// then to `sctp.port` (lower port first).

import { field, protocol } from '../core/registry.ts';
import { malformed } from './malformed.ts';
import type { PacketContext } from '../core/context.ts';

const chunkTypes: Record<number, string> = {
  0: 'DATA', 1: 'INIT', 2: 'INIT_ACK', 3: 'SACK', 4: 'HEARTBEAT', 5: 'HEARTBEAT_ACK', 6: 'ABORT', 7: 'SHUTDOWN',
  8: 'SHUTDOWN_ACK', 9: 'ERROR', 10: 'COOKIE_ECHO', 11: 'COOKIE_ACK', 12: 'ECNE', 13: 'CWR', 14: 'SHUTDOWN_COMPLETE',
  15: 'AUTH', 64: 'I_DATA', 128: 'ASCONF_ACK', 130: 'RE_CONFIG', 132: 'PAD', 192: 'FORWARD_TSN', 193: 'ASCONF', 194: 'I_FORWARD_TSN',
};
const ppids: Record<number, string> = { 0: 'not specified', 1: 'IUA', 2: 'M2UA', 3: 'M3UA', 4: 'SUA', 5: 'M2PA', 6: 'V5UA', 7: 'H.248', 46: 'Diameter', 47: 'Diameter DTLS', 60: 'NGAP', 18: 'S1AP', 27: 'X2AP' };

const f = {
  srcport: field('sctp.srcport', 'Source port', 'uint16'),
  dstport: field('sctp.dstport', 'Destination port', 'uint16'),
  port: field('sctp.port', 'Port', 'uint16'),
  vtag: field('sctp.verification_tag', 'Verification tag', 'uint32', { base: 'hex' }),
  checksum: field('sctp.checksum', 'Checksum', 'uint32', { base: 'hex' }),
  chunk: field('sctp.chunk', 'Chunk', 'none'),
  chunkType: field('sctp.chunk_type', 'Chunk type', 'uint8', { values: chunkTypes }),
  chunkFlags: field('sctp.chunk_flags', 'Chunk flags', 'uint8', { base: 'hex' }),
  chunkLength: field('sctp.chunk_length', 'Chunk length', 'uint16'),
  eBit: field('sctp.data_e_bit', 'E-Bit', 'bool', { bitmask: 0x01, bitWidth: 8, trueFalse: ['Last segment', 'Not the last segment'] }),
  bBit: field('sctp.data_b_bit', 'B-Bit', 'bool', { bitmask: 0x02, bitWidth: 8, trueFalse: ['First segment', 'Subsequent segment'] }),
  uBit: field('sctp.data_u_bit', 'U-Bit', 'bool', { bitmask: 0x04, bitWidth: 8, trueFalse: ['Unordered delivery', 'Ordered delivery'] }),
  iBit: field('sctp.data_i_bit', 'I-Bit', 'bool', { bitmask: 0x08, bitWidth: 8, trueFalse: ['Send SACK immediately', 'Possibly delay SACK'] }),
  tsn: field('sctp.data_tsn', 'Transmission sequence number (relative)', 'uint32'),
  tsnRaw: field('sctp.data_tsn_raw', 'Transmission sequence number (absolute)', 'uint32'),
  sid: field('sctp.data_sid', 'Stream identifier', 'uint16', { base: 'hex' }),
  ssn: field('sctp.data_ssn', 'Stream sequence number', 'uint16'),
  ppid: field('sctp.data_payload_proto_id', 'Payload protocol identifier', 'uint32', { values: ppids }),
  initTag: field('sctp.init_initiate_tag', 'Initiate tag', 'uint32', { base: 'hex' }),
  initCredit: field('sctp.init_credit', 'Advertised receiver window credit (a_rwnd)', 'uint32'),
  initOut: field('sctp.init_nr_out_streams', 'Number of outbound streams', 'uint16'),
  initIn: field('sctp.init_nr_in_streams', 'Number of inbound streams', 'uint16'),
  initTsn: field('sctp.init_initial_tsn', 'Initial TSN', 'uint32'),
  sackAck: field('sctp.sack_cumulative_tsn_ack', 'Cumulative TSN ACK (relative)', 'uint32'),
  sackAckRaw: field('sctp.sack_cumulative_tsn_ack_raw', 'Cumulative TSN ACK (absolute)', 'uint32'),
  sackRwnd: field('sctp.sack_a_rwnd', 'Advertised receiver window credit (a_rwnd)', 'uint32'),
  sackGaps: field('sctp.sack_number_of_gap_blocks', 'Number of gap acknowledgement blocks', 'uint16'),
  sackDups: field('sctp.sack_number_of_duplicated_tsns', 'Number of duplicated TSNs', 'uint16'),
  paramType: field('sctp.parameter_type', 'Parameter type', 'uint16', { base: 'hex' }),
  paramLength: field('sctp.parameter_length', 'Parameter length', 'uint16'),
  paramValue: field('sctp.parameter_value', 'Parameter value', 'bytes'),
  heartbeatInfo: field('sctp.parameter_heartbeat_information', 'Heartbeat information', 'bytes'),
  cookie: field('sctp.cookie', 'Cookie', 'bytes'),
};

class SctpState {
  /** First TSN of each direction (`src:port>dst:port`). */
  readonly base = new Map<string, number>();
}

function dirKey(ctx: PacketContext, sport: number, dport: number, reverse: boolean): string {
  const a = `${ctx.netSrc?.bytes.join('.')}:${sport}`;
  const b = `${ctx.netDst?.bytes.join('.')}:${dport}`;
  return reverse ? `${b}>${a}` : `${a}>${b}`;
}

const MAX_CHUNKS = 256;

export default protocol({
  abbrev: 'sctp',
  name: 'Stream Control Transmission Protocol',
  short: 'SCTP',
  fields: f,
  register(r) {
    r.table('ip.proto', 132);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const st = ctx.session.slot('sctp', () => new SctpState());
    const sport = c.u16(o);
    const dport = c.u16(o + 2);
    if (tree.owner) tree.owner.label = `Stream Control Transmission Protocol, Src Port: ${sport} (${sport}), Dst Port: ${dport} (${dport})`;
    tree.add(f.srcport, c, o, 2);
    tree.add(f.dstport, c, o + 2, 2);
    tree.hidden(f.port, c, o, 2);
    tree.hidden(f.port, c, o + 2, 2);
    ctx.srcPort = sport;
    ctx.dstPort = dport;
    ctx.setInfo('');
    if (!c.has(o + 4, 8)) return c.remaining(o);
    tree.add(f.vtag, c, o + 4, 4);
    tree.add(f.checksum, c, o + 8, 4, { label: `Checksum: 0x${c.u32(o + 8).toString(16).padStart(8, '0')} [unverified]` });
    const fwd = dirKey(ctx, sport, dport, false);
    const rev = dirKey(ctx, sport, dport, true);
    let p = o + 12;
    // Inside an ICMP error only the first bytes are quoted: stop quietly where they end.
    const quoted = ctx.protocols.includes('icmp') || ctx.protocols.includes('icmpv6');
    for (let i = 0; i < MAX_CHUNKS && (quoted ? c.has(p, 4) : c.reportedRemaining(p) >= 4); i++) {
      const type = c.u8(p);
      const flags = c.u8(p + 1);
      const len = c.u16(p + 2);
      if (len < 4) throw malformed('chunk length below 4');
      const padded = len + ((4 - (len % 4)) % 4);
      const name = chunkTypes[type] ?? `Unknown (${type})`;
      const ch = tree.addTree(f.chunk, c, p, Math.min(padded, c.remaining(p)), { label: `${name} chunk` });
      ch.add(f.chunkType, c, p, 1);
      const fl = ch.addTree(f.chunkFlags, c, p + 1, 1);
      ch.add(f.chunkLength, c, p + 2, 2);
      const q = p + 4;
      if (type === 0) {
        fl.add(f.iBit, c, p + 1, 1);
        fl.add(f.uBit, c, p + 1, 1);
        fl.add(f.bBit, c, p + 1, 1);
        fl.add(f.eBit, c, p + 1, 1);
        const tsn = c.u32(q);
        if (!st.base.has(fwd)) st.base.set(fwd, tsn);
        const rel = (tsn - st.base.get(fwd)!) >>> 0;
        ch.add(f.tsn, c, q, 4, { value: rel });
        ch.add(f.tsnRaw, c, q, 4);
        ch.add(f.sid, c, q + 4, 2);
        ch.add(f.ssn, c, q + 6, 2);
        const ppid = c.u32(q + 8);
        ch.add(f.ppid, c, q + 8, 4);
        if (ch.owner) ch.owner.label = `DATA chunk (${flags & 4 ? 'unordered' : 'ordered'}, ${(flags & 3) === 3 ? 'complete segment' : flags & 2 ? 'first segment' : flags & 1 ? 'last segment' : 'middle segment'}, TSN: ${rel}, SID: ${c.u16(q + 4)}, SSN: ${c.u16(q + 6)}, PPID: ${ppid}, payload length: ${len - 16} bytes)`;
        ctx.appendInfo('DATA ', '');
        const payload = c.sub(q + 12, Math.max(0, len - 16));
        let n = ctx.call('sctp.ppi', ppid, payload, ch);
        if (n < 0) n = ctx.callPorts('sctp.port', sport, dport, payload, ch);
        if (n < 0) ctx.callData(payload, ch);
      } else {
        ctx.appendInfo(type === 3 ? '' : `${name} `, '');
        if ((type === 1 || type === 2) && len >= 20) {
          ch.add(f.initTag, c, q, 4);
          ch.add(f.initCredit, c, q + 4, 4);
          ch.add(f.initOut, c, q + 8, 2);
          ch.add(f.initIn, c, q + 10, 2);
          ch.add(f.initTsn, c, q + 12, 4);
          st.base.set(fwd, c.u32(q + 12));
        } else if (type === 3 && len >= 16) {
          const ack = c.u32(q);
          if (!st.base.has(rev)) st.base.set(rev, ack);
          const rel = (ack - st.base.get(rev)!) >>> 0;
          ch.add(f.sackAck, c, q, 4, { value: rel });
          ch.add(f.sackAckRaw, c, q, 4);
          ch.add(f.sackRwnd, c, q + 4, 4);
          ch.add(f.sackGaps, c, q + 8, 2);
          ch.add(f.sackDups, c, q + 10, 2);
          ctx.appendInfo(`SACK (Ack=${rel}, Arwnd=${c.u32(q + 4)}) `, '');
        } else if ((type === 4 || type === 5) && len >= 8) {
          ch.add(f.paramType, c, q, 2);
          ch.add(f.paramLength, c, q + 2, 2);
          ch.add(f.heartbeatInfo, c, q + 4, Math.max(0, Math.min(c.u16(q + 2), len - 4) - 4));
        } else if (type === 10 && len > 4) {
          ch.add(f.cookie, c, q, len - 4);
        }
      }
      p += padded;
    }
    return c.remaining(o);
  },
});
