// The protocol layers tshark lists in frame.protocols for an X.509 certificate carried in a
// TLS Certificate message. Wireshark dissects certificate fields through its BER OID table,
// and every OID-registered callback (name attributes -> x509sat, extensions -> x509ce, AIA and
// user notices -> pkix1implicit, CPS pointers -> pkix1explicit, EC parameters -> pkcs-1, DSA
// parameters -> x509af, Netscape extensions -> ns_cert_exts, SCT lists -> tls)
// counts as a layer. We walk the DER just enough to list the same layers in the same order;
// the walk is bounded (depth, element count) and stops where the bytes stop, as Wireshark's
// exception does.

interface Tlv {
  /** Offset of the tag byte. */
  hdr: number;
  tag: number;
  /** First content byte. */
  start: number;
  /** One past the last content byte (may lie beyond the data when cut short). */
  end: number;
}

/** Reads a DER header at `o` (short or long form, lengths up to 4 bytes); null when cut. */
function tlv(b: Uint8Array, o: number, limit: number): Tlv | null {
  if (o + 2 > limit) return null;
  const tag = b[o]!;
  if ((tag & 0x1f) === 0x1f) return null; // high tag numbers do not occur in certificates
  let len = b[o + 1]!;
  let p = o + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i]!;
    p += n;
  }
  return { hdr: o, tag, start: p, end: p + len };
}

