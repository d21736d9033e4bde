// SIP (RFC 3261) on UDP/TCP 5060 (and by heuristic on other ports): the request or status
// line, the headers (common ones as fields, compact forms included) and the body, handed to
// the `media_type` table by Content-Type (SDP, XML, ...). Info as tshark:
// `Request: INVITE sip:bob@example.com | `, `Status: 200 OK (INVITE) | `.

import { field, protocol } from '../core/registry.ts';
import { BoundsError } from '../core/cursor.ts';
import { malformed } from './malformed.ts';
import type { Cursor } from '../core/cursor.ts';

const f = {
  requestLine: field('sip.Request-Line', 'Request-Line', 'string'),
  statusLine: field('sip.Status-Line', 'Status-Line', 'string'),
  method: field('sip.Method', 'Method', 'string'),
  ruri: field('sip.r-uri', 'Request-URI', 'string'),
  statusCode: field('sip.Status-Code', 'Status-Code', 'uint32'),
  msgHdr: field('sip.msg_hdr', 'Message Header', 'string'),
  via: field('sip.Via', 'Via', 'string'),
  from: field('sip.From', 'From', 'string'),
  to: field('sip.To', 'To', 'string'),
  callId: field('sip.Call-ID', 'Call-ID', 'string'),
  cseq: field('sip.CSeq', 'CSeq', 'string'),
  cseqSeq: field('sip.CSeq.seq', 'Sequence Number', 'uint32'),
  cseqMethod: field('sip.CSeq.method', 'Method', 'string'),
  contact: field('sip.Contact', 'Contact', 'string'),
  contentType: field('sip.Content-Type', 'Content-Type', 'string'),
  contentLength: field('sip.Content-Length', 'Content-Length', 'uint32'),
  maxForwards: field('sip.Max-Forwards', 'Max-Forwards', 'uint32'),
  userAgent: field('sip.User-Agent', 'User-Agent', 'string'),
  msgBody: field('sip.msg_body', 'Message Body', 'none'),
};

/** Long and compact header names to fields. */
const headerFields: Record<string, typeof f.via> = {
  via: f.via, v: f.via, from: f.from, f: f.from, to: f.to, t: f.to, 'call-id': f.callId, i: f.callId, cseq: f.cseq,
  contact: f.contact, m: f.contact, 'content-type': f.contentType, c: f.contentType, 'content-length': f.contentLength, l: f.contentLength,
  'max-forwards': f.maxForwards, 'user-agent': f.userAgent,
};

const METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE'];

/** `SIP/2.0 200 OK` or `METHOD uri SIP/2.0` on the first line. */
function looksLikeSip(c: Cursor): boolean {
  const o = c.start;
  const le = c.lineEnd(o);
  if (!le || le.eol - o < 10 || le.eol - o > 2048) return false;
  const line = c.ascii(o, le.eol - o);
  if (line.startsWith('SIP/2.0 ')) return /^SIP\/2\.0 \d{3}/.test(line);
  const sp = line.indexOf(' ');
  return sp > 0 && METHODS.includes(line.slice(0, sp)) && line.endsWith(' SIP/2.0');
}

const MAX_HEADERS = 256;

