// PostgreSQL frontend/backend protocol on TCP port 5432: each message's type and length.
// Info as tshark: `>` then the frontend message types, `<` then the backend ones, joined by `/`.

import { field, protocol } from '../core/registry.ts';

const frontend: Record<string, string> = {
  Q: 'Simple query', P: 'Parse', B: 'Bind', E: 'Execute', D: 'Describe', C: 'Close', S: 'Sync', H: 'Flush', X: 'Termination', p: 'Password message', F: 'Function call', d: 'Copy data', c: 'Copy completion', f: 'Copy failure',
};
const backend: Record<string, string> = {
  R: 'Authentication request', K: 'Backend key data', S: 'Parameter status', Z: 'Ready for query', T: 'Row description', D: 'Data row',
  C: 'Command completion', E: 'Error', N: 'Notice', I: 'Empty query', '1': 'Parse completion', '2': 'Bind completion', '3': 'Close completion',
  s: 'Portal suspended', n: 'No data', t: 'Parameter description', A: 'Notification', G: 'Copy in response', H: 'Copy out response', d: 'Copy data', c: 'Copy completion', V: 'Function call response',
};

const f = {
  type: field('pgsql.type', 'Type', 'string'),
  length: field('pgsql.length', 'Length', 'uint32'),
  message: field('pgsql.message', 'Message', 'none'),
};

const MAX_MESSAGES = 1024;

export default protocol({
  abbrev: 'pgsql',
  name: 'PostgreSQL',
  short: 'PGSQL',
  fields: f,
  register(r) {
    r.table('tcp.port', 5432);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const fromBackend = ctx.srcPort === 5432;
    const types: string[] = [];
    let p = o;
    for (let i = 0; i < MAX_MESSAGES && c.reportedRemaining(p) >= 4; i++) {
      const first = c.u8(p);
      if (!fromBackend && p === o && first === 0) {
        // Startup, SSL or cancel request: no type byte.
        const len = c.u32(p);
        const t = tree.addTree(f.message, c, p, Math.min(len, c.remaining(p)), { label: 'Startup message' });
        t.add(f.length, c, p, 4);
        p += Math.max(len, 4);
        continue;
      }
      const ch = String.fromCharCode(first);
      const len = c.u32(p + 1);
      const name = (fromBackend ? backend : frontend)[ch] ?? 'Unknown';
      const t = tree.addTree(f.message, c, p, Math.min(1 + len, c.remaining(p)), { label: name });
      t.add(f.type, c, p, 1, { value: name, label: `Type: ${name}` });
      t.add(f.length, c, p + 1, 4);
      types.push(ch);
      if (len < 4) break;
      p += 1 + len;
    }
    ctx.setInfo((fromBackend ? '<' : '>') + types.join('/'));
    return c.remaining(o);
  },
});