function oidText(b: Uint8Array, t: Tlv, limit: number): string | null {
  if (t.tag !== 0x06 || t.end > limit || t.end <= t.start) return null;
  const parts: number[] = [];
  let v = 0;
  for (let i = t.start; i < t.end; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** Children of a constructed element, as far as the data goes. */
function children(b: Uint8Array, t: Tlv, limit: number, max = 4096): Tlv[] {
  const out: Tlv[] = [];
  const end = Math.min(t.end, limit);
  for (let o = t.start; o < end && out.length < max; ) {
    const c = tlv(b, o, limit);
    if (!c) break;
    out.push(c);
    o = c.end;
  }
  return out;
}

function attributeLayer(oid: string): string | null {
  if (oid.startsWith('2.5.4.')) return 'x509sat';
  if (oid === '1.2.840.113549.1.9.1' || oid === '0.9.2342.19200300.100.1.25') return 'x509sat';
  return null;
}

function algorithmParamLayer(oid: string): string | null {
  if (oid === '1.2.840.10045.2.1') return 'pkcs-1';
  if (oid === '1.2.840.10040.4.1') return 'x509af'; // DSS-Params
  if (oid === '1.2.840.10046.2.1') return 'pkix1explicit';
  return null;
}

/** The certificate extensions x509ce registers (2.5.29.N). */
const X509CE = new Set([9, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 27, 28, 29, 30, 31, 32, 33, 35, 36, 37, 46, 54, 55, 56]);

function extensionLayer(oid: string): string | null {
  if (oid.startsWith('2.5.29.')) return X509CE.has(Number(oid.slice(7))) ? 'x509ce' : null;
  if (oid.startsWith('2.16.840.1.113730.1.')) return 'ns_cert_exts';
  if (oid === '1.3.6.1.5.5.7.1.1' || oid === '1.3.6.1.5.5.7.1.11') return 'pkix1implicit';
  if (oid === '1.3.6.1.4.1.11129.2.4.2') return 'tls';
  if (oid.startsWith('1.3.6.1.5.5.7.48.1.')) return 'ocsp'; // OCSP no-check, nonce, ...
  return null;
}

class Walk {
  /** False once an element ran past the data: nothing after that point is listed. */
  ok = true;
  constructor(readonly b: Uint8Array, readonly out: string[]) {}

  kids(t: Tlv): Tlv[] {
    return children(this.b, t, this.b.length);
  }

  /** Stops the walk when `t` is cut short (after the caller has handled it). */
  check(t: Tlv | undefined): boolean {
    if (!t || t.end > this.b.length) this.ok = false;
    return this.ok;
  }

  oid(t: Tlv | undefined): string | null {
    return t ? oidText(this.b, t, this.b.length) : null;
  }

  algorithm(t: Tlv): void {
    const [id, params] = this.kids(t);
    const oid = this.oid(id);
    if (!oid) return void this.check(undefined);
    if (params) {
      const layer = algorithmParamLayer(oid);
      if (layer) this.out.push(layer);
    }
    this.check(t);
  }

  name(t: Tlv): void {
    for (const rdn of this.kids(t)) {
      for (const ava of this.kids(rdn)) {
        const [type, value] = this.kids(ava);
        const oid = this.oid(type);
        if (!oid || !value) return void this.check(undefined);
        const layer = attributeLayer(oid);
        if (layer) this.out.push(layer);
        if (!this.check(value)) return;
      }
      if (!this.check(rdn)) return;
    }
    this.check(t);
  }

  extensions(t: Tlv): void {
    const [list] = this.kids(t);
    if (!list) return void this.check(undefined);
    for (const ext of this.kids(list)) {
      const parts = this.kids(ext);
      const oid = this.oid(parts[0]);
      const value = parts.find((p, i) => i > 0 && p.tag === 0x04);
      if (!oid || !value) return void this.check(undefined);
      const layer = extensionLayer(oid);
      if (layer) this.out.push(layer);
      if (oid === '2.5.29.32') this.policies(value);
      else if (layer === 'x509ce') this.directoryNames(value, 0);
      if (!this.ok || !this.check(value)) return;
    }
    this.check(t);
  }

  /**
   * GeneralNames inside an extension (authority key issuer, CRL distribution points, alt
   * names): each directoryName ([4]) is a Name whose attributes are x509sat layers.
   */
  directoryNames(t: Tlv, depth: number): void {
    if (depth > 8) return;
    const inner = depth === 0 ? tlv(this.b, t.start, this.b.length) : null;
    const list = depth === 0 ? (inner ? [inner] : []) : this.kids(t);
    for (const k of list) {
      if (!this.ok) return;
      if (k.tag === 0xa4) {
        const [name] = this.kids(k);
        if (name && name.tag === 0x30) this.name(name);
      } else if (k.tag === 0x30 || k.tag === 0x31 || (k.tag >= 0xa0 && k.tag <= 0xbf)) {
        this.directoryNames(k, depth + 1);
      }
    }
  }

  /** certificatePolicies: each qualifier is dissected by its OID (CPS / user notice). */
  policies(octets: Tlv): void {
    const seq = tlv(this.b, octets.start, this.b.length);
    if (!seq) return;
    for (const info of this.kids(seq)) {
      const [, qualifiers] = this.kids(info);
      if (!qualifiers) continue;
      for (const q of this.kids(qualifiers)) {
        const [id, value] = this.kids(q);
        const oid = this.oid(id);
        // CPS pointers are pkix1explicit's, user notices pkix1implicit's.
        if (oid && value && oid === '1.3.6.1.5.5.7.2.1') this.out.push('pkix1explicit');
        if (oid && value && oid === '1.3.6.1.5.5.7.2.2') this.out.push('pkix1implicit');
      }
    }
  }
}

/** Appends to `out` the layers tshark lists for the DER certificate `der` (possibly cut short). */
export function x509Layers(der: Uint8Array, out: string[]): void {
  const w = new Walk(der, out);
  const cert = tlv(der, 0, der.length);
  if (!cert || cert.tag !== 0x30) return;
  const [tbs, sigAlg] = w.kids(cert);
  if (!tbs || tbs.tag !== 0x30) return;
  const items = w.kids(tbs);
  let i = 0;
  if (items[i]?.tag === 0xa0) i++;
  i++; // serialNumber
  const steps: ((t: Tlv) => void)[] = [
    (t) => w.algorithm(t),
    (t) => w.name(t),
    () => undefined, // validity
    (t) => w.name(t),
    (t) => {
      const [alg] = w.kids(t);
      if (alg) w.algorithm(alg);
    },
  ];
  for (const step of steps) {
    const t = items[i++];
    if (!t) return;
    step(t);
    if (!w.ok || !w.check(t)) return;
  }
  for (; i < items.length && w.ok; i++) if (items[i]!.tag === 0xa3) w.extensions(items[i]!);
  if (w.ok && sigAlg) w.algorithm(sigAlg);
}

/** Layers of a DER Name on its own (TLS Certificate Request distinguished names). */
export function x509NameLayers(der: Uint8Array, out: string[]): void {
  const w = new Walk(der, out);
  const name = tlv(der, 0, der.length);
  if (name && name.tag === 0x30) w.name(name);
}

/** Extensions ([n] EXPLICIT SEQUENCE OF Extension) of an OCSP structure: nonce etc. are ocsp's. */
function ocspExtensions(w: Walk, t: Tlv): void {
  const [list] = w.kids(t);
  if (!list) return;
  for (const ext of w.kids(list)) {
    const parts = w.kids(ext);
    const oid = w.oid(parts[0]);
    const value = parts.find((p, i) => i > 0 && p.tag === 0x04);
    if (!oid || !value) return;
    const layer = extensionLayer(oid);
    if (layer) w.out.push(layer);
  }
}

/**
 * Layers of a DER OCSPResponse (RFC 6960): `ocsp` for the BasicOCSPResponse, the responder's
 * name attributes, response extensions, and each included certificate's layers.
 */
export function ocspResponseLayers(der: Uint8Array, out: string[]): void {
  const w = new Walk(der, out);
  const top = tlv(der, 0, der.length);
  if (!top || top.tag !== 0x30) return;
  const bytes = w.kids(top).find((k) => k.tag === 0xa0);
  const [rb] = bytes ? w.kids(bytes) : [];
  const [type, octets] = rb ? w.kids(rb) : [];
  if (w.oid(type) !== '1.3.6.1.5.5.7.48.1.1' || !octets || octets.tag !== 0x04) return;
  out.push('ocsp');
  const basic = tlv(der, octets.start, der.length);
  if (!basic || basic.tag !== 0x30) return;
  const [tbs, , , certs] = w.kids(basic);
  if (tbs && tbs.tag === 0x30) {
    let afterResponses = false;
    for (const k of w.kids(tbs)) {
      if (k.tag === 0xa1 && !afterResponses) {
        // responderID byName: the responder's distinguished name.
        const [name] = w.kids(k);
        if (name && name.tag === 0x30) w.name(name);
      } else if (k.tag === 0xa1) {
        ocspExtensions(w, k);
      } else if (k.tag === 0x30) {
        afterResponses = true;
      }
      if (!w.ok) return;
    }
  }
  if (certs && certs.tag === 0xa0) {
    const [list] = w.kids(certs);
    for (const cert of list ? w.kids(list) : []) x509Layers(der.subarray(cert.hdr, Math.min(der.length, cert.end)), out);
  }
}

/** Layers of a DER OCSPRequest: `ocsp` for each request extension OID ocsp registers (nonce). */
export function ocspRequestLayers(der: Uint8Array, out: string[]): void {
  const w = new Walk(der, out);
  const top = tlv(der, 0, der.length);
  if (!top || top.tag !== 0x30) return;
  const [tbs] = w.kids(top);
  if (!tbs || tbs.tag !== 0x30) return;
  for (const k of w.kids(tbs)) if (k.tag === 0xa2) ocspExtensions(w, k);
}