export default protocol({
  abbrev: 'sip',
  name: 'Session Initiation Protocol',
  short: 'SIP',
  fields: f,
  register(r) {
    r.table('udp.port', 5060);
    r.table('tcp.port', 5060);
    r.heuristic('udp', looksLikeSip);
    r.heuristic('tcp', looksLikeSip);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const first = c.lineEnd(o);
    const eol = first ? first.eol : c.end;
    const line = c.ascii(o, eol - o);
    const isStatus = line.startsWith('SIP/2.0 ');
    let info: string;
    let statusCode = 0;
    if (isStatus) {
      statusCode = Number(line.slice(8, 11));
      const t = tree.addTree(f.statusLine, c, o, eol - o, { value: line, label: `Status-Line: ${line}` });
      t.add(f.statusCode, c, o + 8, 3, { value: statusCode });
      info = `Status: ${line.slice(8)}`;
    } else {
      const sp1 = line.indexOf(' ');
      const sp2 = line.lastIndexOf(' ');
      const t = tree.addTree(f.requestLine, c, o, eol - o, { value: line, label: `Request-Line: ${line}` });
      t.add(f.method, c, o, sp1, { value: line.slice(0, sp1) });
      if (sp2 > sp1) t.add(f.ruri, c, o + sp1 + 1, sp2 - sp1 - 1, { value: line.slice(sp1 + 1, sp2) });
      info = `Request: ${line.slice(0, sp2 > sp1 ? sp2 : line.length)}`;
    }
    ctx.setInfo(info);
    const hdrs = tree.addTree(f.msgHdr, c, first ? first.next : c.end, 0, { value: '', label: 'Message Header' });
    let p = first ? first.next : c.end;
    let contentType = '';
    let contentLength = -1;
    let cseqMethod = '';
    for (let i = 0; i < MAX_HEADERS && p < c.end; i++) {
      const le = c.lineEnd(p);
      const next = le ? le.next : c.end;
      const e = le ? le.eol : c.end;
      if (e === p) {
        p = next;
        break;
      }
      const text = c.ascii(p, e - p);
      const colon = text.indexOf(':');
      if (colon < 0) {
        // A line cut by the end of the capture (not of the packet) is truncated, not malformed.
        if (!le && c.end < c.reportedEnd) throw new BoundsError('captured', c.end, 1);
        hdrs.expert('warn', 'malformed', 'Header has no colon after the name', c, p, e - p);
        throw malformed('SIP header without a colon');
      }
      const name = text.slice(0, colon).trim().toLowerCase();
      const value = text.slice(colon + 1).trim();
      const def = headerFields[name];
      const vStart = p + colon + 1 + (text.slice(colon + 1).length - text.slice(colon + 1).trimStart().length);
      if (def === f.contentLength || def === f.maxForwards) hdrs.add(def, c, p, next - p, { value: Number(value) || 0, label: text });
      else if (def === f.cseq) {
        const ht = hdrs.addTree(f.cseq, c, p, next - p, { value, label: text });
        const m = /^(\d+)\s+(\S+)/.exec(value);
        if (m) {
          cseqMethod = m[2]!;
          ht.add(f.cseqSeq, c, vStart, m[1]!.length, { value: Number(m[1]) });
          ht.add(f.cseqMethod, c, vStart + value.indexOf(m[2]!), m[2]!.length, { value: m[2]! });
        }
      } else if (def) hdrs.add(def, c, p, next - p, { value, label: text });
      else hdrs.add(f.msgHdr, c, p, next - p, { value: text, label: text });
      if (def === f.contentType) contentType = value;
      if (def === f.contentLength) contentLength = Number(value) || 0;
      p = next;
    }
    if (hdrs.owner) hdrs.owner.length = p - hdrs.owner.offset;
    if (isStatus && statusCode >= 200 && statusCode < 300 && cseqMethod) info += ` (${cseqMethod})`;
    ctx.setInfo(info + ' | ');
    const bodyLen = contentLength >= 0 ? Math.min(contentLength, c.remaining(p)) : c.remaining(p);
    if (bodyLen > 0) {
      const body = c.sub(p, bodyLen);
      tree.add(f.msgBody, c, p, bodyLen, { label: 'Message Body' });
      const type = contentType.split(';')[0]!.trim().toLowerCase();
      ctx.scratch.set('media_type', type);
      const savedInfo = ctx.columns.info;
      let used = type ? ctx.call('media_type', type, body, tree) : -1;
      if (used < 0) used = ctx.callProtocol('media', body, tree);
      // Body dissectors add to the Protocol column (SIP/SDP) but leave Info to SIP.
      ctx.columns.info = savedInfo;
      void used;
    }
    return c.remaining(o);
  },
});
