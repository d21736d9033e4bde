// LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229): the frame is an IP packet and nothing else.
// Wireshark hands these straight to its IP dissectors, so frame.protocols starts with `ip`
// or `ipv6`. This module is a pure dispatcher and removes itself from the protocol list.

import { protocol } from '../core/registry.ts';
import { LinkType } from '../core/types.ts';

export default protocol({
  abbrev: 'wtap_rawip',
  name: 'Raw IPv4/IPv6 link type',
  short: '',
  fields: {},
  pseudo: true,
  register(r) {
    r.table('link', LinkType.IPV4);
    r.table('link', LinkType.IPV6);
  },
  dissect(c, ctx, tree) {
    if (ctx.protocols[ctx.protocols.length - 1] === 'wtap_rawip') ctx.protocols.pop();
    const type = ctx.frame.linkType === LinkType.IPV6 ? 0x86dd : 0x0800;
    let used = ctx.call('ethertype', type, c, tree);
    if (used < 0) used = ctx.callData(c, tree);
    return used;
  },
});
