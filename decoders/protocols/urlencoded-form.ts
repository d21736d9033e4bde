// HTML form URL encoded bodies (application/x-www-form-urlencoded): key/value pairs.

import { field, protocol } from '../core/registry.ts';
import { mediaType } from './media-common.ts';

const f = {
  item: field('urlencoded-form.item', 'Form item', 'none'),
  key: field('urlencoded-form.key', 'Key', 'string'),
  value: field('urlencoded-form.value', 'Value', 'string'),
};

function unescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

const MAX_ITEMS = 10_000;

export default protocol({
  abbrev: 'urlencoded-form',
  name: 'HTML Form URL Encoded',
  short: '',
  fields: f,
  register(r) {
    r.table('media_type', 'application/x-www-form-urlencoded');
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const type = mediaType(ctx) || 'application/x-www-form-urlencoded';
    ctx.appendInfo(`(${type})`);
    if (tree.owner) tree.owner.label = `HTML Form URL Encoded: ${type}`;
    let p = o;
    for (let n = 0; n < MAX_ITEMS && p < c.end; n++) {
      let amp = c.find(p, 0x26);
      if (amp < 0) amp = c.end;
      const eq = c.find(p, 0x3d, amp);
      const keyEnd = eq < 0 ? amp : eq;
      const key = unescape(c.ascii(p, keyEnd - p));
      const value = eq < 0 ? '' : unescape(c.ascii(eq + 1, amp - eq - 1));
      const t = tree.addTree(f.item, c, p, amp - p, { label: `Form item: "${key}" = "${value}"` });
      t.add(f.key, c, p, keyEnd - p, { value: key });
      if (eq >= 0) t.add(f.value, c, eq + 1, amp - eq - 1, { value });
      p = amp + 1;
    }
    return c.remaining(o);
  },
});
