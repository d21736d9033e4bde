// HTTP/1.x over TCP (Wireshark's default port set). Header and body desegmentation follow
// tshark's defaults (http.desegment_headers / http.desegment_body on): the message is
// dissected in the frame that completes it; the body goes to the `media_type` table keyed by
// the lower-case content type, else to `media`. Pipelined messages each get a layer.

import { frameTimeNs } from '../core/dissect.ts';
import { protocol, field } from '../core/registry.ts';
import { DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN, type PacketContext } from '../core/context.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import type { FieldDef } from '../core/types.ts';
import { formatBytesHex, formatNsTime } from '../core/format.ts';
import { httpStatusText } from './http-names.ts';
import { inflate } from './http-inflate.ts';

const f = {
  notification: field('http.notification', 'Notification', 'bool'),
  response: field('http.response', 'Response', 'bool'),
  request: field('http.request', 'Request', 'bool'),
  responseNumber: field('http.response_number', 'Response number', 'uint32'),
  requestNumber: field('http.request_number', 'Request number', 'uint32'),
  authbasic: field('http.authbasic', 'Credentials', 'string'),
  responseLine: field('http.response.line', 'Response line', 'string'),
  requestLine: field('http.request.line', 'Request line', 'string'),
  method: field('http.request.method', 'Request Method', 'string'),
  uri: field('http.request.uri', 'Request URI', 'string'),
  uriPath: field('http.request.uri.path', 'Request URI Path', 'string'),
  uriQuery: field('http.request.uri.query', 'Request URI Query', 'string'),
  uriQueryParam: field('http.request.uri.query.parameter', 'Request URI Query Parameter', 'string'),
  requestVersion: field('http.request.version', 'Request Version', 'string'),
  responseVersion: field('http.response.version', 'Response Version', 'string'),
  fullUri: field('http.request.full_uri', 'Full request URI', 'string'),
  code: field('http.response.code', 'Status Code', 'uint16'),
  codeDesc: field('http.response.code.desc', 'Status Code Description', 'string'),
  responseForUri: field('http.response_for.uri', 'Request URI', 'string'),
  phrase: field('http.response.phrase', 'Response Phrase', 'string'),
  authorization: field('http.authorization', 'Authorization', 'string'),
  proxyAuthenticate: field('http.proxy_authenticate', 'Proxy-Authenticate', 'string'),
  proxyAuthorization: field('http.proxy_authorization', 'Proxy-Authorization', 'string'),
  wwwAuthenticate: field('http.www_authenticate', 'WWW-Authenticate', 'string'),
  contentType: field('http.content_type', 'Content-Type', 'string'),
  contentLengthHeader: field('http.content_length_header', 'Content-Length', 'string'),
  contentLength: field('http.content_length', 'Content length', 'uint64'),
  contentEncoding: field('http.content_encoding', 'Content-Encoding', 'string'),
  transferEncoding: field('http.transfer_encoding', 'Transfer-Encoding', 'string'),
  upgrade: field('http.upgrade', 'Upgrade', 'string'),
  userAgent: field('http.user_agent', 'User-Agent', 'string'),
  host: field('http.host', 'Host', 'string'),
  connection: field('http.connection', 'Connection', 'string'),
  cookie: field('http.cookie', 'Cookie', 'string'),
  cookiePair: field('http.cookie_pair', 'Cookie pair', 'string'),
  accept: field('http.accept', 'Accept', 'string'),
  referer: field('http.referer', 'Referer', 'string'),
  acceptLanguage: field('http.accept_language', 'Accept-Language', 'string'),
  acceptEncoding: field('http.accept_encoding', 'Accept Encoding', 'string'),
  date: field('http.date', 'Date', 'string'),
  cacheControl: field('http.cache_control', 'Cache-Control', 'string'),
  server: field('http.server', 'Server', 'string'),
  location: field('http.location', 'Location', 'string'),
  setCookie: field('http.set_cookie', 'Set-Cookie', 'string'),
  lastModified: field('http.last_modified', 'Last-Modified', 'string'),
  xForwardedFor: field('http.x_forwarded_for', 'X-Forwarded-For', 'string'),
  requestIn: field('http.request_in', 'Request in frame', 'framenum'),
  time: field('http.time', 'Time since request', 'rel_time'),
  responseIn: field('http.response_in', 'Response in frame', 'framenum'),
  chunkSize: field('http.chunk_size', 'Chunk size', 'uint32'),
  chunkData: field('http.chunk_data', 'Chunk data', 'bytes'),
  chunkBoundary: field('http.chunk_boundary', 'Chunk boundary', 'bytes'),
  fileData: field('http.file_data', 'File Data', 'string'),
  unknownHeader: field('http.unknown_header', 'Unknown header', 'string'),
};

