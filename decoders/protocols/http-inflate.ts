// DEFLATE (RFC 1951) with gzip (RFC 1952) and zlib (RFC 1950) wrappers, for HTTP bodies sent
// with Content-Encoding gzip/deflate. Pure TypeScript; the output is bounded so a
// decompression bomb costs at most MAX_OUT bytes. Returns null on any error.

const MAX_OUT = 16 * 1024 * 1024;

class BitReader {
  pos: number;
  bit = 0;
  bits = 0;
  constructor(readonly b: Uint8Array, start: number) {
    this.pos = start;
  }
  need(n: number): number {
    while (this.bits < n) {
      if (this.pos >= this.b.length) throw new Error('eof');
      this.bit |= this.b[this.pos++]! << this.bits;
      this.bits += 8;
    }
    const v = this.bit & ((1 << n) - 1);
    this.bit >>>= n;
    this.bits -= n;
    return v;
  }
  align(): void {
    this.bit = 0;
    this.bits = 0;
  }
}

interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
}

function build(lengths: Uint8Array, n: number): Huffman {
  const counts = new Uint16Array(16);
  const symbols = new Uint16Array(n);
  for (let i = 0; i < n; i++) counts[lengths[i]!]!++;
  counts[0] = 0;
  const offs = new Uint16Array(16);
  for (let i = 1; i < 16; i++) offs[i] = offs[i - 1]! + counts[i - 1]!;
  for (let i = 0; i < n; i++) if (lengths[i]) symbols[offs[lengths[i]!]!++] = i;
  return { counts, symbols };
}

function decodeSym(r: BitReader, h: Huffman): number {
  let code = 0;
  let first = 0;
  let index = 0;
  for (let len = 1; len < 16; len++) {
    code |= r.need(1);
    const count = h.counts[len]!;
    if (code - count < first) return h.symbols[index + (code - first)]!;
    index += count;
    first += count;
    first <<= 1;
    code <<= 1;
  }
  throw new Error('bad code');
}

const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CLORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

let fixed: [Huffman, Huffman] | null = null;
function fixedTables(): [Huffman, Huffman] {
  if (fixed) return fixed;
  const l = new Uint8Array(288);
  for (let i = 0; i < 144; i++) l[i] = 8;
  for (let i = 144; i < 256; i++) l[i] = 9;
  for (let i = 256; i < 280; i++) l[i] = 7;
  for (let i = 280; i < 288; i++) l[i] = 8;
  const d = new Uint8Array(30).fill(5);
  fixed = [build(l, 288), build(d, 30)];
  return fixed;
}

class Out {
  buf = new Uint8Array(1024);
  len = 0;
  push(b: number): void {
    if (this.len === this.buf.length) {
      if (this.len >= MAX_OUT) throw new Error('too large');
      const n = new Uint8Array(Math.min(MAX_OUT, this.buf.length * 2));
      n.set(this.buf);
      this.buf = n;
    }
    this.buf[this.len++] = b;
  }
}

/** Raw DEFLATE from `start`; returns the data or throws. */
function inflateRaw(b: Uint8Array, start: number): Uint8Array {
  const r = new BitReader(b, start);
  const out = new Out();
  for (let blocks = 0; blocks < 1_000_000; blocks++) {
    const last = r.need(1);
    const type = r.need(2);
    if (type === 0) {
      r.align();
      if (r.pos + 4 > b.length) throw new Error('eof');
      const len = b[r.pos]! | (b[r.pos + 1]! << 8);
      r.pos += 4;
      if (r.pos + len > b.length) throw new Error('eof');
      for (let i = 0; i < len; i++) out.push(b[r.pos + i]!);
      r.pos += len;
    } else if (type === 1 || type === 2) {
      let lit: Huffman;
      let dist: Huffman;
      if (type === 1) [lit, dist] = fixedTables();
      else {
        const hlit = r.need(5) + 257;
        const hdist = r.need(5) + 1;
        const hclen = r.need(4) + 4;
        const cl = new Uint8Array(19);
        for (let i = 0; i < hclen; i++) cl[CLORDER[i]!] = r.need(3);
        const clh = build(cl, 19);
        const lens = new Uint8Array(hlit + hdist);
        for (let i = 0; i < hlit + hdist; ) {
          const sym = decodeSym(r, clh);
          if (sym < 16) lens[i++] = sym;
          else {
            if (sym === 16 && i === 0) throw new Error('bad repeat');
            const val = sym === 16 ? lens[i - 1]! : 0;
            let rep = sym === 16 ? 3 + r.need(2) : sym === 17 ? 3 + r.need(3) : 11 + r.need(7);
            if (i + rep > hlit + hdist) throw new Error('bad lengths');
            while (rep--) lens[i++] = val;
          }
        }
        lit = build(lens.subarray(0, hlit), hlit);
        dist = build(lens.subarray(hlit), hdist);
      }
      for (;;) {
        const sym = decodeSym(r, lit);
        if (sym < 256) out.push(sym);
        else if (sym === 256) break;
        else {
          const li = sym - 257;
          if (li >= 29) throw new Error('bad length');
          const len = LBASE[li]! + r.need(LEXT[li]!);
          const di = decodeSym(r, dist);
          if (di >= 30) throw new Error('bad distance');
          const d = DBASE[di]! + r.need(DEXT[di]!);
          if (d > out.len) throw new Error('distance too far');
          for (let i = 0; i < len; i++) out.push(out.buf[out.len - d]!);
        }
      }
    } else throw new Error('bad block type');
    if (last) return out.buf.slice(0, out.len);
  }
  throw new Error('too many blocks');
}

/** gzip member(s), zlib stream or raw deflate, as Wireshark's tvb_uncompress tries them. */
export function inflate(b: Uint8Array): Uint8Array | null {
  try {
    if (b.length >= 10 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 8) {
      const flg = b[3]!;
      let p = 10;
      if (flg & 4) p += 2 + (b[p]! | (b[p + 1]! << 8));
      if (flg & 8) while (p < b.length && b[p++] !== 0);
      if (flg & 16) while (p < b.length && b[p++] !== 0);
      if (flg & 2) p += 2;
      if (p > b.length) return null;
      return inflateRaw(b, p);
    }
    if (b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0) {
      try {
        return inflateRaw(b, 2);
      } catch {
        /* fall through to raw */
      }
    }
    return inflateRaw(b, 0);
  } catch {
    return null;
  }
}
