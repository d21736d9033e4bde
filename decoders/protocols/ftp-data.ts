// FTP data connections on TCP port 20 (active mode): the transferred bytes.
// Info: `FTP Data: 1452 bytes`.

import { field, protocol } from '../core/registry.ts';

const f = {
  data: field('ftp-data.data', 'Data', 'bytes'),
};

export default protocol({
  abbrev: 'ftp-data',
  name: 'FTP Data',
  short: 'FTP-DATA',
  fields: f,
  register(r) {
    r.table('tcp.port', 20);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const len = c.reportedRemaining(o);
    ctx.setInfo(`FTP Data: ${len} bytes`);
    tree.add(f.data, c, o, c.remaining(o));
    return c.remaining(o);
  },
});
