// OCSP over HTTP (RFC 6960): the application/ocsp-request and -response bodies. Like tshark we
// show the message kind in Info and list the OID-dispatched parts (BasicOCSPResponse, nonces,
// the responder's name, included certificates) as layers; the DER itself is shown as bytes.

import { field, protocol } from '../core/registry.ts';
import { ocspRequestLayers, ocspResponseLayers } from './tls-x509.ts';

const f = {
  data: field('ocsp.data', 'OCSP message', 'bytes'),
};

export default protocol({
  abbrev: 'ocsp',
  name: 'Online Certificate Status Protocol',
  short: 'OCSP',
  fields: f,
  register(r) {
    r.table('media_type', 'application/ocsp-request');
    r.table('media_type', 'application/ocsp-response');
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const len = c.remaining(o);
    const request = ctx.scratch.get('media_type') === 'application/ocsp-request';
    ctx.setInfo(request ? 'Request' : 'Response');
    tree.add(f.data, c, o, len, { label: `OCSP ${request ? 'Request' : 'Response'} (${len} bytes)` });
    const der = c.bytes(o, len);
    if (request) ocspRequestLayers(der, ctx.protocols);
    else ocspResponseLayers(der, ctx.protocols);
    return len;
  },
});
