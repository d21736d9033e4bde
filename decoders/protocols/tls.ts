// TLS / SSLv3 records over TCP (Wireshark's default ports and its TCP heuristic). Records that
// span segments use the TCP desegmentation contract. The session (one per TCP conversation)
// remembers the negotiated version, which drives the Protocol column (TLSv1.2, TLSv1.3, ...)
// and how bytes that do not look like a record are shown, as tshark 4.0 does.

import { protocol, field } from '../core/registry.ts';
import { DESEGMENT_ONE_MORE_SEGMENT, type PacketContext } from '../core/context.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import type { FieldDef } from '../core/types.ts';
import { formatBytesHex } from '../core/format.ts';
import { ocspResponseLayers, x509Layers, x509NameLayers } from './tls-x509.ts';
import { md5Hex } from './tls-md5.ts';
import {
  alertDescriptions, alertLevels, cipherSuites, contentTypes, extensionTypes, handshakeTypes, isGrease, nameOr,
  sigAlgs, supportedGroups, versionNames, versionShort,
} from './tls-names.ts';

const hex16 = (v: number): string => '0x' + v.toString(16).padStart(4, '0');

const f = {
  record: field('tls.record', 'Record Layer', 'none'),
  contentType: field('tls.record.content_type', 'Content Type', 'uint8', { values: contentTypes }),
  opaqueType: field('tls.record.opaque_type', 'Opaque Type', 'uint8', { values: contentTypes }),
  recordVersion: field('tls.record.version', 'Version', 'uint16', { base: 'hex', values: versionNames }),
  recordLength: field('tls.record.length', 'Length', 'uint16'),
  appData: field('tls.app_data', 'Encrypted Application Data', 'bytes'),
  alert: field('tls.alert_message', 'Alert Message', 'none'),
  alertLevel: field('tls.alert_message.level', 'Level', 'uint8', { values: alertLevels }),
  alertDesc: field('tls.alert_message.desc', 'Description', 'uint8', { values: alertDescriptions }),
  ccs: field('tls.change_cipher_spec', 'Change Cipher Spec Message', 'none'),
  handshake: field('tls.handshake', 'Handshake Protocol', 'none'),
  hsType: field('tls.handshake.type', 'Handshake Type', 'uint8', { values: handshakeTypes }),
  hsLength: field('tls.handshake.length', 'Length', 'uint24'),
  hsVersion: field('tls.handshake.version', 'Version', 'uint16', { base: 'hex', values: versionNames }),
  random: field('tls.handshake.random', 'Random', 'bytes'),
  randomTime: field('tls.handshake.random_time', 'GMT Unix Time', 'abs_time'),
  randomBytes: field('tls.handshake.random_bytes', 'Random Bytes', 'bytes'),
  sessionIdLength: field('tls.handshake.session_id_length', 'Session ID Length', 'uint16'),
  sessionId: field('tls.handshake.session_id', 'Session ID', 'bytes'),
  cipherSuitesLength: field('tls.handshake.cipher_suites_length', 'Cipher Suites Length', 'uint16'),
  cipherSuites: field('tls.handshake.ciphersuites', 'Cipher Suites', 'none'),
  cipherSuite: field('tls.handshake.ciphersuite', 'Cipher Suite', 'uint16', { base: 'hex' }),
  compMethodsLength: field('tls.handshake.comp_methods_length', 'Compression Methods Length', 'uint8'),
  compMethods: field('tls.handshake.comp_methods', 'Compression Methods', 'none'),
  compMethod: field('tls.handshake.comp_method', 'Compression Method', 'uint8', { values: { 0: 'null', 1: 'DEFLATE', 64: 'LZS' } }),
  extensionsLength: field('tls.handshake.extensions_length', 'Extensions Length', 'uint16'),
  extType: field('tls.handshake.extension.type', 'Type', 'uint16'),
  extLen: field('tls.handshake.extension.len', 'Length', 'uint16'),
  extData: field('tls.handshake.extension.data', 'Data', 'bytes'),
  sniListLen: field('tls.handshake.extensions_server_name_list_len', 'Server Name list length', 'uint16'),
  sniType: field('tls.handshake.extensions_server_name_type', 'Server Name Type', 'uint8', { values: { 0: 'host_name' } }),
  sniLen: field('tls.handshake.extensions_server_name_len', 'Server Name length', 'uint16'),
  sni: field('tls.handshake.extensions_server_name', 'Server Name', 'string'),
  alpnLen: field('tls.handshake.extensions_alpn_len', 'ALPN Extension Length', 'uint16'),
  alpnList: field('tls.handshake.extensions_alpn_list', 'ALPN Protocol', 'none'),
  alpnStrLen: field('tls.handshake.extensions_alpn_str_len', 'ALPN string length', 'uint8'),
  alpnStr: field('tls.handshake.extensions_alpn_str', 'ALPN Next Protocol', 'string'),
  supportedVersionsLen: field('tls.handshake.extensions.supported_versions_len', 'Supported Versions length', 'uint8'),
  supportedVersion: field('tls.handshake.extensions.supported_version', 'Supported Version', 'uint16', { base: 'hex' }),
  groupsLength: field('tls.handshake.extensions_supported_groups_length', 'Supported Groups List Length', 'uint16'),
  groups: field('tls.handshake.extensions_supported_groups', 'Supported Groups List', 'none'),
  group: field('tls.handshake.extensions_supported_group', 'Supported Group', 'uint16', { base: 'hex' }),
  ecPointFormatsLength: field('tls.handshake.extensions_ec_point_formats_length', 'EC point formats Length', 'uint8'),
  ecPointFormats: field('tls.handshake.extensions_ec_point_formats', 'EC point formats', 'none'),
  ecPointFormat: field('tls.handshake.extensions_ec_point_format', 'EC point format', 'uint8', { values: { 0: 'uncompressed', 1: 'ansiX962_compressed_prime', 2: 'ansiX962_compressed_char2' } }),
  sigHashAlgLen: field('tls.handshake.sig_hash_alg_len', 'Signature Hash Algorithms Length', 'uint16'),
  sigHashAlgs: field('tls.handshake.sig_hash_algs', 'Signature Algorithms', 'none'),
  sigHashAlg: field('tls.handshake.sig_hash_alg', 'Signature Algorithm', 'uint16', { base: 'hex' }),
  keyShareClientLength: field('tls.handshake.extensions_key_share_client_length', 'Client Key Share Length', 'uint16'),
  keyShareGroup: field('tls.handshake.extensions_key_share_group', 'Group', 'uint16', { values: supportedGroups }),
  keyShareKeLength: field('tls.handshake.extensions_key_share_key_exchange_length', 'Key Exchange Length', 'uint16'),
  keyShareKe: field('tls.handshake.extensions_key_share_key_exchange', 'Key Exchange', 'bytes'),
  keyShareSelectedGroup: field('tls.handshake.extensions_key_share_selected_group', 'Selected Group', 'uint16', { values: supportedGroups }),
  renegInfoLen: field('tls.handshake.extensions_reneg_info_len', 'Renegotiation info extension length', 'uint8'),
  renegInfo: field('tls.handshake.extensions_reneg_info', 'Renegotiation info', 'bytes'),
  paddingData: field('tls.handshake.extensions_padding_data', 'Padding Data', 'bytes'),
  curveType: field('tls.handshake.server_curve_type', 'Curve Type', 'uint8', { base: 'hex', values: { 1: 'explicit_prime', 2: 'explicit_char2', 3: 'named_curve' } }),
  namedCurve: field('tls.handshake.server_named_curve', 'Named Curve', 'uint16', { base: 'hex', values: supportedGroups }),
  serverPointLen: field('tls.handshake.server_point_len', 'Pubkey Length', 'uint8'),
  serverPoint: field('tls.handshake.server_point', 'Pubkey', 'bytes'),
  clientPointLen: field('tls.handshake.client_point_len', 'Pubkey Length', 'uint8'),
  clientPoint: field('tls.handshake.client_point', 'Pubkey', 'bytes'),
  epmsLen: field('tls.handshake.epms_len', 'Encrypted PreMaster length', 'uint16'),
  epms: field('tls.handshake.epms', 'Encrypted PreMaster', 'bytes'),
  sigLen: field('tls.handshake.sig_len', 'Signature Length', 'uint16'),
  sig: field('tls.handshake.sig', 'Signature', 'bytes'),
  ja3Full: field('tls.handshake.ja3_full', 'JA3 Fullstring', 'string'),
  ja3: field('tls.handshake.ja3', 'JA3', 'string'),
  ja3sFull: field('tls.handshake.ja3s_full', 'JA3S Fullstring', 'string'),
  ja3s: field('tls.handshake.ja3s', 'JA3S', 'string'),
  certificatesLength: field('tls.handshake.certificates_length', 'Certificates Length', 'uint24'),
  certificates: field('tls.handshake.certificates', 'Certificates', 'none'),
  certificateLength: field('tls.handshake.certificate_length', 'Certificate Length', 'uint24'),
  certificate: field('tls.handshake.certificate', 'Certificate', 'bytes'),
  ticketLifetime: field('tls.handshake.session_ticket_lifetime_hint', 'Session Ticket Lifetime Hint', 'uint32'),
  ticketLength: field('tls.handshake.session_ticket_length', 'Session Ticket Length', 'uint16'),
  ticket: field('tls.handshake.session_ticket', 'Session Ticket', 'bytes'),
};

