// Simple Service Discovery Protocol on UDP 1900: HTTP-style start line and headers.
// Info is the start line followed by a space, as tshark shows it (`M-SEARCH * HTTP/1.1 `).

import { protocol } from '../core/registry.ts';
import { lineText, textItem } from './media-common.ts';

const MAX_LINES = 200;

export default protocol({
  abbrev: 'ssdp',
  name: 'Simple Service Discovery Protocol',
  short: 'SSDP',
  fields: [],
  register(r) {
    r.table('udp.port', 1900);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    let p = o;
    for (let i = 0; i < MAX_LINES && p < c.end; i++) {
      const le = c.lineEnd(p);
      const next = le ? le.next : c.end;
      const eol = le ? le.eol : c.end;
      if (i === 0) ctx.setInfo(c.ascii(p, eol - p) + ' ');
      tree.add(textItem, c, p, next - p, { label: lineText(c.bytes(p, next - p)) });
      const empty = eol === p;
      p = next;
      if (empty) break; // the empty line ends the headers
    }
    return c.remaining(o);
  },
});
