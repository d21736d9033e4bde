// LDAP v3 (RFC 4511) on TCP port 389: a small bounded BER reader for LDAPMessage (messageID,
// protocolOp) and the common operations' fields (bind, search, results, DNs). Info as
// tshark: `bindRequest(1) "cn=admin" simple`, several messages joined with ` | `.

import { field, protocol } from '../core/registry.ts';
import { malformed } from './malformed.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';
import { DESEGMENT_ONE_MORE_SEGMENT } from '../core/context.ts';

const ops: Record<number, string> = {
  0: 'bindRequest', 1: 'bindResponse', 2: 'unbindRequest', 3: 'searchRequest', 4: 'searchResEntry', 5: 'searchResDone',
  6: 'modifyRequest', 7: 'modifyResponse', 8: 'addRequest', 9: 'addResponse', 10: 'delRequest', 11: 'delResponse',
  12: 'modDNRequest', 13: 'modDNResponse', 14: 'compareRequest', 15: 'compareResponse', 16: 'abandonRequest',
  19: 'searchResRef', 23: 'extendedReq', 24: 'extendedResp', 25: 'intermediateResponse',
};
const results: Record<number, string> = {
  0: 'success', 1: 'operationsError', 2: 'protocolError', 3: 'timeLimitExceeded', 4: 'sizeLimitExceeded', 5: 'compareFalse', 6: 'compareTrue',
  7: 'authMethodNotSupported', 8: 'strongerAuthRequired', 10: 'referral', 11: 'adminLimitExceeded', 12: 'unavailableCriticalExtension',
  13: 'confidentialityRequired', 14: 'saslBindInProgress', 16: 'noSuchAttribute', 17: 'undefinedAttributeType', 18: 'inappropriateMatching',
  19: 'constraintViolation', 20: 'attributeOrValueExists', 21: 'invalidAttributeSyntax', 32: 'noSuchObject', 33: 'aliasProblem',
  34: 'invalidDNSyntax', 36: 'aliasDereferencingProblem', 48: 'inappropriateAuthentication', 49: 'invalidCredentials',
  50: 'insufficientAccessRights', 51: 'busy', 52: 'unavailable', 53: 'unwillingToPerform', 54: 'loopDetect', 64: 'namingViolation',
  65: 'objectClassViolation', 66: 'notAllowedOnNonLeaf', 67: 'notAllowedOnRDN', 68: 'entryAlreadyExists', 69: 'objectClassModsProhibited',
  71: 'affectsMultipleDSAs', 80: 'other',
};
const scopes: Record<number, string> = { 0: 'baseObject', 1: 'singleLevel', 2: 'wholeSubtree' };
const auths: Record<number, string> = { 0: 'simple', 3: 'sasl' };

const f = {
  message: field('ldap.LDAPMessage_element', 'LDAPMessage', 'none'),
  messageID: field('ldap.messageID', 'messageID', 'uint32'),
  protocolOp: field('ldap.protocolOp', 'protocolOp', 'uint32', { values: ops }),
  version: field('ldap.version', 'version', 'uint32'),
  name: field('ldap.name', 'name', 'string'),
  authentication: field('ldap.authentication', 'authentication', 'uint32', { values: auths }),
  simple: field('ldap.simple', 'simple', 'string'),
  mechanism: field('ldap.mechanism', 'mechanism', 'string'),
  resultCode: field('ldap.resultCode', 'resultCode', 'uint32', { values: results }),
  matchedDN: field('ldap.matchedDN', 'matchedDN', 'string'),
  errorMessage: field('ldap.errorMessage', 'errorMessage', 'string'),
  baseObject: field('ldap.baseObject', 'baseObject', 'string'),
  scope: field('ldap.scope', 'scope', 'uint32', { values: scopes }),
  objectName: field('ldap.objectName', 'objectName', 'string'),
  entry: field('ldap.entry', 'entry', 'string'),
  delRequest: field('ldap.delRequest', 'delRequest', 'string'),
};

interface Tlv { cls: number; constructed: boolean; tag: number; start: number; value: number; end: number }