/** A text-only tree item (Wireshark's proto_tree_add_format_text): shown, not filterable. */
const textItem: FieldDef = { abbrev: 'text', name: 'Text', type: 'none' };

/** Header names (lower case) with a field of their own. */
const HEADER_FIELDS: Record<string, FieldDef> = {
  'authorization': f.authorization,
  'proxy-authenticate': f.proxyAuthenticate,
  'proxy-authorization': f.proxyAuthorization,
  'www-authenticate': f.wwwAuthenticate,
  'content-type': f.contentType,
  'content-length': f.contentLengthHeader,
  'content-encoding': f.contentEncoding,
  'transfer-encoding': f.transferEncoding,
  'upgrade': f.upgrade,
  'user-agent': f.userAgent,
  'host': f.host,
  'connection': f.connection,
  'cookie': f.cookie,
  'accept': f.accept,
  'referer': f.referer,
  'accept-language': f.acceptLanguage,
  'accept-encoding': f.acceptEncoding,
  'date': f.date,
  'cache-control': f.cacheControl,
  'server': f.server,
  'location': f.location,
  'set-cookie': f.setCookie,
  'last-modified': f.lastModified,
  'x-forwarded-for': f.xForwardedFor,
};

const METHODS = new Set([
  'GET', 'PUT', 'ACL', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE', 'MERGE', 'MKCOL', 'PATCH',
  'TRACE', 'LABEL', 'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'NOTIFY', 'BDELETE', 'CONNECT', 'OPTIONS',
  'CHECKIN', 'PROPFIND', 'CHECKOUT', 'CCM_POST', 'SUBSCRIBE', 'PROPPATCH', 'BPROPFIND', 'BPROPPATCH', 'UNCHECKOUT',
  'MKACTIVITY', 'MKWORKSPACE', 'UNSUBSCRIBE', 'RPC_CONNECT', 'VERSION-CONTROL', 'BASELINE-CONTROL', 'M-SEARCH',
]);

/** Escapes a line as Wireshark's format_text does for header text (CR and LF visible). */
function escapeText(s: string): string {
  // Most lines have nothing to escape but their CRLF, if that.
  let plain = true;
  for (let i = 0; i < s.length && plain; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 0x20 || ch === 0x7f) plain = false;
  }
  if (plain) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 13) out += '\\r';
    else if (ch === 10) out += '\\n';
    else if (ch === 9) out += '\\t';
    else if (ch < 0x20 || ch === 0x7f) out += '\\' + ch.toString(8).padStart(3, '0');
    else out += s[i];
  }
  return out;
}

interface FirstLine {
  kind: 'request' | 'response';
  method?: string;
}

function classify(line: string): FirstLine | null {
  if (line.startsWith('HTTP/') && line.length >= 8) return { kind: 'response' };
  const sp = line.indexOf(' ');
  if (sp > 0 && METHODS.has(line.slice(0, sp))) return { kind: 'request', method: line.slice(0, sp) };
  return null;
}

/** Where the message starting at `o` ends, or how much more it needs. */
type Extent =
  | { t: 'done'; headerEnd: number; bodyLen: number; chunked: boolean }
  | { t: 'more'; need: number };

interface Headers {
  contentLength: number;
  chunked: boolean;
}

