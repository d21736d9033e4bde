// eXtensible Markup Language (text/xml, application/xml and the +xml types): the markup is
// listed tag by tag (processing instructions, doctype, comments, tags, CDATA), bounded.

import { field, protocol } from '../core/registry.ts';
import { appendProtocolColumn, lineText } from './media-common.ts';

const f = {
  xmlpi: field('xml.xmlpi', 'XMLPI', 'string'),
  cdatasection: field('xml.cdatasection', 'CDATASection', 'string'),
  comment: field('xml.comment', 'Comment', 'string'),
  doctype: field('xml.doctype', 'Doctype', 'string'),
  tag: field('xml.tag', 'Tag', 'string'),
  cdata: field('xml.cdata', 'CDATA', 'string'),
};

const xmlTypes = [
  'text/xml', 'application/xml', 'application/soap+xml', 'application/xhtml+xml', 'image/svg+xml', 'application/rss+xml',
  'application/atom+xml', 'application/pidf+xml', 'application/xcap-el+xml', 'application/xcap-att+xml',
  'application/xcap-error+xml', 'application/xcap-caps+xml', 'application/rlmi+xml', 'application/watcherinfo+xml',
  'application/reginfo+xml', 'application/dialog-info+xml', 'application/conference-info+xml', 'application/resource-lists+xml',
  'application/rls-services+xml', 'application/simple-filter+xml', 'application/pidf-diff+xml', 'application/cpim-pidf+xml',
  'application/simservs+xml', 'application/im-iscomposing+xml', 'application/vnd.3gpp.mcptt-info+xml',
];

const MAX_ITEMS = 20_000;

export default protocol({
  abbrev: 'xml',
  name: 'eXtensible Markup Language',
  short: '',
  fields: f,
  register(r) {
    for (const t of xmlTypes) r.table('media_type', t);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    appendProtocolColumn(ctx, 'XML');
    let p = o;
    for (let n = 0; n < MAX_ITEMS && p < c.end; n++) {
      const lt = c.find(p, 0x3c);
      if (lt < 0) break;
      if (lt > p) {
        const text = c.ascii(p, lt - p).trim();
        if (text) tree.add(f.cdata, c, p, lt - p, { value: text, label: text });
      }
      let close = '>';
      let def = f.tag;
      const head = c.ascii(lt, Math.min(9, c.end - lt));
      if (head.startsWith('<?')) { def = f.xmlpi; close = '?>'; }
      else if (head.startsWith('<!--')) { def = f.comment; close = '-->'; }
      else if (head.startsWith('<![CDATA[')) { def = f.cdatasection; close = ']]>'; }
      else if (head.toUpperCase().startsWith('<!DOCTYPE')) def = f.doctype;
      let end = -1;
      for (let q = lt + 1; q <= c.end - close.length; q++) {
        if (c.data[q] === close.charCodeAt(0) && c.ascii(q, close.length) === close) { end = q + close.length; break; }
      }
      if (end < 0) end = c.end;
      const text = c.ascii(lt, end - lt);
      tree.add(def, c, lt, end - lt, { value: text, label: lineText(c.bytes(lt, end - lt)) });
      p = end;
    }
    return c.remaining(o);
  },
});
