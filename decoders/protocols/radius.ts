// RADIUS (RFC 2865/2866) on UDP 1812/1813 (and the old 1645/1646, CoA 3799): code,
// identifier, length, authenticator and the attribute-value pairs; EAP-Message attributes
// are joined and handed to `eap`.

import { field, protocol } from '../core/registry.ts';
import { malformed } from './malformed.ts';
import { NOT_MINE } from '../core/context.ts';

const codes: Record<number, string> = {
  1: 'Access-Request', 2: 'Access-Accept', 3: 'Access-Reject', 4: 'Accounting-Request', 5: 'Accounting-Response',
  11: 'Access-Challenge', 12: 'Status-Server', 13: 'Status-Client', 40: 'Disconnect-Request', 41: 'Disconnect-ACK',
  42: 'Disconnect-NAK', 43: 'CoA-Request', 44: 'CoA-ACK', 45: 'CoA-NAK',
};
const attrNames: Record<number, string> = {
  1: 'User-Name', 2: 'User-Password', 3: 'CHAP-Password', 4: 'NAS-IP-Address', 5: 'NAS-Port', 6: 'Service-Type', 7: 'Framed-Protocol',
  8: 'Framed-IP-Address', 11: 'Filter-Id', 12: 'Framed-MTU', 18: 'Reply-Message', 24: 'State', 25: 'Class', 26: 'Vendor-Specific',
  27: 'Session-Timeout', 30: 'Called-Station-Id', 31: 'Calling-Station-Id', 32: 'NAS-Identifier', 40: 'Acct-Status-Type',
  44: 'Acct-Session-Id', 61: 'NAS-Port-Type', 77: 'Connect-Info', 79: 'EAP-Message', 80: 'Message-Authenticator', 87: 'NAS-Port-Id',
};

const f = {
  code: field('radius.code', 'Code', 'uint8', { values: codes }),
  id: field('radius.id', 'Packet identifier', 'uint8', { base: 'dec_hex' }),
  length: field('radius.length', 'Length', 'uint16'),
  authenticator: field('radius.authenticator', 'Authenticator', 'bytes'),
  avp: field('radius.avp', 'AVP', 'bytes'),
  avpType: field('radius.avp.type', 'Type', 'uint8', { values: attrNames }),
  avpLength: field('radius.avp.length', 'Length', 'uint8'),
  userName: field('radius.User_Name', 'User-Name', 'string'),
  eapMessage: field('radius.EAP_Message', 'EAP-Message', 'bytes'),
};

const MAX_AVPS = 256;

export default protocol({
  abbrev: 'radius',
  name: 'RADIUS Protocol',
  short: 'RADIUS',
  fields: f,
  register(r) {
    for (const port of [1645, 1646, 1812, 1813, 3799]) r.table('udp.port', port);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    // Not a RADIUS packet (tshark hands these to `data`): too short, unknown code, or a
    // length outside 20..4096.
    if (!c.has(o, 4) || c.reportedRemaining(o) < 20 || !codes[c.u8(o)] || c.u16(o + 2) < 20 || c.u16(o + 2) > 4096) return NOT_MINE;
    const code = c.u8(o);
    const id = c.u8(o + 1);
    tree.add(f.code, c, o, 1);
    tree.add(f.id, c, o + 1, 1);
    ctx.setInfo(`${codes[code] ?? `Unknown Packet(${code})`} id=${id}`);
    const len = c.u16(o + 2);
    tree.add(f.length, c, o + 2, 2);
    tree.add(f.authenticator, c, o + 4, 16);
    const end = Math.min(o + len, c.end);
    const avps = tree.addTree(f.avp, c, o + 20, Math.max(0, end - o - 20), { label: 'Attribute Value Pairs', value: null });
    const eap: Uint8Array[] = [];
    let eapStart = -1;
    let p = o + 20;
    for (let i = 0; i < MAX_AVPS && p + 2 <= end; i++) {
      const type = c.u8(p);
      const alen = c.u8(p + 1);
      if (alen < 2) throw malformed('AVP length below 2');
      const name = attrNames[type] ?? `Unknown-Attribute-${type}`;
      const t = avps.addTree(f.avp, c, p, alen, { label: `AVP: t=${name}(${type}) l=${alen}` });
      t.add(f.avpType, c, p, 1);
      t.add(f.avpLength, c, p + 1, 1);
      if (type === 1) t.add(f.userName, c, p + 2, alen - 2);
      else if (type === 79) {
        t.add(f.eapMessage, c, p + 2, alen - 2);
        if (eapStart < 0) eapStart = p + 2;
        eap.push(c.bytes(p + 2, alen - 2));
      }
      p += alen;
    }
    if (eap.length) {
      let ec;
      if (eap.length === 1) ec = c.sub(eapStart, eap[0]!.length);
      else {
        const all = new Uint8Array(eap.reduce((n, b) => n + b.length, 0));
        let k = 0;
        for (const b of eap) { all.set(b, k); k += b.length; }
        ec = ctx.addSource('Reassembled EAP', all);
      }
      const info = ctx.columns.info;
      ctx.callProtocol('eap', ec, tree);
      ctx.setInfo(info);
      ctx.columns.protocol = 'RADIUS';
    }
    return c.remaining(o);
  },
});