/** A text-only tree item: shown, not filterable. */
const textItem: FieldDef = { abbrev: 'text', name: 'Text', type: 'none' };

/**
 * Length for a container node (record, handshake, extension): like Wireshark's FT_NONE items,
 * it may run past the captured bytes (cut to them) but not past the reported length.
 */
function box(c: Cursor, o: number, len: number): number {
  return o + len > c.end && o + len <= c.reportedEnd ? Math.max(0, c.end - o) : len;
}

const VALID_CONTENT = (t: number): boolean => t >= 20 && t <= 25;
/** Versions ssl_looks_like_sslv3 accepts in a record header. */
const SSL3_VERSIONS = new Set([0x0300, 0x0301, 0x0302, 0x0303, 0x0101]);

interface Session {
  /** Negotiated version, 0 while unknown. */
  version: number;
  /** Cipher suite chosen by the Server Hello, -1 while unknown (it decides the key exchange format). */
  cipher: number;
  /** Where each direction sent Change Cipher Spec: [frame, layer, record]; later handshakes are encrypted. */
  ccs: Map<string, [number, number, number]>;
}

function before(a: readonly [number, number, number], b: readonly [number, number, number]): boolean {
  return a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
}

interface TlsState {
  sessions: Map<string, Session>;
  /** Session version at the start of each layer, so re-dissection agrees with the first pass. */
  atLayer: Map<string, { version: number; cipher: number }>;
  heurConv: Map<string, number>;
}