function scanHeaders(c: Cursor, from: number): { end: number; h: Headers } | null {
  let o = from;
  const h: Headers = { contentLength: -1, chunked: false };
  for (let n = 0; n < 100000; n++) {
    const le = c.lineEnd(o);
    if (!le) return null;
    if (le.eol === o) return { end: le.next, h };
    const first = c.data[o]! | 0x20;
    if (first === 0x63 || first === 0x74) {
      // As req_resp_hdrs_do_reassembly: `Content-Length:` / `Transfer-Encoding:` right at the line start.
      const line = c.ascii(o, le.eol - o);
      const lower = line.toLowerCase();
      if (lower.startsWith('content-length:')) {
        const v = line.slice(15).trim();
        if (/^\d+$/.test(v) && Number(v) <= 0x7fffffff) h.contentLength = Number(v);
      } else if (lower.startsWith('transfer-encoding:') && lower.slice(18).replace(/^[ \t]+/, '').startsWith('chunked')) h.chunked = true;
    }
    o = le.next;
  }
  return null;
}

/** Length of a chunked body starting at `o` (to after the last CRLF), or -1 when incomplete. */
function chunkedLength(c: Cursor, o: number): number {
  const start = o;
  for (let n = 0; n < 1000000; n++) {
    const le = c.lineEnd(o);
    if (!le) return -1;
    const size = parseInt(c.ascii(o, le.eol - o).split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) return c.end - start;
    o = le.next;
    if (size === 0) {
      // Trailer lines until a blank one.
      for (let k = 0; k < 10000; k++) {
        const t = c.lineEnd(o);
        if (!t) return -1;
        const blank = t.eol === o;
        o = t.next;
        if (blank) break;
      }
      return o - start;
    }
    if (o + size + 2 > c.end) return -1;
    o += size;
    const after = c.lineEnd(o);
    if (!after) return -1;
    o = after.next;
  }
  return -1;
}

function extent(c: Cursor, o: number, bodyAllowed: boolean, isResponse: boolean): Extent {
  const hs = scanHeaders(c, o);
  if (!hs) return { t: 'more', need: DESEGMENT_ONE_MORE_SEGMENT };
  if (!bodyAllowed) return { t: 'done', headerEnd: hs.end, bodyLen: 0, chunked: false };
  if (hs.h.contentLength >= 0) {
    const have = c.end - hs.end;
    if (have < hs.h.contentLength) {
      if (c.end < c.reportedEnd) return { t: 'done', headerEnd: hs.end, bodyLen: hs.h.contentLength, chunked: false };
      return { t: 'more', need: hs.h.contentLength - have };
    }
    return { t: 'done', headerEnd: hs.end, bodyLen: hs.h.contentLength, chunked: false };
  }
  if (hs.h.chunked) {
    const len = chunkedLength(c, hs.end);
    if (len < 0) return { t: 'more', need: DESEGMENT_ONE_MORE_SEGMENT };
    return { t: 'done', headerEnd: hs.end, bodyLen: len, chunked: true };
  }
  // A response without a length runs until the connection closes (RFC 7230 3.3.3 case 7).
  if (isResponse && c.end >= c.reportedEnd) return { t: 'more', need: DESEGMENT_UNTIL_FIN };
  return { t: 'done', headerEnd: hs.end, bodyLen: -1, chunked: false };
}

interface HttpState {
  /** Conversations taken over by the heuristic (Wireshark's conversation dissector), from a frame on. */
  heurConv: Map<string, number>;
  /** Request method of the last request per direction-less conversation key. */
  lastMethod: Map<string, string>;
  /** Per frame: the method the response answered (so re-dissection agrees with the first pass). */
  methodFor: Map<string, string>;
  /** The latest request of each conversation. */
  requests: Map<string, { frame: number; uri: string; ns: bigint }[]>;
  /** Response (frame:offset) -> its request; request frame -> the frame of its response. */
  requestOf: Map<string, { frame: number; uri: string; ns: bigint }>;
  responseIn: Map<number, number>;
}


function convKey(ctx: PacketContext): string {
  const stream = ctx.scratch.get('tcp.stream');
  if (typeof stream === 'number') return 's' + stream;
  const a = ctx.netSrc ? formatBytesHex(ctx.netSrc.bytes) + ':' + ctx.srcPort : '?';
  const b = ctx.netDst ? formatBytesHex(ctx.netDst.bytes) + ':' + ctx.dstPort : '?';
  return a < b ? a + '|' + b : b + '|' + a;
}

function state(ctx: PacketContext): HttpState {
  return ctx.session.slot('http', () => ({ heurConv: new Map(), lastMethod: new Map(), methodFor: new Map(), requests: new Map(), requestOf: new Map(), responseIn: new Map() }));
}

