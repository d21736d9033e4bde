// Link-local Multicast Name Resolution (RFC 4795) on UDP 5355: DNS messages with the
// conflict / tentative flags. Fields are the dns.* ones, as in Wireshark.

import { protocol } from '../core/registry.ts';
import { dissectDnsMessage } from './dns-core.ts';

export default protocol({
  abbrev: 'llmnr',
  name: 'Link-local Multicast Name Resolution',
  short: 'LLMNR',
  fields: [],
  register(r) {
    r.table('udp.port', 5355);
  },
  dissect(c, ctx, tree) {
    dissectDnsMessage(c, ctx, tree, 'llmnr', c.start);
    return c.remaining(c.start);
  },
});
