// Rlogin (RFC 1282) on TCP port 513: the startup handshake (a NUL, then client user, server
// user and terminal type/speed, each NUL-terminated), the server's startup acknowledgement,
// and terminal data, shown in Info as `Data: ...` (first 128 bytes, C-escaped).

import { field, protocol } from '../core/registry.ts';
import { formatText } from './rlogin-text.ts';

const f = {
  startupFlag: field('rlogin.client_startup_flag', 'Client startup flag', 'uint8', { base: 'hex' }),
  startupInfoReceived: field('rlogin.startup_info_received_flag', 'Startup info received flag', 'uint8', { base: 'hex' }),
  userInfo: field('rlogin.user_info', 'User Info', 'string'),
  clientUser: field('rlogin.client_user_name', 'Client-user-name', 'string'),
  serverUser: field('rlogin.server_user_name', 'Server-user-name', 'string'),
  terminalType: field('rlogin.terminal_type', 'Terminal-type', 'string'),
  terminalSpeed: field('rlogin.terminal_speed', 'Terminal-speed', 'uint32'),
  data: field('rlogin.data', 'Data', 'string'),
};

export default protocol({
  abbrev: 'rlogin',
  name: 'Rlogin Protocol',
  short: 'Rlogin',
  fields: f,
  register(r) {
    r.table('tcp.port', 513);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const len = c.remaining(o);
    const toServer = ctx.dstPort === 513;
    // Startup: a lone NUL from the client, or NUL + user\0user\0term/speed\0.
    if (c.u8(o) === 0 && toServer) {
      tree.add(f.startupFlag, c, o, 1);
      let p = o + 1;
      const strs: [number, number][] = [];
      for (let i = 0; i < 3 && p < c.end; i++) {
        const z = c.find(p, 0);
        if (z < 0) break;
        strs.push([p, z]);
        p = z + 1;
      }
      if (strs.length === 3) {
        const ui = tree.addTree(f.userInfo, c, o + 1, p - o - 1, { value: '', label: 'User info' });
        ui.add(f.clientUser, c, strs[0]![0], strs[0]![1] - strs[0]![0]);
        ui.add(f.serverUser, c, strs[1]![0], strs[1]![1] - strs[1]![0]);
        const term = c.ascii(strs[2]![0], strs[2]![1] - strs[2]![0]);
        const slash = term.indexOf('/');
        ui.add(f.terminalType, c, strs[2]![0], slash < 0 ? term.length : slash);
        ctx.setInfo(`Start Handshake`);
      } else ctx.setInfo('Start Handshake');
      return len;
    }
    if (c.u8(o) === 0 && len === 1 && !toServer) {
      tree.add(f.startupInfoReceived, c, o, 1);
      ctx.setInfo('Startup info received');
      return len;
    }
    const text = c.ascii(o, len);
    tree.add(f.data, c, o, len, { value: text, label: `Data: ${formatText(c.bytes(o, len))}` });
    ctx.setInfo(`Data: ${formatText(c.bytes(o, Math.min(len, 128)))}`);
    return len;
  },
});
