// The protocol layers tshark lists in frame.protocols for an X.509 certificate carried in a
// TLS Certificate message. Wireshark dissects certificate fields through its BER OID table,
// and every OID-registered callback (name attributes -> x509sat, extensions -> x509ce, AIA ->
// pkix1implicit, CPS qualifiers -> pkix1explicit, EC parameters -> pkcs-1, SCT lists -> tls)
// counts as a layer. We walk the DER just enough to list the same layers in the same order;
// the walk is bounded (depth, element count) and stops where the bytes stop, as Wireshark's
// exception does.

interface Tlv {
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
  return { tag, start: p, end: p + len };
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
  if (oid === '1.2.840.10040.4.1' || oid === '1.2.840.10046.2.1') return 'pkix1explicit';
  return null;
}

function extensionLayer(oid: string): string | null {
  if (oid.startsWith('2.5.29.')) return 'x509ce';
  if (oid === '1.3.6.1.5.5.7.1.1' || oid === '1.3.6.1.5.5.7.1.11') return 'pkix1implicit';
  if (oid === '1.3.6.1.4.1.11129.2.4.2') return 'tls';
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
      if (!this.ok || !this.check(value)) return;
    }
    this.check(t);
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
        if (oid && value && (oid === '1.3.6.1.5.5.7.2.1' || oid === '1.3.6.1.5.5.7.2.2')) this.out.push('pkix1explicit');
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