function state(ctx: PacketContext): TlsState {
  return ctx.session.slot('tls', () => ({ sessions: new Map(), atLayer: new Map(), heurConv: new Map() }));
}

function convKey(ctx: PacketContext): string {
  const stream = ctx.scratch.get('tcp.stream');
  if (typeof stream === 'number') return 's' + stream;
  const a = ctx.netSrc ? formatBytesHex(ctx.netSrc.bytes) + ':' + ctx.srcPort : '?';
  const b = ctx.netDst ? formatBytesHex(ctx.netDst.bytes) + ':' + ctx.dstPort : '?';
  return a < b ? a + '|' + b : b + '|' + a;
}

/** tls_try_get_version: TLS 1.3 drafts (0x7fNN) and Facebook's variants count as TLS 1.3. */
function normalizeVersion(v: number): number {
  if ((v & 0xff00) === 0x7f00 || v === 0xfb17 || v === 0xfb1a) return 0x0304;
  return v;
}

interface Parse {
  c: Cursor;
  ctx: PacketContext;
  version: number;
  cipher: number;
  session: Session;
  dir: string;
  /** [frame, layer, record] of the record being dissected. */
  pos: [number, number, number];
  info: (item: string) => void;
}

function versionLabel(name: string, v: number): string {
  return `${name}: ${versionNames[v] ?? (isGrease(v) ? 'Reserved (GREASE)' : 'Unknown')} (${hex16(v)})`;
}

