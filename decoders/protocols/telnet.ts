// Telnet (RFC 854) on TCP port 23: IAC commands with their option (subcommand) and the data
// between them. Info is always `Telnet Data ...`, as tshark shows it.

import { field, protocol } from '../core/registry.ts';
import { formatText } from './rlogin-text.ts';

const commands: Record<number, string> = {
  240: 'Suboption End', 241: 'No Operation', 242: 'Data Mark', 243: 'Break', 244: 'Interrupt Process', 245: 'Abort Output',
  246: 'Are You There?', 247: 'Escape Character', 248: 'Erase Line', 249: 'Go Ahead', 250: 'Suboption', 251: 'Will', 252: 'Won\'t', 253: 'Do', 254: 'Don\'t', 255: 'Data byte 255',
};
const options: Record<number, string> = {
  0: 'Binary Transmission', 1: 'Echo', 3: 'Suppress Go Ahead', 5: 'Status', 6: 'Timing Mark', 24: 'Terminal Type', 31: 'Negotiate About Window Size',
  32: 'Terminal Speed', 33: 'Remote Flow Control', 34: 'Linemode', 35: 'X Display Location', 36: 'Environment Option', 37: 'Authentication Option',
  38: 'Encryption Option', 39: 'New Environment Option',
};

const f = {
  command: field('telnet.command', 'Command', 'none'),
  cmd: field('telnet.cmd', 'Command', 'uint8', { values: commands }),
  subcmd: field('telnet.subcmd', 'Subcommand', 'uint8', { values: options }),
  data: field('telnet.data', 'Data', 'string'),
};

const MAX_ITEMS = 4096;

export default protocol({
  abbrev: 'telnet',
  name: 'Telnet',
  short: 'TELNET',
  fields: f,
  register(r) {
    r.table('tcp.port', 23);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    ctx.setInfo('Telnet Data ...');
    let p = o;
    for (let i = 0; i < MAX_ITEMS && p < c.end; i++) {
      if (c.u8(p) === 0xff && c.has(p, 2) && c.u8(p + 1) !== 0xff) {
        const cmd = c.u8(p + 1);
        if (cmd >= 251 && cmd <= 254) {
          const opt = c.u8(p + 2);
          const t = tree.addTree(f.command, c, p, 3, { label: `${commands[cmd]} ${options[opt] ?? `Unknown (${opt})`}` });
          t.add(f.cmd, c, p + 1, 1);
          t.add(f.subcmd, c, p + 2, 1, { label: `Subcommand: ${options[opt] ?? `Unknown (${opt})`}` });
          p += 3;
        } else if (cmd === 250) {
          // Suboption: IAC SB opt ... IAC SE
          let end = p + 3;
          while (end + 1 < c.end && !(c.u8(end) === 0xff && c.u8(end + 1) === 240)) end++;
          end = Math.min(end + 2, c.end);
          const t = tree.addTree(f.command, c, p, end - p, { label: `Suboption ${options[c.u8(p + 2)] ?? 'Unknown'}` });
          t.add(f.cmd, c, p + 1, 1);
          t.add(f.subcmd, c, p + 2, 1);
          p = end;
        } else {
          const t = tree.addTree(f.command, c, p, 2, { label: commands[cmd] ?? `Unknown (${cmd})` });
          t.add(f.cmd, c, p + 1, 1);
          p += 2;
        }
        continue;
      }
      // Data up to the next IAC (or a line end, one tree item per line as tshark does).
      let end = p;
      while (end < c.end && c.u8(end) !== 0xff && c.u8(end) !== 0x0a) end++;
      if (end < c.end && c.u8(end) === 0x0a) end++;
      if (end === p) end = Math.min(p + 2, c.end);
      tree.add(f.data, c, p, end - p, { value: c.ascii(p, end - p), label: `Data: ${formatText(c.bytes(p, end - p))}` });
      p = end;
    }
    return c.remaining(o);
  },
});
