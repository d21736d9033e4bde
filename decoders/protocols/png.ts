// Portable Network Graphics (image/png, and by signature): the signature and the chunks,
// with the IHDR fields. Info gets ` (PNG)`.

import { field, protocol } from '../core/registry.ts';
import { NOT_MINE } from '../core/context.ts';

const f = {
  signature: field('png.signature', 'PNG Signature', 'bytes'),
  chunk: field('png.chunk.data', 'Data', 'none'),
  type: field('png.chunk.type', 'Chunk', 'string'),
  len: field('png.chunk.len', 'Len', 'uint32'),
  crc: field('png.chunk.crc', 'CRC', 'uint32', { base: 'hex' }),
  ancillary: field('png.chunk.flag.ancillary', 'Ancillary', 'bool', { bitmask: 0x20000000, bitWidth: 32 }),
  private: field('png.chunk.flag.private', 'Private', 'bool', { bitmask: 0x00200000, bitWidth: 32 }),
  stc: field('png.chunk.flag.stc', 'Safe To Copy', 'bool', { bitmask: 0x00000020, bitWidth: 32 }),
  width: field('png.ihdr.width', 'Width', 'uint32'),
  height: field('png.ihdr.height', 'Height', 'uint32'),
  bitdepth: field('png.ihdr.bitdepth', 'Bit Depth', 'uint8'),
  colourType: field('png.ihdr.colour_type', 'Colour Type', 'uint8'),
};

const SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_CHUNKS = 256;

export default protocol({
  abbrev: 'png',
  name: 'Portable Network Graphics',
  short: '',
  fields: f,
  register(r) {
    r.table('media_type', 'image/png');
    // Wireshark also recognises PNG by its signature in HTTP bodies of another media type.
    r.heuristic('http', (c) => c.has(c.start, 8) && SIG.every((b, i) => c.u8(c.start + i) === b));
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    if (!c.has(o, 8) || !SIG.every((b, i) => c.u8(o + i) === b)) return NOT_MINE;
    ctx.appendInfo('(PNG)');
    tree.add(f.signature, c, o, 8);
    let p = o + 8;
    for (let i = 0; i < MAX_CHUNKS && c.has(p, 8); i++) {
      const len = c.u32(p);
      const type = c.ascii(p + 4, 4);
      const ch = tree.addTree(f.chunk, c, p, Math.min(12 + len, c.remaining(p)), { label: `${type}` });
      ch.add(f.len, c, p, 4);
      const t = ch.addTree(f.type, c, p + 4, 4);
      t.add(f.ancillary, c, p + 4, 4);
      t.add(f.private, c, p + 4, 4);
      t.add(f.stc, c, p + 4, 4);
      if (type === 'IHDR' && len >= 13) {
        ch.add(f.width, c, p + 8, 4);
        ch.add(f.height, c, p + 12, 4);
        ch.add(f.bitdepth, c, p + 16, 1);
        ch.add(f.colourType, c, p + 17, 1);
      }
      if (len > 0x7fffffff) break;
      ch.add(f.crc, c, p + 8 + len, 4);
      p += 12 + len;
      if (type === 'IEND') break;
    }
    return c.remaining(o);
  },
});