function dissectExtension(p: Parse, t: Tree, o: number, type: number, len: number, hsType: number): void {
  const { c } = p;
  const end = o + len;
  switch (type) {
    case 0: {
      if (len < 2) break;
      const st = t.addTree(textItem, c, o, box(c, o, len), { label: 'Server Name Indication extension' });
      st.add(f.sniListLen, c, o, 2);
      let x = o + 2;
      for (let i = 0; x + 3 <= end && i < 1000; i++) {
        st.add(f.sniType, c, x, 1);
        const l = c.u16(x + 1);
        st.add(f.sniLen, c, x + 1, 2);
        st.add(f.sni, c, x + 3, l);
        x += 3 + l;
      }
      return;
    }
    case 16: {
      if (len < 2) break;
      t.add(f.alpnLen, c, o, 2);
      const lt = t.addTree(f.alpnList, c, o + 2, box(c, o + 2, len - 2));
      for (let x = o + 2, i = 0; x < end && i < 1000; i++) {
        const l = c.u8(x);
        lt.add(f.alpnStrLen, c, x, 1);
        lt.add(f.alpnStr, c, x + 1, l);
        x += 1 + l;
      }
      return;
    }
    case 43: {
      if (hsType === 1) {
        const l = c.u8(o);
        t.add(f.supportedVersionsLen, c, o, 1);
        for (let x = o + 1; x + 2 <= Math.min(end, o + 1 + l); x += 2) {
          t.add(f.supportedVersion, c, x, 2, { label: versionLabel('Supported Version', c.u16(x)) });
        }
      } else if (len >= 2) {
        t.add(f.supportedVersion, c, o, 2, { label: versionLabel('Supported Version', c.u16(o)) });
      }
      return;
    }
    case 10: {
      const l = c.u16(o);
      t.add(f.groupsLength, c, o, 2);
      const gt = t.addTree(f.groups, c, o + 2, l, { label: `Supported Groups (${l >> 1} group${l >> 1 === 1 ? '' : 's'})` });
      for (let x = o + 2; x + 2 <= Math.min(end, o + 2 + l); x += 2) {
        const g = c.u16(x);
        gt.add(f.group, c, x, 2, { label: `Supported Group: ${nameOr(supportedGroups, g, true)} (${hex16(g)})` });
      }
      return;
    }
    case 11: {
      const l = c.u8(o);
      t.add(f.ecPointFormatsLength, c, o, 1);
      const et = t.addTree(f.ecPointFormats, c, o + 1, l, { label: `Elliptic curves point formats (${l})` });
      for (let x = o + 1; x < Math.min(end, o + 1 + l); x++) et.add(f.ecPointFormat, c, x, 1);
      return;
    }
    case 13:
    case 50: {
      const l = c.u16(o);
      t.add(f.sigHashAlgLen, c, o, 2);
      const st = t.addTree(f.sigHashAlgs, c, o + 2, l, { label: `Signature Hash Algorithms (${l >> 1} algorithm${l >> 1 === 1 ? '' : 's'})` });
      for (let x = o + 2; x + 2 <= Math.min(end, o + 2 + l); x += 2) {
        const a = c.u16(x);
        st.add(f.sigHashAlg, c, x, 2, { label: `Signature Algorithm: ${nameOr(sigAlgs, a, true)} (${hex16(a)})` });
      }
      return;
    }
    case 51: {
      if (hsType === 1) {
        const l = c.u16(o);
        t.add(f.keyShareClientLength, c, o, 2);
        for (let x = o + 2, i = 0; x + 4 <= Math.min(end, o + 2 + l) && i < 1000; i++) {
          const g = c.u16(x);
          const kl = c.u16(x + 2);
          const kt = t.addTree(textItem, c, x, box(c, x, 4 + kl), { label: `Key Share Entry: Group: ${nameOr(supportedGroups, g, true)}, Key Exchange length: ${kl}` });
          kt.add(f.keyShareGroup, c, x, 2);
          kt.add(f.keyShareKeLength, c, x + 2, 2);
          if (kl) kt.add(f.keyShareKe, c, x + 4, kl);
          x += 4 + kl;
        }
      } else if (len === 2) {
        t.add(f.keyShareSelectedGroup, c, o, 2);
      } else if (len >= 4) {
        const kl = c.u16(o + 2);
        const kt = t.addTree(textItem, c, o, box(c, o, 4 + kl), { label: `Key Share Entry: Group: ${nameOr(supportedGroups, c.u16(o), true)}, Key Exchange length: ${kl}` });
        kt.add(f.keyShareGroup, c, o, 2);
        kt.add(f.keyShareKeLength, c, o + 2, 2);
        if (kl) kt.add(f.keyShareKe, c, o + 4, kl);
      }
      return;
    }
    case 65281: {
      if (len < 1) break;
      const rt = t.addTree(textItem, c, o, box(c, o, len), { label: 'Renegotiation Info extension' });
      const l = c.u8(o);
      rt.add(f.renegInfoLen, c, o, 1);
      if (l) rt.add(f.renegInfo, c, o + 1, l);
      return;
    }
    case 21:
      if (len) t.add(f.paddingData, c, o, len);
      return;
  }
  if (len > 0) t.add(f.extData, c, o, len);
}

