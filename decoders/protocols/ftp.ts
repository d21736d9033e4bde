// FTP control connection (RFC 959) on TCP port 21: request lines (command + argument) and
// response lines (code + argument). Info: `Request: USER anonymous`, `Response: 230 ...`.

import { field, protocol } from '../core/registry.ts';

const f = {
  request: field('ftp.request', 'Request', 'bool'),
  response: field('ftp.response', 'Response', 'bool'),
  command: field('ftp.request.command', 'Request command', 'string'),
  arg: field('ftp.request.arg', 'Request arg', 'string'),
  code: field('ftp.response.code', 'Response code', 'uint32'),
  responseArg: field('ftp.response.arg', 'Response arg', 'string'),
  line: field('ftp.line', 'Line', 'string'),
};

const MAX_LINES = 256;

export default protocol({
  abbrev: 'ftp',
  name: 'File Transfer Protocol (FTP)',
  short: 'FTP',
  fields: f,
  register(r) {
    r.table('tcp.port', 21);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const isRequest = ctx.dstPort === 21;
    tree.hidden(isRequest ? f.request : f.response, c, o, 0, { value: true });
    let first = '';
    let p = o;
    for (let i = 0; i < MAX_LINES && p < c.end; i++) {
      const le = c.lineEnd(p);
      const next = le ? le.next : c.end;
      const eol = le ? le.eol : c.end;
      const text = c.ascii(p, eol - p);
      if (i === 0) first = text;
      const t = tree.addTree(f.line, c, p, next - p, { value: text, label: text + '\\r\\n' });
      const sp = text.indexOf(' ');
      if (isRequest) {
        const cmd = sp < 0 ? text : text.slice(0, sp);
        t.add(f.command, c, p, cmd.length);
        if (sp >= 0) t.add(f.arg, c, p + sp + 1, eol - p - sp - 1);
      } else if (i === 0 && /^\d{3}/.test(text)) {
        t.add(f.code, c, p, 3, { value: Number(text.slice(0, 3)) });
        if (eol - p > 4) t.add(f.responseArg, c, p + 4, eol - p - 4);
      }
      p = next;
    }
    ctx.setInfo(`${isRequest ? 'Request' : 'Response'}: ${first}`);
    return c.remaining(o);
  },
});
