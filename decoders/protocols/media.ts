// Wireshark's `media`: the fallback for a body whose media type no dissector claims. It only
// shows the bytes and appends the media type to Info, e.g. `HTTP/1.1 200 OK  (image/bmp)`.
// Callers (HTTP, SIP, ...) call it by name when `ctx.call('media_type', type, ...)` returns -1.

import { field, protocol } from '../core/registry.ts';
import { mediaType } from './media-common.ts';

const f = {
  type: field('media.type', 'Media type', 'bytes'),
};

export default protocol({
  abbrev: 'media',
  name: 'Media Type',
  short: '',
  fields: f,
  dissect(c, ctx, tree) {
    const o = c.start;
    const type = mediaType(ctx);
    ctx.appendInfo(`(${type})`);
    const len = c.reportedRemaining(o);
    tree.add(f.type, c, o, Math.min(len, c.remaining(o)), { label: `Media type: ${type} (${len} byte${len === 1 ? '' : 's'})` });
    return c.remaining(o);
  },
});