function dissectHello(p: Parse, t: Tree, o: number, end: number, hsType: number): void {
  const { c } = p;
  const ver = c.u16(o);
  t.add(f.hsVersion, c, o, 2);
  const rt = t.addTree(f.random, c, o + 2, 32);
  const secs = c.u32(o + 2);
  rt.add(f.randomTime, c, o + 2, 4, { value: BigInt(secs) * 1_000_000_000n });
  rt.add(f.randomBytes, c, o + 6, 28);
  let x = o + 34;
  const sidLen = c.u8(x);
  t.add(f.sessionIdLength, c, x, 1, { value: sidLen });
  if (sidLen) t.add(f.sessionId, c, x + 1, sidLen);
  x += 1 + sidLen;
  let negotiated = ver;
  // JA3 / JA3S parts: decimal values, GREASE left out.
  const ja3Ciphers: number[] = [];
  const ja3Exts: number[] = [];
  const ja3Groups: number[] = [];
  const ja3Formats: number[] = [];
  if (hsType === 1) {
    const csLen = c.u16(x);
    t.add(f.cipherSuitesLength, c, x, 2);
    const ct = t.addTree(f.cipherSuites, c, x + 2, box(c, x + 2, csLen), { label: `Cipher Suites (${csLen >> 1} suite${csLen >> 1 === 1 ? '' : 's'})` });
    for (let k = x + 2; k + 2 <= x + 2 + csLen; k += 2) {
      const cs = c.u16(k);
      if (!isGrease(cs)) ja3Ciphers.push(cs);
      ct.add(f.cipherSuite, c, k, 2, { label: `Cipher Suite: ${isGrease(cs) ? 'Reserved (GREASE)' : cipherSuites[cs] ?? 'Unknown'} (${hex16(cs)})` });
    }
    x += 2 + csLen;
    const cmLen = c.u8(x);
    t.add(f.compMethodsLength, c, x, 1);
    const mt = t.addTree(f.compMethods, c, x + 1, cmLen, { label: `Compression Methods (${cmLen} method${cmLen === 1 ? '' : 's'})` });
    for (let k = x + 1; k < x + 1 + cmLen; k++) mt.add(f.compMethod, c, k, 1);
    x += 1 + cmLen;
  } else {
    const cs = c.u16(x);
    t.add(f.cipherSuite, c, x, 2, { label: `Cipher Suite: ${cipherSuites[cs] ?? 'Unknown'} (${hex16(cs)})` });
    p.cipher = cs;
    ja3Ciphers.push(cs);
    t.add(f.compMethod, c, x + 2, 1);
    x += 3;
  }
  if (x + 2 <= end) {
    const extLen = c.u16(x);
    t.add(f.extensionsLength, c, x, 2);
    x += 2;
    const extEnd = Math.min(end, x + extLen);
    for (let i = 0; x + 4 <= extEnd && i < 1000; i++) {
      const type = c.u16(x);
      const len = c.u16(x + 2);
      const name = isGrease(type) ? 'Reserved (GREASE)' : extensionTypes[type] ?? 'Unknown type ' + type;
      const et = t.addTree(textItem, c, x, box(c, x, 4 + len), { label: `Extension: ${name} (len=${len})` });
      et.add(f.extType, c, x, 2, { label: `Type: ${name} (${type})` });
      et.add(f.extLen, c, x + 2, 2);
      dissectExtension(p, et, x + 4, type, len, hsType);
      if (type === 43 && hsType === 2 && len >= 2) negotiated = c.u16(x + 4);
      if (!isGrease(type)) ja3Exts.push(type);
      if (type === 10 && len >= 2) {
        for (let k = x + 6; k + 2 <= Math.min(x + 4 + len, x + 6 + c.u16(x + 4)); k += 2) if (!isGrease(c.u16(k))) ja3Groups.push(c.u16(k));
      } else if (type === 11 && len >= 1) {
        for (let k = x + 5; k < Math.min(x + 4 + len, x + 5 + c.u8(x + 4)); k++) ja3Formats.push(c.u8(k));
      }
      x += 4 + len;
    }
  }
  if (hsType === 1) {
    const full = `${ver},${ja3Ciphers.join('-')},${ja3Exts.join('-')},${ja3Groups.join('-')},${ja3Formats.join('-')}`;
    t.generated(f.ja3Full, full, `[JA3 Fullstring: ${full}]`);
    const h = md5Hex(full);
    t.generated(f.ja3, h, `[JA3: ${h}]`);
  } else {
    const full = `${ver},${ja3Ciphers.join('-')},${ja3Exts.join('-')}`;
    t.generated(f.ja3sFull, full, `[JA3S Fullstring: ${full}]`);
    const h = md5Hex(full);
    t.generated(f.ja3s, h, `[JA3S: ${h}]`);
  }
  if (hsType === 2) {
    const v = normalizeVersion(negotiated);
    if (versionShort[v]) p.version = v;
  }
}

/** The key exchange a cipher suite uses, from its name (only what we decode). */
function kex(cs: number): 'ecdhe' | 'rsa' | null {
  const name = cipherSuites[cs];
  if (!name) return null;
  if (name.startsWith('TLS_ECDHE_')) return 'ecdhe';
  if (name.startsWith('TLS_RSA_')) return 'rsa';
  return null;
}

