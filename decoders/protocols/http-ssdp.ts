// SSDP (Simple Service Discovery Protocol, UDP 1900): HTTP messages over UDP, with the
// http.* fields, as Wireshark dissects them. No desegmentation on UDP.

import { protocol } from '../core/registry.ts';
import { dissectMessage } from './http.ts';

export default protocol({
  abbrev: 'ssdp',
  name: 'Simple Service Discovery Protocol',
  short: 'SSDP',
  fields: [],
  register(r) {
    r.table('udp.port', 1900);
  },
  dissect(c, ctx, tree) {
    const used = dissectMessage(c, ctx, tree, c.start);
    return used < 0 ? c.remaining(c.start) : used;
  },
});
