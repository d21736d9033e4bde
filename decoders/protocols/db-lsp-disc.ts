// Dropbox LAN sync Discovery Protocol on UDP 17500: a JSON announcement, handed to `json`.

import { protocol } from '../core/registry.ts';

export default protocol({
  abbrev: 'db-lsp-disc',
  name: 'Dropbox LAN sync Discovery Protocol',
  short: 'DB-LSP-DISC',
  fields: [],
  register(r) {
    r.table('udp.port', 17500);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    ctx.setInfo('Dropbox LAN sync Discovery Protocol');
    ctx.scratch.delete('media_type');
    ctx.scratch.delete('http.content_type');
    if (c.remaining(o) > 0) ctx.callProtocol('json', c.sub(o), tree);
    return c.remaining(o);
  },
});
