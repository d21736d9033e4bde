// RIP v1/v2 (RFC 1058/2453) on UDP port 520: command, version and the route entries
// (family, route tag, address, netmask, next hop, metric). Protocol column RIPv1/RIPv2.

import { field, protocol } from '../core/registry.ts';
import { formatIPv4 } from '../core/format.ts';

const commands: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Traceon', 4: 'Traceoff', 5: 'Vendor specific (Sun)' };

const f = {
  command: field('rip.command', 'Command', 'uint8', { values: commands }),
  version: field('rip.version', 'Version', 'uint8', { values: { 1: 'RIPv1', 2: 'RIPv2' } }),
  routingDomain: field('rip.routing_domain', 'Routing Domain', 'uint16'),
  entry: field('rip.entry', 'Route entry', 'none'),
  family: field('rip.family', 'Address Family', 'uint16', { values: { 2: 'IP', 0xffff: 'Authentication' } }),
  routeTag: field('rip.route_tag', 'Route Tag', 'uint16'),
  ip: field('rip.ip', 'IP Address', 'ipv4'),
  netmask: field('rip.netmask', 'Netmask', 'ipv4'),
  nextHop: field('rip.next_hop', 'Next Hop', 'ipv4'),
  metric: field('rip.metric', 'Metric', 'uint16'),
  auth: field('rip.auth.passwd', 'Password', 'string'),
};

const MAX_ENTRIES = 64;

export default protocol({
  abbrev: 'rip',
  name: 'Routing Information Protocol',
  short: 'RIP',
  fields: f,
  register(r) {
    r.table('udp.port', 520);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const cmd = c.u8(o);
    const version = c.u8(o + 1);
    ctx.columns.protocol = `RIPv${version}`;
    ctx.setInfo(commands[cmd] ?? 'Unknown command');
    tree.add(f.command, c, o, 1);
    tree.add(f.version, c, o + 1, 1);
    if (version === 2) tree.add(f.routingDomain, c, o + 2, 2);
    let p = o + 4;
    for (let i = 0; i < MAX_ENTRIES && c.reportedRemaining(p) >= 20; i++) {
      const family = c.u16(p);
      if (family === 0xffff) {
        const t = tree.addTree(f.entry, c, p, 20, { label: 'Authentication' });
        t.add(f.family, c, p, 2);
        t.add(f.auth, c, p + 4, 16);
      } else {
        const t = tree.addTree(f.entry, c, p, 20, { label: `IP Address: ${formatIPv4(c.u32(p + 4))}, Metric: ${c.u32(p + 16)}` });
        t.add(f.family, c, p, 2);
        if (version === 2) t.add(f.routeTag, c, p + 2, 2);
        t.add(f.ip, c, p + 4, 4);
        if (version === 2) {
          t.add(f.netmask, c, p + 8, 4);
          t.add(f.nextHop, c, p + 12, 4);
        }
        t.add(f.metric, c, p + 16, 4, { value: c.u32(p + 16) });
      }
      p += 20;
    }
    return c.remaining(o);
  },
});
