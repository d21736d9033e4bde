// M3UA (RFC 4666), SCTP payload protocol 3 / port 2905: the common header (version, class,
// type, length) and the parameters; the Protocol Data parameter's user part goes to SCCP
// (service indicator 3) or `data`.

import { field, protocol } from '../core/registry.ts';
import { malformed } from './malformed.ts';

const classes: Record<number, string> = {
  0: 'Management messages', 1: 'Transfer messages', 2: 'SS7 signalling network management messages', 3: 'ASP state maintenance messages',
  4: 'ASP traffic maintenance messages', 9: 'Routing key management messages',
};
/** Message acronyms and names by class << 8 | type. */
const types: Record<number, [string, string]> = {
  0x0000: ['ERR', 'Error'], 0x0001: ['NTFY', 'Notify'], 0x0101: ['DATA', 'Payload data'],
  0x0201: ['DUNA', 'Destination unavailable'], 0x0202: ['DAVA', 'Destination available'], 0x0203: ['DAUD', 'Destination state audit'],
  0x0204: ['SCON', 'Signalling congestion'], 0x0205: ['DUPU', 'Destination userpart unavailable'], 0x0206: ['DRST', 'Destination restricted'],
  0x0301: ['ASPUP', 'ASP up'], 0x0302: ['ASPDN', 'ASP down'], 0x0303: ['BEAT', 'Heartbeat'], 0x0304: ['ASPUP_ACK', 'ASP up ack'],
  0x0305: ['ASPDN_ACK', 'ASP down ack'], 0x0306: ['BEAT_ACK', 'Heartbeat ack'],
  0x0401: ['ASPAC', 'ASP active'], 0x0402: ['ASPIA', 'ASP inactive'], 0x0403: ['ASPAC_ACK', 'ASP active ack'], 0x0404: ['ASPIA_ACK', 'ASP inactive ack'],
  0x0901: ['REG_REQ', 'Registration request'], 0x0902: ['REG_RSP', 'Registration response'], 0x0903: ['DEREG_REQ', 'Deregistration request'],
  0x0904: ['DEREG_RSP', 'Deregistration response'],
};

const f = {
  version: field('m3ua.version', 'Version', 'uint8', { values: { 1: 'Release 1' } }),
  reserved: field('m3ua.reserved', 'Reserved', 'uint8', { base: 'hex' }),
  messageClass: field('m3ua.message_class', 'Message class', 'uint8', { values: classes }),
  messageType: field('m3ua.message_type', 'Message Type', 'uint8'),
  messageLength: field('m3ua.message_length', 'Message length', 'uint32'),
  parameter: field('m3ua.parameter', 'Parameter', 'none'),
  parameterTag: field('m3ua.parameter_tag', 'Parameter Tag', 'uint16'),
  parameterLength: field('m3ua.parameter_length', 'Parameter length', 'uint16'),
  parameterValue: field('m3ua.parameter_value', 'Parameter value', 'bytes'),
  opc: field('m3ua.protocol_data_opc', 'OPC', 'uint32'),
  dpc: field('m3ua.protocol_data_dpc', 'DPC', 'uint32'),
  si: field('m3ua.protocol_data_si', 'SI', 'uint8'),
  ni: field('m3ua.protocol_data_ni', 'NI', 'uint8'),
  mp: field('m3ua.protocol_data_mp', 'MP', 'uint8'),
  sls: field('m3ua.protocol_data_sls', 'SLS', 'uint8'),
};

const MAX_PARAMS = 64;

export default protocol({
  abbrev: 'm3ua',
  name: 'MTP 3 User Adaptation Layer',
  short: 'M3UA (RFC 4666)',
  fields: f,
  register(r) {
    r.table('sctp.ppi', 3);
    r.table('sctp.port', 2905);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    tree.add(f.version, c, o, 1);
    tree.add(f.reserved, c, o + 1, 1);
    const cls = c.u8(o + 2);
    const type = c.u8(o + 3);
    tree.add(f.messageClass, c, o + 2, 1);
    const t = types[(cls << 8) | type];
    tree.add(f.messageType, c, o + 3, 1, { label: `Message Type: ${t ? `${t[1]} (${t[0]})` : 'Unknown'} (${type})` });
    const len = c.u32(o + 4);
    tree.add(f.messageLength, c, o + 4, 4);
    ctx.setInfo(`${t ? t[0] : 'Unknown'} `);
    const end = Math.min(o + len, c.end);
    let p = o + 8;
    for (let i = 0; i < MAX_PARAMS && p + 4 <= end; i++) {
      const tag = c.u16(p);
      const plen = c.u16(p + 2);
      if (plen < 4) throw malformed('parameter length below 4');
      const pt = tree.addTree(f.parameter, c, p, Math.min(plen, c.remaining(p)), { label: tag === 0x0210 ? 'Protocol data' : `Parameter (tag ${tag})` });
      pt.add(f.parameterTag, c, p, 2);
      pt.add(f.parameterLength, c, p + 2, 2);
      if (tag === 0x0210 && plen >= 16) {
        pt.add(f.opc, c, p + 4, 4);
        pt.add(f.dpc, c, p + 8, 4);
        const si = c.u8(p + 12);
        pt.add(f.si, c, p + 12, 1);
        pt.add(f.ni, c, p + 13, 1);
        pt.add(f.mp, c, p + 14, 1);
        pt.add(f.sls, c, p + 15, 1);
        const user = c.sub(p + 16, plen - 16);
        if (si === 3 && ctx.registry.protocol('sccp')) ctx.callProtocol('sccp', user, tree);
        else ctx.callData(user, tree);
      } else if (plen > 4) pt.add(f.parameterValue, c, p + 4, plen - 4);
      p += plen + ((4 - (plen % 4)) % 4);
    }
    return c.remaining(o);
  },
});