function dissectHandshakeBody(p: Parse, t: Tree, type: number, o: number, len: number): void {
  const { c } = p;
  const end = o + len;
  switch (type) {
    case 1:
    case 2:
      dissectHello(p, t, o, end, type);
      return;
    case 11: {
      if (len < 3) break;
      const l = c.u24(o);
      t.add(f.certificatesLength, c, o, 3);
      const ct = t.addTree(f.certificates, c, o + 3, box(c, o + 3, Math.min(l, len - 3)), { label: `Certificates (${l} bytes)` });
      for (let x = o + 3, i = 0; x + 3 <= Math.min(end, o + 3 + l) && i < 1000; i++) {
        const cl = c.u24(x);
        ct.add(f.certificateLength, c, x, 3);
        // tshark lists the OID-dispatched parts of each certificate as layers (x509sat, x509ce, ...).
        x509Layers(c.bytes(x + 3, Math.max(0, Math.min(cl, c.end - x - 3))), p.ctx.protocols);
        ct.add(f.certificate, c, x + 3, cl);
        x += 3 + cl;
      }
      return;
    }
    case 13: {
      // Certificate Request: types, (TLS 1.2) signature algorithms, then the CA names, whose
      // attributes tshark lists as x509sat layers.
      let x = o;
      const nTypes = c.u8(x);
      x += 1 + nTypes;
      if (p.version === 0x0303) x += 2 + c.u16(x);
      const dnEnd = Math.min(end, x + 2 + c.u16(x));
      x += 2;
      for (let i = 0; x + 2 <= dnEnd && i < 1000; i++) {
        const l = c.u16(x);
        x509NameLayers(c.bytes(x + 2, Math.max(0, Math.min(l, c.end - x - 2))), p.ctx.protocols);
        x += 2 + l;
      }
      return;
    }
    case 22: {
      // Certificate Status: an OCSP response (status_type 1).
      if (len >= 4 && c.u8(o) === 1) {
        const l = c.u24(o + 1);
        ocspResponseLayers(c.bytes(o + 4, Math.max(0, Math.min(l, c.end - o - 4))), p.ctx.protocols);
      }
      return;
    }
    case 12: {
      // Server Key Exchange, ECDHE with a named curve (the usual case): curve, point, signature.
      if (len < 4 || c.u8(o) !== 3 || kex(p.cipher) !== 'ecdhe') break;
      const pl = c.u8(o + 3);
      if (4 + pl > len) break;
      const et = t.addTree(textItem, c, o, len, { label: 'EC Diffie-Hellman Server Params' });
      et.add(f.curveType, c, o, 1);
      et.add(f.namedCurve, c, o + 1, 2);
      et.add(f.serverPointLen, c, o + 3, 1);
      et.add(f.serverPoint, c, o + 4, pl);
      let x = o + 4 + pl;
      if (p.version === 0x0303 && x + 2 <= end) {
        const a = c.u16(x);
        et.add(f.sigHashAlg, c, x, 2, { label: `Signature Algorithm: ${nameOr(sigAlgs, a)} (${hex16(a)})` });
        x += 2;
      }
      if (x + 2 <= end) {
        const sl = c.u16(x);
        et.add(f.sigLen, c, x, 2);
        if (sl && x + 2 + sl <= end) et.add(f.sig, c, x + 2, sl);
      }
      return;
    }
    case 16: {
      // Client Key Exchange: an EC point (1-byte length) or an encrypted premaster (2-byte length).
      const k = kex(p.cipher);
      if (k === 'ecdhe' && len >= 1 && c.u8(o) + 1 === len) {
        const et = t.addTree(textItem, c, o, len, { label: 'EC Diffie-Hellman Client Params' });
        et.add(f.clientPointLen, c, o, 1);
        et.add(f.clientPoint, c, o + 1, len - 1);
      } else if (k === 'rsa' && len >= 2 && c.u16(o) + 2 === len) {
        const et = t.addTree(textItem, c, o, len, { label: 'RSA Encrypted PreMaster Secret' });
        et.add(f.epmsLen, c, o, 2);
        et.add(f.epms, c, o + 2, len - 2);
      }
      return;
    }
    case 4: {
      if (len < 6) break;
      const life = c.u32(o);
      const tt = t.addTree(textItem, c, o, box(c, o, len), { label: 'TLS Session Ticket' });
      tt.add(f.ticketLifetime, c, o, 4, { value: life, label: `Session Ticket Lifetime Hint: ${life} seconds` });
      const tl = c.u16(o + 4);
      tt.add(f.ticketLength, c, o + 4, 2);
      if (tl) tt.add(f.ticket, c, o + 6, tl);
      return;
    }
  }
}

function dissectHandshakeRecord(p: Parse, rt: Tree, o: number, end: number): string {
  const { c } = p;
  const names: string[] = [];
  const ccs = p.session.ccs.get(p.dir);
  const afterCcs = ccs !== undefined && before(ccs, p.pos);
  for (let x = o, i = 0; x < end && i < 10000; i++) {
    let encrypted = afterCcs || x + 4 > end;
    let type = 0;
    let len = 0;
    if (!encrypted) {
      type = c.u8(x);
      len = c.u24(x + 1);
      encrypted = len + 4 > end - x || handshakeTypes[type] === undefined;
    }
    if (encrypted) {
      rt.add(f.handshake, c, x, box(c, x, end - x), { label: 'Handshake Protocol: Encrypted Handshake Message' });
      p.info('Encrypted Handshake Message');
      names.push('Encrypted Handshake Message');
      break;
    }
    const name = handshakeTypes[type]!;
    p.info(name);
    names.push(name);
    const ht = rt.addTree(f.handshake, c, x, box(c, x, 4 + len), { label: `Handshake Protocol: ${name}` });
    ht.add(f.hsType, c, x, 1);
    ht.add(f.hsLength, c, x + 1, 3);
    dissectHandshakeBody(p, ht, type, x + 4, len);
    x += 4 + len;
  }
  return names.join(', ');
}