/** One BER TLV at `o` (definite lengths up to 4 bytes). */
function tlv(c: Cursor, o: number): Tlv {
  const id = c.u8(o);
  let tag = id & 0x1f;
  let p = o + 1;
  if (tag === 0x1f) {
    tag = 0;
    for (let i = 0; i < 4; i++) {
      const b = c.u8(p++);
      tag = (tag << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
  }
  let len = c.u8(p++);
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw malformed('unsupported BER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + c.u8(p++);
  }
  return { cls: id >> 6, constructed: (id & 0x20) !== 0, tag, start: o, value: p, end: p + len };
}

function int(c: Cursor, t: Tlv): number {
  let v = 0;
  for (let i = t.value; i < t.end && i < t.value + 4; i++) v = v * 256 + c.u8(i);
  return v;
}

function str(c: Cursor, t: Tlv): string {
  return c.ascii(t.value, t.end - t.value);
}

class LdapState {
  /** Entries returned per conversation since its last searchResDone (for `[N results]`). */
  readonly entries = new Map<string, number>();
  readonly doneCounts = new Map<string, number>();
}

const MAX_MESSAGES = 256;

function message(c: Cursor, o: number, tree: Tree, st: LdapState, frame: number, conv: string): [number, string] {
  const seq = tlv(c, o);
  const mt = tree.addTree(f.message, c, o, seq.end - o);
  const idT = tlv(c, seq.value);
  const id = int(c, idT);
  mt.add(f.messageID, c, idT.value, idT.end - idT.value, { value: id });
  const opT = tlv(c, idT.end);
  const op = opT.tag;
  mt.add(f.protocolOp, c, opT.start, Math.min(opT.end, c.end) - opT.start, { value: op });
  const name = ops[op] ?? `unknown(${op})`;
  let info = `${name}(${id}) `;
  switch (op) {
    case 0: {
      const v = tlv(c, opT.value);
      mt.add(f.version, c, v.value, v.end - v.value, { value: int(c, v) });
      const n = tlv(c, v.end);
      const dn = str(c, n);
      mt.add(f.name, c, n.value, n.end - n.value, { value: dn });
      const a = tlv(c, n.end);
      mt.add(f.authentication, c, a.start, 1, { value: a.tag });
      if (a.tag === 0) mt.add(f.simple, c, a.value, a.end - a.value, { value: str(c, a) });
      else if (a.tag === 3 && a.end > a.value) {
        const m = tlv(c, a.value);
        mt.add(f.mechanism, c, m.value, m.end - m.value, { value: str(c, m) });
      }
      info += `"${dn || '<ROOT>'}" ${auths[a.tag] ?? 'unknown'} `;
      break;
    }
    case 1: case 5: case 7: case 9: case 11: case 13: case 15: case 24: {
      const r = tlv(c, opT.value);
      const code = int(c, r);
      mt.add(f.resultCode, c, r.value, r.end - r.value, { value: code });
      const m = tlv(c, r.end);
      mt.add(f.matchedDN, c, m.value, m.end - m.value, { value: str(c, m) });
      const e = tlv(c, m.end);
      mt.add(f.errorMessage, c, e.value, e.end - e.value, { value: str(c, e) });
      info += `${results[code] ?? `unknown(${code})`} `;
      if (op === 5) {
        const key = `${frame}:${id}`;
        let n = st.doneCounts.get(key);
        if (n === undefined) {
          n = st.entries.get(conv) ?? 0;
          st.doneCounts.set(key, n);
          st.entries.set(conv, 0);
        }
        info += ` [${n} result${n === 1 ? '' : 's'}]`;
      }
      break;
    }
    case 3: {
      const b = tlv(c, opT.value);
      const base = str(c, b);
      mt.add(f.baseObject, c, b.value, b.end - b.value, { value: base });
      const s = tlv(c, b.end);
      const scope = int(c, s);
      mt.add(f.scope, c, s.value, s.end - s.value, { value: scope });
      info += `"${base || '<ROOT>'}" ${scopes[scope] ?? 'unknown'} `;
      break;
    }
    case 4: case 6: case 8: case 12: case 14: {
      const n = tlv(c, opT.value);
      const dn = str(c, n);
      mt.add(op === 12 ? f.entry : f.objectName, c, n.value, n.end - n.value, { value: dn });
      if (op === 4 && !st.doneCounts.has(`e${frame}:${n.start}`)) {
        st.doneCounts.set(`e${frame}:${n.start}`, 1);
        st.entries.set(conv, (st.entries.get(conv) ?? 0) + 1);
      }
      info += `"${dn}" `;
      break;
    }
    case 10: {
      const dn = str(c, opT);
      mt.add(f.delRequest, c, opT.value, opT.end - opT.value, { value: dn });
      info += `"${dn}" `;
      break;
    }
    default:
      break;
  }
  if (mt.owner) mt.owner.label = `LDAPMessage ${info.trim()}`;
  return [seq.end, info];
}

export default protocol({
  abbrev: 'ldap',
  name: 'Lightweight Directory Access Protocol',
  short: 'LDAP',
  fields: f,
  register(r) {
    r.table('tcp.port', 389);
    r.table('udp.port', 389);
    r.table('tcp.port', 3268);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const st = ctx.session.slot('ldap', () => new LdapState());
    const infos: string[] = [];
    let p = o;
    try {
      for (let i = 0; i < MAX_MESSAGES && p < c.end; i++) {
        if (ctx.canDesegment) {
          let need = -1;
          try {
            const t = tlv(c, p);
            if (t.end > c.end) need = t.end - c.end;
          } catch {
            need = DESEGMENT_ONE_MORE_SEGMENT;
          }
          if (need > 0) {
            ctx.desegmentOffset = p;
            ctx.desegmentLen = need;
            break;
          }
        }
        const a = `${ctx.netSrc?.bytes.join('.')}:${ctx.srcPort}`;
        const b = `${ctx.netDst?.bytes.join('.')}:${ctx.dstPort}`;
        const [next, info] = message(c, p, tree, st, ctx.frame.number, a < b ? `${a}|${b}` : `${b}|${a}`);
        infos.push(info);
        p = next;
      }
    } finally {
      if (infos.length) ctx.setInfo(infos.join(' | '));
    }
    return c.remaining(o);
  },
});
