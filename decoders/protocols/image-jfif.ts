// JPEG File Interchange Format (image/jpeg, image/jpg, image/pjpeg): the start-of-image
// marker and the marker segments up to the start of scan, each with its length.

import { field, protocol } from '../core/registry.ts';
import { NOT_MINE } from '../core/context.ts';

const markerNames: Record<number, string> = {
  0xffd8: 'Start of Image', 0xffd9: 'End of Image', 0xffda: 'Start of Scan', 0xffdb: 'Define quantization table(s)',
  0xffc4: 'Define Huffman table(s)', 0xffdd: 'Define restart interval', 0xfffe: 'Comment',
  0xffc0: 'Start of Frame (non-differential, Huffman coding) - Baseline DCT',
  0xffc1: 'Start of Frame (non-differential, Huffman coding) - Extended sequential DCT',
  0xffc2: 'Start of Frame (non-differential, Huffman coding) - Progressive DCT',
};
for (let i = 0; i < 16; i++) markerNames[0xffe0 + i] = `Reserved for application segments - ${i}`;

const f = {
  marker: field('image-jfif.marker', 'Marker', 'uint16', { base: 'hex', values: markerNames }),
  segment: field('image-jfif.marker_segment', 'Marker segment', 'none'),
  length: field('image-jfif.length', 'Length', 'uint16'),
  identifier: field('image-jfif.identifier', 'Identifier', 'string'),
  versionMajor: field('image-jfif.version.major', 'Major Version', 'uint8'),
  versionMinor: field('image-jfif.version.minor', 'Minor Version', 'uint8'),
  units: field('image-jfif.units', 'Units', 'uint8', { values: { 0: 'Absent', 1: 'Dots per inch', 2: 'Dots per centimeter' } }),
  xdensity: field('image-jfif.Xdensity', 'Xdensity', 'uint16'),
  ydensity: field('image-jfif.Ydensity', 'Ydensity', 'uint16'),
  xthumb: field('image-jfif.Xthumbnail', 'Xthumbnail', 'uint16'),
  ythumb: field('image-jfif.Ythumbnail', 'Ythumbnail', 'uint16'),
};

/** Segments shown before the entropy-coded data; bounded. */
const MAX_SEGMENTS = 64;

export default protocol({
  abbrev: 'image-jfif',
  name: 'JPEG File Interchange Format',
  short: '',
  fields: f,
  register(r) {
    for (const t of ['image/jpeg', 'image/jpg', 'image/jfif', 'image/pjpeg']) r.table('media_type', t);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    // Start of image followed by an APP0 (JFIF) or APP1 (Exif) segment; other files are
    // left to the generic media dissector, as tshark does.
    if (!c.has(o, 4) || c.u16(o) !== 0xffd8 || (c.u16(o + 2) !== 0xffe0 && c.u16(o + 2) !== 0xffe1)) return NOT_MINE;
    ctx.appendInfo('(JPEG JFIF image)');
    tree.add(f.marker, c, o, 2);
    let p = o + 2;
    for (let i = 0; i < MAX_SEGMENTS && c.has(p, 4); i++) {
      const m = c.u16(p);
      if ((m & 0xff00) !== 0xff00 || m === 0xffd9) break;
      const len = c.u16(p + 2);
      const name = markerNames[m] ?? 'Marker segment';
      const seg = tree.addTree(f.segment, c, p, Math.min(2 + len, c.remaining(p)), { label: `Marker segment: ${name} (0x${m.toString(16).toUpperCase()})` });
      seg.add(f.marker, c, p, 2);
      seg.add(f.length, c, p + 2, 2);
      if (m === 0xffe0 && len >= 14 && c.ascii(p + 4, 5) === 'JFIF\0') {
        seg.add(f.identifier, c, p + 4, 5, { value: 'JFIF' });
        seg.add(f.versionMajor, c, p + 9, 1);
        seg.add(f.versionMinor, c, p + 10, 1);
        seg.add(f.units, c, p + 11, 1);
        seg.add(f.xdensity, c, p + 12, 2);
        seg.add(f.ydensity, c, p + 14, 2);
        seg.add(f.xthumb, c, p + 16, 1);
        seg.add(f.ythumb, c, p + 17, 1);
      }
      p += 2 + len;
      if (m === 0xffda) break;
    }
    return c.remaining(o);
  },
});