const CRLF_LABEL = '\\r\\n';

/**
 * One HTTP message at `o`: Info, first line, headers, body. Returns its length, or -1 after
 * asking TCP for more bytes. Shared with SSDP (HTTP over UDP).
 */
export function dissectMessage(c: Cursor, ctx: PacketContext, tree: Tree, o: number): number {
  const start = o;
  // Nothing of the message was captured: the snaplen cut it all.
  if (o >= c.end && c.reportedEnd > o) c.check(o, 1);
  const first = c.lineEnd(o);
  if (!first) {
    if (ctx.canDesegment) {
      ctx.desegmentOffset = o;
      ctx.desegmentLen = DESEGMENT_ONE_MORE_SEGMENT;
      return -1;
    }
  }
  const firstText = first ? c.ascii(o, first.eol - o) : c.ascii(o, c.end - o);
  const kind = classify(firstText);
  // A first line cut by the snaplen: what there is goes in Info, then a short-capture marker.
  const lineCut = !first && c.reportedEnd > c.end;
  const earlier = ctx.scratch.get('http.frame') === ctx.frame.number;
  ctx.scratch.set('http.frame', ctx.frame.number);
  if (!kind) {
    // After a PDU already dissected in this frame, tshark's column fence keeps its Info.
    if (!earlier) ctx.setInfo('Continuation');
    // A start cut by the snaplen may have been a request or response: say the capture is short.
    if (lineCut) c.check(c.end, 1);
    const payload = c.sub(o);
    ctx.callData(payload, tree);
    return c.end - start;
  }
  ctx.setInfo(escapeText(firstText) + ' ');
  const st = state(ctx);
  const conv = convKey(ctx);
  const frameKey = `${ctx.frame.number}:${o}`;
  let code = 0;
  if (kind.kind === 'response') code = Number(firstText.slice(9, 12)) || 0;
  let bodyAllowed = true;
  if (kind.kind === 'response') {
    let reqMethod = st.methodFor.get(frameKey);
    if (reqMethod === undefined) {
      reqMethod = st.lastMethod.get(conv) ?? '';
      st.methodFor.set(frameKey, reqMethod);
    }
    if (reqMethod === 'HEAD' || code === 204 || code === 304 || (code >= 100 && code < 200)) bodyAllowed = false;
  }
  const ext = extent(c, o, bodyAllowed, kind.kind === 'response');
  if (ext.t === 'more' && ctx.canDesegment) {
    ctx.desegmentOffset = start;
    ctx.desegmentLen = ext.need;
    return -1;
  }
  if (kind.kind === 'request' && !ctx.visited) st.lastMethod.set(conv, kind.method!);

  // The first line.
  const lineLen = first ? first.next - o : c.end - o;
  const lineText = escapeText(first ? c.ascii(o, first.next - o) : firstText);
  const fl = tree.addTree(textItem, c, o, lineLen, { label: lineText });
  fl.expert('chat', 'sequence', lineText, c, o, lineLen);
  if (!ctx.buildTree) {
    // Summary only: the first line's items (bytes already read) would go nowhere.
  } else if (kind.kind === 'request') {
    tree.hidden(f.request, c, o, 0, { value: true });
    const sp1 = firstText.indexOf(' ');
    const sp2 = firstText.indexOf(' ', sp1 + 1);
    const method = firstText.slice(0, sp1);
    const uri = sp2 > 0 ? firstText.slice(sp1 + 1, sp2) : firstText.slice(sp1 + 1);
    fl.add(f.method, c, o, sp1, { value: method });
    fl.add(f.uri, c, o + sp1 + 1, uri.length, { value: uri });
    if (sp2 > 0) fl.add(f.requestVersion, c, o + sp2 + 1, firstText.length - sp2 - 1, { value: firstText.slice(sp2 + 1) });
  } else {
    tree.hidden(f.response, c, o, 0, { value: true });
    const sp1 = firstText.indexOf(' ');
    const version = sp1 > 0 ? firstText.slice(0, sp1) : firstText;
    fl.add(f.responseVersion, c, o, version.length, { value: version });
    if (sp1 > 0) {
      const codeText = firstText.slice(sp1 + 1, sp1 + 4);
      fl.add(f.code, c, o + sp1 + 1, codeText.length, { value: code });
      fl.generated(f.codeDesc, httpStatusText(code), `[Status Code Description: ${httpStatusText(code)}]`);
      const phrase = firstText.slice(sp1 + 5);
      if (phrase.length) fl.add(f.phrase, c, o + sp1 + 5, phrase.length, { value: phrase });
    }
  }
  if (lineCut) c.check(c.end, 1);
  o = first ? first.next : c.end;

  // Header lines.
  let contentType = '';
  let contentEncoding = '';
  let contentLength = -1;
  let chunked = false;
  let host = '';
  const lineDef = kind.kind === 'request' ? f.requestLine : f.responseLine;
  for (let n = 0; o < c.reportedEnd && n < 100000; n++) {
    const le = c.lineEnd(o);
    if (!le) {
      // Headers cut short (no desegmentation possible): show what there is.
      if (o < c.end) tree.add(textItem, c, o, c.end - o, { label: escapeText(c.ascii(o, c.end - o)) });
      // Cut by the snaplen: the rest of the line was never captured (tshark stops here too).
      if (c.reportedEnd > c.end) c.check(c.end, 1);
      o = c.end;
      break;
    }
    if (le.eol === o) {
      tree.add(textItem, c, o, le.next - o, { label: CRLF_LABEL });
      o = le.next;
      break;
    }
    const line = c.ascii(o, le.eol - o);
    // The line with its CRLF: tree text only.
    const raw = ctx.buildTree ? c.ascii(o, le.next - o) : line;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    const value = colon > 0 ? line.slice(colon + 1).trim() : '';
    const def = HEADER_FIELDS[name];
    // Header labels are tree text only: a summary-only dissection skips the escaping.
    const label = ctx.buildTree ? escapeText(raw) : raw;
    if (!ctx.buildTree) {
      // Summary only: the line (already read) gives its value, no items.
      if (def && name === 'content-length' && /^\d+$/.test(value)) contentLength = Number(value);
    } else if (def) {
      const node = tree.add(def, c, o, le.next - o, { value, label });
      if (name === 'content-length' && /^\d+$/.test(value)) {
        contentLength = Number(value);
        tree.subtree(node).generated(f.contentLength, BigInt(contentLength), `[Content length: ${contentLength}]`);
      } else if (name === 'cookie') {
        const ct = tree.subtree(node);
        for (const pair of value.split(';')) if (pair.trim()) ct.add(f.cookiePair, c, o, le.next - o, { value: pair.trim(), label: `Cookie pair: ${pair.trim()}` });
      }
    } else {
      tree.add(textItem, c, o, le.next - o, { label });
    }
    if (ctx.buildTree) tree.hidden(lineDef, c, o, le.next - o, { value: label });
    if (name === 'content-type') contentType = value;
    else if (name === 'content-encoding') contentEncoding = value.toLowerCase();
    else if (name === 'transfer-encoding' && value.toLowerCase().includes('chunked')) chunked = true;
    else if (name === 'host') host = value;
    o = le.next;
  }
  if (kind.kind === 'request') {
    const sp1 = firstText.indexOf(' ');
    const sp2 = firstText.indexOf(' ', sp1 + 1);
    const uri = sp2 > 0 ? firstText.slice(sp1 + 1, sp2) : firstText.slice(sp1 + 1);
    const full = host ? (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? uri : `http://${host}${uri}`) : uri;
    if (host && ctx.buildTree) tree.generated(f.fullUri, full, `[Full request URI: ${full}]`);
    // Request/response matching (first pass records, later passes read).
    if (!ctx.visited) {
      // Only the latest request of a conversation can still be answered.
      st.requests.set(conv, [{ frame: ctx.frame.number, uri: full, ns: frameTimeNs(ctx.frame) }]);
    }
    const answer = st.responseIn.get(ctx.frame.number);
    if (answer && ctx.buildTree) tree.generated(f.responseIn, answer, `[Response in frame: ${answer}]`);
  } else {
    let req = st.requestOf.get(frameKey);
    if (!req && !ctx.visited) {
      // As tshark: a response answers the conversation's latest request if that one has none yet.
      const list = st.requests.get(conv);
      const last = list?.[list.length - 1];
      if (last && !st.responseIn.has(last.frame)) {
        req = last;
        st.requestOf.set(frameKey, req);
        st.responseIn.set(req.frame, ctx.frame.number);
      }
    }
    if (req && ctx.buildTree) {
      const dt = frameTimeNs(ctx.frame) - req.ns;
      tree.generated(f.time, dt, `[Time since request: ${formatNsTime(dt)} seconds]`);
      tree.generated(f.requestIn, req.frame, `[Request in frame: ${req.frame}]`);
      tree.generated(f.responseForUri, req.uri, `[Request URI: ${req.uri}]`);
    }
  }

  // The body.
  let bodyLen: number;
  if (ext.t === 'done') bodyLen = ext.bodyLen < 0 ? c.end - o : ext.bodyLen;
  else bodyLen = contentLength >= 0 ? contentLength : chunked ? -1 : c.end - o;
  if (!bodyAllowed) bodyLen = 0;
  // A body the snaplen cut off entirely: short-capture marker.
  if (bodyLen !== 0 && o >= c.end && c.reportedEnd > o) c.check(o, 1);
  if (bodyLen < 0) bodyLen = c.end - o;
  if (bodyLen > 0 && o < c.end) {
    const avail = Math.min(bodyLen, c.end - o);
    // A body cut short by the capture: tshark stops with "Packet size limited during capture".
    if (avail < bodyLen && c.reportedEnd > c.end) tree.add(f.fileData, c, o, Math.min(bodyLen, c.reportedEnd - o), { label: `File Data: ${bodyLen} bytes` });
    let body: Cursor = c.sub(o, avail);
    if (chunked) {
      const dechunked = dechunk(c, o, avail, tree);
      body = ctx.addSource('De-chunked entity body', dechunked ?? new Uint8Array(0));
    }
    let blen = body.end - body.start;
    const enc = contentEncoding;
    if (blen > 0 && enc && enc !== 'identity') {
      const packed = body.bytes(body.start, blen);
      const plain = enc === 'gzip' || enc === 'x-gzip' || enc === 'deflate' ? inflate(packed) : null;
      const et = tree.addTree(textItem, body, body.start, blen, { label: `Content-encoded entity body (${enc}): ${blen} bytes${plain ? ` -> ${plain.length} bytes` : ''}` });
      if (!plain) {
        et.expert('error', 'undecoded', 'Decompression failed', body, body.start, blen);
        ctx.callData(body, et);
        blen = 0;
      } else {
        body = ctx.addSource('Uncompressed entity body', plain);
        blen = plain.length;
      }
    }
    // The body as text (up to 64 KiB) only matters to trees and filters, not to summaries.
    if (ctx.buildTree) tree.add(f.fileData, body, body.start, blen, { value: textOf(body.bytes(body.start, blen)), label: `File Data: ${blen} byte${blen === 1 ? '' : 's'}` });
    if (blen > 0) {
      const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
      ctx.scratch.set('media_type', mediaType);
      const typed = mediaType !== '' && mediaType !== 'application/octet-stream';
      let used = -1;
      if (typed) {
        const nodes = tree.nodes.length;
        const protos = ctx.protocols.length;
        used = ctx.call('media_type', mediaType, body, tree);
        if (used === 0) {
          // The media dissector rejected the bytes: its layer goes, the heuristics try.
          tree.nodes.length = nodes;
          ctx.protocols.length = protos;
        }
      }
      if (used <= 0 && typed) used = ctx.callHeuristics('http', body, tree);
      if (used <= 0) void (typed ? ctx.callProtocol('media', body, tree) : ctx.callData(body, tree));
    }
    o += avail;
  }
  return o - start;
}

