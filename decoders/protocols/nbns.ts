// NetBIOS Name Service (RFC 1002) on UDP port 137: header, flags and the question/resource
// records with first-level decoded NetBIOS names (`WPAD<00>`). Info as tshark: opcode,
// then each query `NB NAME<xx>` or answer `NB NAME<xx> 10.0.0.1`.

import { field, protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import { formatIPv4 } from '../core/format.ts';

const opcodes: Record<number, string> = { 0: 'Name query', 5: 'Registration', 6: 'Release', 7: 'Wait for acknowledgment', 8: 'Refresh', 9: 'Refresh (alternate opcode)', 15: 'Multi-homed registration' };
const rrTypes: Record<number, string> = { 32: 'NB', 33: 'NBSTAT', 1: 'A', 2: 'NS', 10: 'NULL' };
const suffixes: Record<number, string> = { 0x00: 'Workstation/Redirector', 0x03: 'Messenger service/Main name', 0x20: 'Server service', 0x1b: 'Domain Master Browser', 0x1c: 'Domain Controllers', 0x1d: 'Local Master Browser', 0x1e: 'Browser Election Service' };

const f = {
  id: field('nbns.id', 'Transaction ID', 'uint16', { base: 'hex' }),
  flags: field('nbns.flags', 'Flags', 'uint16', { base: 'hex' }),
  response: field('nbns.flags.response', 'Response', 'bool', { bitmask: 0x8000, bitWidth: 16, trueFalse: ['Message is a response', 'Message is a query'] }),
  opcode: field('nbns.flags.opcode', 'Opcode', 'uint16', { bitmask: 0x7800, bitWidth: 16, values: opcodes }),
  authoritative: field('nbns.flags.authoritative', 'Authoritative', 'bool', { bitmask: 0x0400, bitWidth: 16 }),
  truncated: field('nbns.flags.truncated', 'Truncated', 'bool', { bitmask: 0x0200, bitWidth: 16, trueFalse: ['Message is truncated', 'Message is not truncated'] }),
  recdesired: field('nbns.flags.recdesired', 'Recursion desired', 'bool', { bitmask: 0x0100, bitWidth: 16, trueFalse: ['Do query recursively', 'Don\'t do query recursively'] }),
  recavail: field('nbns.flags.recavail', 'Recursion available', 'bool', { bitmask: 0x0080, bitWidth: 16 }),
  broadcast: field('nbns.flags.broadcast', 'Broadcast', 'bool', { bitmask: 0x0010, bitWidth: 16, trueFalse: ['Broadcast packet', 'Not a broadcast packet'] }),
  rcode: field('nbns.flags.rcode', 'Reply code', 'uint16', { bitmask: 0x000f, bitWidth: 16 }),
  queries: field('nbns.count.queries', 'Questions', 'uint16'),
  answers: field('nbns.count.answers', 'Answer RRs', 'uint16'),
  authRr: field('nbns.count.auth_rr', 'Authority RRs', 'uint16'),
  addRr: field('nbns.count.add_rr', 'Additional RRs', 'uint16'),
  name: field('nbns.name', 'Name', 'string'),
  type: field('nbns.type', 'Type', 'uint16', { values: rrTypes }),
  class: field('nbns.class', 'Class', 'uint16', { values: { 1: 'IN' } }),
  ttl: field('nbns.ttl', 'Time to live', 'uint32'),
  dataLength: field('nbns.data_length', 'Data length', 'uint16'),
  addr: field('nbns.addr', 'Addr', 'ipv4'),
  record: field('nbns.record', 'Record', 'none'),
};

/** Decodes a (first-level encoded) NetBIOS name at `o`; returns [next offset, `NAME<xx>`, suffix]. */
function nbName(c: Cursor, o: number): [number, string, number] {
  const len = c.u8(o);
  if (len & 0xc0) return [o + 2, '<compressed>', -1];
  const raw = c.bytes(o + 1, len);
  let next = o + 1 + len;
  // Scope labels follow until a zero length byte.
  for (let i = 0; i < 32 && c.u8(next) !== 0; i++) next += 1 + c.u8(next);
  next += 1;
  if (len !== 32) return [next, String.fromCharCode(...raw), -1];
  let name = '';
  for (let i = 0; i < 32; i += 2) name += String.fromCharCode(((raw[i]! - 0x41) << 4) | ((raw[i + 1]! - 0x41) & 0x0f));
  const suffix = name.charCodeAt(15);
  return [next, `${name.slice(0, 15).trimEnd()}<${suffix.toString(16).padStart(2, '0')}>`, suffix];
}

export default protocol({
  abbrev: 'nbns',
  name: 'NetBIOS Name Service',
  short: 'NBNS',
  fields: f,
  register(r) {
    r.table('udp.port', 137);
    r.table('tcp.port', 137);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    tree.add(f.id, c, o, 2);
    const flags = c.u16(o + 2);
    const opcode = (flags >> 11) & 0xf;
    const isResponse = (flags & 0x8000) !== 0;
    const ft = tree.addTree(f.flags, c, o + 2, 2);
    ft.add(f.response, c, o + 2, 2);
    ft.add(f.opcode, c, o + 2, 2);
    if (isResponse) ft.add(f.authoritative, c, o + 2, 2);
    ft.add(f.truncated, c, o + 2, 2);
    ft.add(f.recdesired, c, o + 2, 2);
    if (isResponse) ft.add(f.recavail, c, o + 2, 2);
    ft.add(f.broadcast, c, o + 2, 2);
    if (isResponse) ft.add(f.rcode, c, o + 2, 2);
    const counts = [c.u16(o + 4), c.u16(o + 6), c.u16(o + 8), c.u16(o + 10)];
    tree.add(f.queries, c, o + 4, 2);
    tree.add(f.answers, c, o + 6, 2);
    tree.add(f.authRr, c, o + 8, 2);
    tree.add(f.addRr, c, o + 10, 2);
    let info = `${opcodes[opcode] ?? 'Unknown operation'}${isResponse ? ' response' : ''}`;
    let p = o + 12;
    const total = Math.min(counts.reduce((a, b) => a + b, 0), 64);
    for (let i = 0; i < total; i++) {
      const isQuery = i < counts[0]!;
      const start = p;
      const [q, name, suffix] = nbName(c, p);
      const type = c.u16(q);
      const t = tree.addTree(f.record, c, start, 0, { label: `${name}: type ${rrTypes[type] ?? type}, class IN` });
      t.add(f.name, c, start, q - start, { value: name, label: `Name: ${name}${suffix >= 0 && suffixes[suffix] ? ` (${suffixes[suffix]})` : ''}` });
      t.add(f.type, c, q, 2);
      t.add(f.class, c, q + 2, 2);
      p = q + 4;
      let text = `${rrTypes[type] ?? type} ${name}`;
      if (!isQuery) {
        t.add(f.ttl, c, p, 4);
        const dlen = c.u16(p + 4);
        t.add(f.dataLength, c, p + 4, 2);
        if (type === 32 && dlen >= 6) {
          t.add(f.addr, c, p + 8, 4);
          text += ` ${formatIPv4(c.u32(p + 8))}`;
        }
        // The record never runs past the data: its RDATA must be there (truncated or malformed otherwise).
        if (t.owner) t.owner.length = p + 6 - start;
        c.check(p + 6, dlen);
        p += 6 + dlen;
      }
      if (t.owner) t.owner.length = p - start;
      if (isQuery || i < counts[0]! + counts[1]!) info += ` ${text}`;
    }
    ctx.setInfo(info);
    return c.remaining(o);
  },
});
