// IPsec Encapsulating Security Payload (RFC 4303), IP protocol 50: SPI and sequence number;
// the rest is encrypted. Info: `ESP (SPI=0x48dac2e4)`.

import { field, protocol } from '../core/registry.ts';

const f = {
  spi: field('esp.spi', 'ESP SPI', 'uint32', { base: 'hex_dec' }),
  sequence: field('esp.sequence', 'ESP Sequence', 'uint32'),
  encrypted: field('esp.encrypted_data', 'Encrypted Data', 'bytes'),
};

export default protocol({
  abbrev: 'esp',
  name: 'Encapsulating Security Payload',
  short: 'ESP',
  fields: f,
  register(r) {
    r.table('ip.proto', 50);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const spi = c.u32(o);
    tree.add(f.spi, c, o, 4);
    tree.add(f.sequence, c, o + 4, 4);
    ctx.setInfo(`ESP (SPI=0x${spi.toString(16).padStart(8, '0')})`);
    if (c.remaining(o + 8) > 0) tree.add(f.encrypted, c, o + 8, c.remaining(o + 8));
    return c.remaining(o);
  },
});
