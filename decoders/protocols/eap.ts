// EAP (RFC 3748): code, identifier, length and, for requests and responses, the type with
// the Identity text. Carried in RADIUS EAP-Message attributes (and 802.1X).

import { field, protocol } from '../core/registry.ts';

const codes: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Success', 4: 'Failure', 5: 'Initiate', 6: 'Finish' };
const types: Record<number, string> = {
  1: 'Identity', 2: 'Notification', 3: 'Legacy Nak (Response Only)', 4: 'MD5-Challenge EAP (EAP-MD5-CHALLENGE)', 5: 'One-Time Password EAP (EAP-OTP)',
  6: 'Generic Token Card EAP (EAP-GTC)', 13: 'TLS EAP (EAP-TLS)', 17: 'Cisco Wireless EAP / Lightweight EAP (EAP-LEAP)', 18: 'GSM Subscriber Modules EAP (EAP-SIM)',
  21: 'Tunneled TLS EAP (EAP-TTLS)', 23: 'UMTS Authentication and Key Agreement EAP (EAP-AKA)', 25: 'Protected EAP (EAP-PEAP)',
  26: 'MS-CHAP-v2 EAP (EAP-MS-CHAP-V2)', 43: 'EAP Flexible Authentication via Secure Tunneling (EAP-FAST)',
};

const f = {
  code: field('eap.code', 'Code', 'uint8', { values: codes }),
  id: field('eap.id', 'Id', 'uint8'),
  len: field('eap.len', 'Length', 'uint16'),
  type: field('eap.type', 'Type', 'uint8', { values: types }),
  identity: field('eap.identity', 'Identity', 'string'),
  data: field('eap.data', 'EAP Data', 'bytes'),
};

export default protocol({
  abbrev: 'eap',
  name: 'Extensible Authentication Protocol',
  short: 'EAP',
  fields: f,
  dissect(c, ctx, tree) {
    const o = c.start;
    const code = c.u8(o);
    tree.add(f.code, c, o, 1);
    tree.add(f.id, c, o + 1, 1);
    const len = c.u16(o + 2);
    tree.add(f.len, c, o + 2, 2);
    let info = codes[code] ?? 'Unknown';
    if ((code === 1 || code === 2) && len > 4) {
      const type = c.u8(o + 4);
      tree.add(f.type, c, o + 4, 1);
      info += `, ${types[type] ?? 'Unknown'}`;
      if (type === 1 && len > 5) tree.add(f.identity, c, o + 5, len - 5);
      else if (len > 5) tree.add(f.data, c, o + 5, Math.min(len - 5, c.remaining(o + 5)));
    }
    ctx.setInfo(info);
    return Math.min(len, c.remaining(o));
  },
});
