// Wake On LAN magic packets: 6 bytes of 0xff, the target MAC 16 times, an optional 4- or
// 6-byte password. Ethertype 0x0842, and UDP (ports 7 and 9, or anywhere by heuristic).

import { field, protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import { formatEther, formatIPv4 } from '../core/format.ts';

const f = {
  sync: field('wol.sync', 'Sync stream', 'bytes'),
  mac: field('wol.mac', 'MAC', 'ether'),
  passwd: field('wol.passwd', 'Password', 'bytes'),
};

/** Sync stream followed by one MAC repeated 16 times. */
function isMagic(c: Cursor): boolean {
  const o = c.start;
  if (!c.has(o, 102)) return false;
  for (let i = 0; i < 6; i++) if (c.u8(o + i) !== 0xff) return false;
  for (let k = 1; k < 16; k++) for (let i = 0; i < 6; i++) if (c.u8(o + 6 + 6 * k + i) !== c.u8(o + 6 + i)) return false;
  const rest = c.remaining(o + 102);
  return rest === 0 || rest === 4 || rest === 6;
}

export default protocol({
  abbrev: 'wol',
  name: 'Wake On LAN',
  short: 'WOL',
  fields: f,
  register(r) {
    r.table('ethertype', 0x0842);
    r.heuristic('udp', isMagic);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    tree.add(f.sync, c, o, 6);
    const mac = c.bytes(o + 6, 6);
    let info = `MagicPacket for ${formatEther(mac)}`;
    for (let k = 0; k < 16; k++) tree.add(f.mac, c, o + 6 + 6 * k, 6);
    const rest = c.remaining(o + 102);
    if (rest === 4 || rest === 6) {
      const pw = c.bytes(o + 102, rest);
      const text = rest === 4 ? formatIPv4(c.u32(o + 102)) : formatEther(pw);
      tree.add(f.passwd, c, o + 102, rest, { label: `Password: ${text}` });
      info += `, password ${text}`;
    }
    if (tree.owner) tree.owner.label = `Wake On LAN, ${info.replace('MagicPacket for ', 'MAC: ')}`;
    ctx.setInfo(info);
    return 102 + (rest === 4 || rest === 6 ? rest : 0);
  },
});
