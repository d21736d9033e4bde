// Multicast DNS (RFC 6762) on UDP 5353: DNS messages whose class fields carry the
// "QU" question / cache-flush bit. Fields are the dns.* ones, as in Wireshark.

import { protocol } from '../core/registry.ts';
import { dissectDnsMessage } from './dns-core.ts';

export default protocol({
  abbrev: 'mdns',
  name: 'Multicast Domain Name System',
  short: 'MDNS',
  fields: [],
  register(r) {
    r.table('udp.port', 5353);
  },
  dissect(c, ctx, tree) {
    dissectDnsMessage(c, ctx, tree, 'mdns', c.start);
    return c.remaining(c.start);
  },
});
