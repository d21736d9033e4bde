// Line-based text data (Wireshark's `data-text-lines`): text bodies such as text/html,
// text/css, text/plain and some JavaScript types, one tree item per line. A body that
// starts with `<?xml` (and is longer than a bare XML declaration) goes to the XML dissector.

import { protocol } from '../core/registry.ts';
import { lineText, mediaType, textItem } from './media-common.ts';

const textTypes = [
  'text/plain', 'text/richtext', 'text/enriched', 'text/parameters', 'text/html', 'text/xml-external-parsed-entity',
  'text/css', 'application/xml-external-parsed-entity', 'text/javascript', 'application/x-javascript',
  'application/x-tia-p25-issi', 'application/x-tia-p25-sndcp', 'application/x-ns-proxy-autoconfig',
  'text/vnd.sun.j2me.app-descriptor', 'application/vnd.poc.refer-to', 'application/vnd.drm.message',
  'application/x-wms-logplaystats', 'application/x-rtsp-udp-packetpair',
];

/** Upper bound on tree items for one body (each line is one item). */
const MAX_LINES = 100_000;

export default protocol({
  abbrev: 'data-text-lines',
  name: 'Line-based text data',
  short: '',
  fields: [],
  register(r) {
    for (const t of textTypes) r.table('media_type', t);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const len = c.remaining(o);
    if (len > 38 && c.ascii(o, 5).toLowerCase() === '<?xml' && ctx.registry.protocol('xml')) {
      ctx.callProtocol('xml', c.sub(o), tree);
      return len;
    }
    const type = mediaType(ctx);
    if (type) ctx.appendInfo(`(${type})`);
    // Lines only make tree items: a summary-only dissection (list rows, CLI lines) skips them.
    if (!ctx.buildTree) return len;
    let p = o;
    let lines = 0;
    while (p < c.end && lines < MAX_LINES) {
      const le = c.lineEnd(p);
      const next = le ? le.next : c.end;
      tree.add(textItem, c, p, next - p, { label: lineText(c.bytes(p, next - p)) });
      p = next;
      lines++;
    }
    if (tree.owner) tree.owner.label = `Line-based text data${type ? ': ' + type : ''} (${lines} lines)`;
    return len;
  },
});