/** Latin-1 text of body bytes up to the first NUL (what tshark prints for http.file_data). */
function textOf(b: Uint8Array): string {
  let s = '';
  const n = Math.min(b.length, 65536);
  for (let i = 0; i < n && b[i] !== 0; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** Walks the chunks of a chunked body into the tree; returns the joined data. */
function dechunk(c: Cursor, o: number, len: number, tree: Tree): Uint8Array | null {
  const end = o + len;
  const parts: Uint8Array[] = [];
  let total = 0;
  const ct = tree.addTree(textItem, c, o, len, { label: 'HTTP chunked response' });
  // Chunks that run into bytes the snaplen cut off end with a short-capture marker.
  const cut = o + len >= c.end && c.reportedEnd > c.end;
  for (let n = 0; o < end && n < 1000000; n++) {
    const le = c.lineEnd(o);
    if (!le || le.next > end) {
      if (cut) c.check(c.end, 1);
      break;
    }
    const size = parseInt(c.ascii(o, le.eol - o).split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) break;
    if (size === 0) {
      const last = ct.addTree(textItem, c, o, le.next - o, { label: 'End of chunked encoding' });
      last.add(f.chunkSize, c, o, le.next - o, { value: 0, label: 'Chunk size: 0 octets' });
      o = le.next;
      const blank = c.lineEnd(o);
      if (blank && blank.next <= end) ct.add(textItem, c, o, blank.next - o, { label: CRLF_LABEL });
      else if (cut) c.check(c.end, 1);
      break;
    }
    const dataLen = Math.min(size, end - le.next);
    const chunk = ct.addTree(textItem, c, o, le.next - o + dataLen, { label: `Data chunk (${size} octets)` });
    chunk.add(f.chunkSize, c, o, le.next - o, { value: size, label: `Chunk size: ${size} octets` });
    chunk.add(f.chunkData, c, le.next, dataLen);
    parts.push(c.bytes(le.next, dataLen));
    total += dataLen;
    o = le.next + dataLen;
    if (dataLen < size) {
      if (cut) c.check(c.end, 1);
      break;
    }
    const b = c.lineEnd(o);
    if (b && b.next <= end) {
      chunk.add(f.chunkBoundary, c, o, b.next - o);
      o = b.next;
    } else {
      if (cut) c.check(c.end, 1);
      break;
    }
  }
  if (!parts.length) return null;
  const out = new Uint8Array(total);
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}

/**
 * Wireshark's dissect_http_heur_tcp: a complete first line that starts or ends with
 * `HTTP/1.`; the conversation then stays HTTP from that frame on.
 */
function heuristic(c: Cursor, ctx: PacketContext): boolean {
  const st = state(ctx);
  const from = st.heurConv.get(convKey(ctx));
  if (from !== undefined && from <= ctx.frame.number) return true;
  const le = c.lineEnd(c.start);
  if (!le) return false;
  const len = le.eol - c.start;
  if (len === 8) return false;
  const head = c.ascii(c.start, Math.min(7, len)).toUpperCase();
  const tail = len >= 8 ? c.ascii(le.eol - 8, 7).toUpperCase() : '';
  if (head !== 'HTTP/1.' && tail !== 'HTTP/1.') return false;
  if (!ctx.visited) {
    const key = convKey(ctx);
    const prev = st.heurConv.get(key);
    if (prev === undefined || prev > ctx.frame.number) st.heurConv.set(key, ctx.frame.number);
  }
  return true;
}

const http = protocol({
  abbrev: 'http',
  name: 'Hypertext Transfer Protocol',
  short: 'HTTP',
  fields: f,
  register(r) {
    for (const port of [80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371]) r.table('tcp.port', port);
    r.heuristic('tcp', heuristic);
  },
  dissect(c, ctx, tree) {
    const used = dissectMessage(c, ctx, tree, c.start);
    if (used < 0) return 0;
    let o = c.start + used;
    // Pipelined messages: each complete one becomes a layer of its own.
    const self = ctx.registry.protocol('http');
    for (let n = 0; o < c.end && self && n < 1000; n++) {
      const more = c.lineEnd(o);
      const kind = more ? classify(c.ascii(o, more.eol - o)) : null;
      if (!kind) break;
      const ext = extent(c, o, true, kind.kind === 'response');
      if (ext.t === 'more') {
        if (ctx.canDesegment) {
          ctx.desegmentOffset = o;
          ctx.desegmentLen = ext.need;
        }
        break;
      }
      const info = ctx.columns.info;
      const len = ctx.run(self, c.sub(o), tree);
      ctx.columns.info = info;
      if (len <= 0) break;
      o += len;
    }
    return o - c.start;
  },
});

export default http;
