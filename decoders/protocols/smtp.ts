// SMTP (RFC 5321) on TCP ports 25 and 587: client command lines (`C: AUTH LOGIN`) and server
// reply lines (`S: 250 ...`, continuation lines joined with ` | `). After AUTH LOGIN the
// client's first reply line is the base64 user name (`C: User: ...`).

import { field, protocol } from '../core/registry.ts';
import type { PacketContext } from '../core/context.ts';

const f = {
  req: field('smtp.req', 'Request', 'bool'),
  response: field('smtp.response', 'Response', 'string'),
  command: field('smtp.req.command', 'Command', 'string'),
  parameter: field('smtp.req.parameter', 'Request parameter', 'string'),
  responseCode: field('smtp.response.code', 'Response code', 'uint32'),
  responseParameter: field('smtp.rsp.parameter', 'Response parameter', 'string'),
  username: field('smtp.auth.username', 'Username', 'string'),
  commandLine: field('smtp.command_line', 'Command Line', 'string'),
  responseLine: field('smtp.response_line', 'Response', 'string'),
};

class SmtpState {
  /** Conversations (client side key) waiting for the AUTH LOGIN user name; per frame results. */
  readonly awaitingUser = new Set<string>();
  readonly userFrames = new Set<number>();
}

const MAX_LINES = 256;

function key(ctx: PacketContext): string {
  return `${ctx.netSrc?.bytes.join('.')}:${ctx.srcPort}>${ctx.netDst?.bytes.join('.')}:${ctx.dstPort}`;
}

export default protocol({
  abbrev: 'smtp',
  name: 'Simple Mail Transfer Protocol',
  short: 'SMTP',
  fields: f,
  register(r) {
    r.table('tcp.port', 25);
    r.table('tcp.port', 587);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const st = ctx.session.slot('smtp', () => new SmtpState());
    const isRequest = ctx.dstPort === 25 || ctx.dstPort === 587;
    const lines: string[] = [];
    let p = o;
    for (let i = 0; i < MAX_LINES && p < c.end; i++) {
      const le = c.lineEnd(p);
      const next = le ? le.next : c.end;
      const eol = le ? le.eol : c.end;
      const text = c.ascii(p, eol - p);
      lines.push(text);
      if (isRequest) {
        const t = tree.addTree(f.commandLine, c, p, next - p, { value: text, label: `Command Line: ${text}` });
        if (st.userFrames.has(ctx.frame.number) || (!ctx.visited && st.awaitingUser.has(key(ctx)))) {
          st.awaitingUser.delete(key(ctx));
          st.userFrames.add(ctx.frame.number);
          t.add(f.username, c, p, eol - p);
          lines[lines.length - 1] = `User: ${text}`;
        } else {
          const sp = text.indexOf(' ');
          const cmd = sp < 0 ? text : text.slice(0, sp);
          t.add(f.command, c, p, cmd.length);
          if (sp >= 0) t.add(f.parameter, c, p + sp + 1, eol - p - sp - 1);
          if (!ctx.visited && /^AUTH LOGIN$/i.test(text.trim())) st.awaitingUser.add(key(ctx));
        }
      } else {
        const t = tree.addTree(f.responseLine, c, p, next - p, { value: text, label: `Response: ${text}` });
        // Continuation lines show without their code in Info (`220-first | second | last`).
        if (i > 0 && /^\d{3}[ -]/.test(text)) lines[lines.length - 1] = text.slice(4);
        if (/^\d{3}/.test(text)) {
          t.add(f.responseCode, c, p, 3, { value: Number(text.slice(0, 3)) });
          if (eol - p > 4) t.add(f.responseParameter, c, p + 4, eol - p - 4);
        }
      }
      p = next;
    }
    if (isRequest) tree.generated(f.req, true);
    ctx.setInfo(`${isRequest ? 'C' : 'S'}: ${lines.join(' | ')}`);
    return c.remaining(o);
  },
});