type RecordResult = { next: number; stop: boolean };

function dissectRecord(p: Parse, tree: Tree, o: number): RecordResult {
  const { c, ctx } = p;
  const avail = c.reportedRemaining(o);
  const v = p.version;
  if ((v === 0x0301 || v === 0x0302 || v === 0x0303 || v === 0x0101) && avail >= 1 && !VALID_CONTENT(c.u8(o))) {
    tree.expert('note', 'protocol', 'Ignored Unknown Record', c, o, Math.min(avail, c.remaining(o)));
    p.info('Ignored Unknown Record');
    ctx.columns.protocol = versionShort[v] ?? 'TLS';
    return { next: c.reportedEnd, stop: true };
  }
  if (avail < 5) {
    if (ctx.canDesegment) {
      ctx.desegmentOffset = o;
      ctx.desegmentLen = DESEGMENT_ONE_MORE_SEGMENT;
    }
    return { next: c.reportedEnd, stop: true };
  }
  const type = c.u8(o);
  const recVersion = c.u16(o + 1);
  const len = c.u16(o + 3);
  if (!VALID_CONTENT(type)) {
    p.info('Continuation Data');
    ctx.columns.protocol = versionShort[v] ?? 'TLS';
    return { next: o + 5 + len, stop: true };
  }
  if (avail < len + 5) {
    if (ctx.canDesegment) {
      ctx.desegmentOffset = o;
      ctx.desegmentLen = len + 5 - avail;
      return { next: o, stop: true };
    }
    // The record runs past this packet and cannot be reassembled: tshark stops here.
    return { next: c.reportedEnd, stop: true };
  }
  if (p.version === 0) {
    const hsType = type === 22 && c.has(o + 5, 1) ? c.u8(o + 5) : -1;
    const authoritative = type === 20 || type === 21 || type === 23 || type === 24 || (type === 22 && hsType !== 1 && hsType !== 0);
    if (authoritative && versionShort[recVersion] && recVersion !== 0x0304) p.version = recVersion;
  }
  const shown = versionShort[p.version] ?? versionShort[recVersion] ?? 'TLS';
  ctx.columns.protocol = shown;
  const recNode = tree.add(f.record, c, o, box(c, o, 5 + len), { label: `${shown} Record Layer: ${contentTypes[type]} Protocol` });
  const rt = tree.subtree(recNode);
  // TLS 1.3 protects records: the outer type of encrypted ones is an "opaque type".
  rt.add(p.version === 0x0304 && type === 23 ? f.opaqueType : f.contentType, c, o, 1);
  rt.add(f.recordVersion, c, o + 1, 2, { label: versionLabel('Version', recVersion) });
  rt.add(f.recordLength, c, o + 3, 2);
  const body = o + 5;
  const end = body + len;
  switch (type) {
    case 20: {
      const prev = p.session.ccs.get(p.dir);
      if (!prev || before(p.pos, prev)) p.session.ccs.set(p.dir, [...p.pos]);
      p.info('Change Cipher Spec');
      rt.add(f.ccs, c, body, len, { label: 'Change Cipher Spec Message' });
      break;
    }
    case 21:
      if (len === 2) {
        const level = c.u8(body);
        const desc = c.u8(body + 1);
        const text = `Alert (Level: ${alertLevels[level] ?? `Unknown (${level})`}, Description: ${alertDescriptions[desc] ?? `Unknown (${desc})`})`;
        p.info(text);
        recNode.label = `${shown} Record Layer: Alert (Level: ${alertLevels[level] ?? 'Unknown'}, Description: ${alertDescriptions[desc] ?? 'Unknown'})`;
        const at = rt.addTree(f.alert, c, body, 2);
        at.add(f.alertLevel, c, body, 1);
        at.add(f.alertDesc, c, body + 1, 1);
      } else {
        p.info('Encrypted Alert');
        recNode.label = `${shown} Record Layer: Encrypted Alert`;
        if (len) rt.add(f.alert, c, body, len, { label: 'Alert Message: Encrypted Alert' });
      }
      break;
    case 22: {
      const names = dissectHandshakeRecord(p, rt, body, end);
      recNode.label = `${shown} Record Layer: Handshake Protocol: ${names || 'Encrypted Handshake Message'}`;
      break;
    }
    case 23:
      p.info('Application Data');
      recNode.label = `${shown} Record Layer: Application Data Protocol: Application Data`;
      if (len) rt.add(f.appData, c, body, len);
      break;
    case 24:
      p.info(len > 3 && c.u8(body) <= 2 ? 'Heartbeat Request' : 'Encrypted Heartbeat');
      break;
    default:
      p.info(contentTypes[type] ?? 'Unknown');
  }
  ctx.columns.protocol = versionShort[p.version] ?? versionShort[recVersion] ?? 'TLS';
  return { next: end, stop: false };
}

