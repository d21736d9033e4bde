// IPsec Authentication Header (RFC 4302), IP protocol 51: next header, length, SPI, sequence,
// ICV; the protected payload continues in the `ip.proto` table under the next header.

import { field, protocol } from '../core/registry.ts';

const f = {
  nextHeader: field('ah.next_header', 'Next header', 'uint8'),
  length: field('ah.length', 'Length', 'uint8'),
  reserved: field('ah.reserved', 'Reserved', 'bytes'),
  spi: field('ah.spi', 'AH SPI', 'uint32', { base: 'hex' }),
  sequence: field('ah.sequence', 'AH Sequence', 'uint32'),
  icv: field('ah.icv', 'AH ICV', 'bytes'),
};

export default protocol({
  abbrev: 'ah',
  name: 'Authentication Header',
  short: 'AH',
  fields: f,
  register(r) {
    r.table('ip.proto', 51);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const next = c.u8(o);
    tree.add(f.nextHeader, c, o, 1);
    const len = (c.u8(o + 1) + 2) * 4;
    tree.add(f.length, c, o + 1, 1, { label: `Length: ${c.u8(o + 1)} (${len} bytes)` });
    tree.add(f.reserved, c, o + 2, 2);
    tree.add(f.spi, c, o + 4, 4);
    tree.add(f.sequence, c, o + 8, 4);
    if (len > 12) tree.add(f.icv, c, o + 12, len - 12);
    ctx.setInfo(`AH (SPI=0x${c.u32(o + 4).toString(16).padStart(8, '0')})`);
    const payload = c.sub(o + len);
    if (payload.length > 0 && ctx.call('ip.proto', next, payload, tree) < 0) ctx.callData(payload, tree);
    return c.remaining(o);
  },
});
