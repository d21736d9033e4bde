// Compuserve GIF images (media type image/gif): the screen descriptor and global settings.
// Info gets the version, e.g. `HTTP/1.1 200 OK  (GIF89a)`.

import { field, protocol } from '../core/registry.ts';
import { NOT_MINE } from '../core/context.ts';

const f = {
  version: field('image-gif.version', 'Version', 'string'),
  screenWidth: field('image-gif.screen.width', 'Screen width', 'uint16'),
  screenHeight: field('image-gif.screen.height', 'Screen height', 'uint16'),
  globalSettings: field('image-gif.global.settings', 'Global settings', 'none'),
  colorMapPresent: field('image-gif.global.color_map.present', 'Global color map is present', 'uint8', { bitmask: 0x80, bitWidth: 8, values: { 0: 'False', 1: 'True' } }),
  colorBpp: field('image-gif.global.color_bpp', 'Bits per color minus 1', 'uint8', { bitmask: 0x70, bitWidth: 8 }),
  colorMapOrdered: field('image-gif.global.color_map.ordered', 'Global color map is ordered', 'uint8', { bitmask: 0x08, bitWidth: 8, values: { 0: 'False', 1: 'True' } }),
  bpp: field('image-gif.global.bpp', 'Image bits per pixel minus 1', 'uint8', { bitmask: 0x07, bitWidth: 8 }),
  background: field('image-gif.image_background_index', 'Background color index', 'uint8'),
  aspect: field('image-gif.global.pixel_aspect_ratio', 'Global pixel aspect ratio', 'uint8'),
  colorMap: field('image-gif.global.color_map', 'Global color map', 'bytes'),
};

export default protocol({
  abbrev: 'image-gif',
  name: 'Compuserve GIF',
  short: '',
  fields: f,
  register(r) {
    r.table('media_type', 'image/gif');
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    if (!c.has(o, 6)) return NOT_MINE;
    const version = c.ascii(o, 6);
    if (version !== 'GIF87a' && version !== 'GIF89a') return NOT_MINE;
    ctx.appendInfo(`(${version})`);
    if (tree.owner) tree.owner.label = `Compuserve GIF, Version: ${version}`;
    tree.add(f.version, c, o, 6);
    tree.add(f.screenWidth, c, o + 6, 2, { le: true });
    tree.add(f.screenHeight, c, o + 8, 2, { le: true });
    const flags = c.u8(o + 10);
    const bits = ((flags >> 4) & 7) + 1;
    const ppx = (flags & 7) + 1;
    const gs = tree.addTree(f.globalSettings, c, o + 10, 1, {
      label: `Global settings:${flags & 0x80 ? ' (Global color table present)' : ''} (${bits} bit${bits > 1 ? 's' : ''} per color) (${ppx} bit${ppx > 1 ? 's' : ''} per pixel)`,
    });
    gs.add(f.colorMapPresent, c, o + 10, 1);
    gs.add(f.colorBpp, c, o + 10, 1);
    gs.add(f.colorMapOrdered, c, o + 10, 1);
    gs.add(f.bpp, c, o + 10, 1);
    tree.add(f.background, c, o + 11, 1);
    if (c.u8(o + 12)) tree.add(f.aspect, c, o + 12, 1);
    if (flags & 0x80) tree.add(f.colorMap, c, o + 13, 3 * (1 << ppx));
    return c.remaining(o);
  },
});