/** The TCP analysis prefix (`[TCP Previous segment not captured] `) tshark's column fence keeps. */
function tcpPrefix(info: string): string {
  const m = /^(\[TCP [^\]]*\] )+/.exec(info);
  return m ? m[0] : '';
}

function dissectTls(c: Cursor, ctx: PacketContext, tree: Tree): number {
  const st = state(ctx);
  const key = convKey(ctx);
  let session = st.sessions.get(key);
  if (!session) st.sessions.set(key, (session = { version: 0, cipher: -1, ccs: new Map() }));
  // Scratch lives for one frame: a count there means an earlier TLS layer in this frame.
  const layer = ((ctx.scratch.get('tls.layer') as number | undefined) ?? 0) + 1;
  const earlier = layer > 1;
  ctx.scratch.set('tls.layer', layer);
  const layerKey = `${ctx.frame.number}:${layer}`;
  const memo = st.atLayer.get(layerKey);
  const firstPass = memo === undefined;
  if (firstPass) st.atLayer.set(layerKey, { version: session.version, cipher: session.cipher });

  ctx.columns.info = earlier ? ctx.columns.info : tcpPrefix(ctx.columns.info);
  const p: Parse = {
    c,
    ctx,
    version: firstPass ? session.version : memo.version,
    cipher: firstPass ? session.cipher : memo.cipher,
    session,
    dir: (ctx.netSrc ? formatBytesHex(ctx.netSrc.bytes) : '') + ':' + ctx.srcPort,
    pos: [ctx.frame.number, layer, 0],
    info: (item) => {
      ctx.columns.info = ctx.columns.info ? `${ctx.columns.info}, ${item}` : item;
    },
  };
  let o = c.start;
  try {
    for (let n = 0; o < c.reportedEnd && n < 100000; n++) {
      const v = p.version;
      if (v === 0 || !SSL3_VERSIONS.has(v)) {
        // Unknown or TLS 1.3 session: only bytes that look like a record header are records.
        const looks = c.has(o, 3) && VALID_CONTENT(c.u8(o)) && SSL3_VERSIONS.has(c.u16(o + 1));
        if (!looks && c.remaining(o) >= 3) {
          p.info('Continuation Data');
          ctx.columns.protocol = versionShort[v] ?? 'SSL';
          o = c.reportedEnd;
          break;
        }
      }
      p.pos[2] = n;
      const r = dissectRecord(p, tree, o);
      o = r.next;
      if (r.stop) break;
    }
  } finally {
    if (firstPass) {
      session.version = p.version;
      session.cipher = p.cipher;
    }
  }
  return Math.min(o, c.reportedEnd) - c.start;
}

/**
 * Wireshark's TLS heuristic on TCP: a handshake record with a Client/Server Hello; the
 * conversation then stays TLS from that frame on.
 */
function heuristic(c: Cursor, ctx: PacketContext): boolean {
  const st = state(ctx);
  const key = convKey(ctx);
  const from = st.heurConv.get(key);
  if (from !== undefined && from <= ctx.frame.number) return true;
  const o = c.start;
  if (!c.has(o, 9)) return false;
  if (c.u8(o) !== 22 || !SSL3_VERSIONS.has(c.u16(o + 1))) return false;
  const recLen = c.u16(o + 3);
  const hsType = c.u8(o + 5);
  if (hsType !== 1 && hsType !== 2) return false;
  if (c.u24(o + 6) + 4 > recLen) return false;
  if (!ctx.visited && (from === undefined || from > ctx.frame.number)) st.heurConv.set(key, ctx.frame.number);
  return true;
}

/** tshark 4.0's tcp.port entries for tls. */
const TLS_PORTS = [324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017];

export default protocol({
  abbrev: 'tls',
  name: 'Transport Layer Security',
  short: 'TLS',
  fields: f,
  register(r) {
    for (const port of TLS_PORTS) r.table('tcp.port', port);
    r.heuristic('tcp', heuristic);
  },
  dissect(c, ctx, tree) {
    return dissectTls(c, ctx, tree);
  },
});
