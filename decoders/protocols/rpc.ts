// ONC RPC (RFC 5531) over UDP and TCP (record marking). Calls are remembered per conversation
// and XID so that a reply knows its program, version and procedure; the program's own
// dissector (NFS, ...) is found in the `rpc.program` table and reads the call/reply details
// from `ctx.scratch.get('rpc.info')`.

import { frameTimeNs } from '../core/dissect.ts';
import { field, protocol } from '../core/registry.ts';
import { malformed } from './malformed.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';
import { formatNsTime } from '../core/format.ts';

export const rpcPrograms: Record<number, string> = {
  100000: 'Portmap', 100001: 'RSTAT', 100002: 'RUSERS', 100003: 'NFS', 100004: 'YPSERV', 100005: 'MOUNT',
  100007: 'YPBIND', 100011: 'RQUOTA', 100021: 'NLM', 100024: 'STAT', 100227: 'NFSACL',
};

const msgTypes = { 0: 'Call', 1: 'Reply' };
const authFlavors = { 0: 'AUTH_NULL', 1: 'AUTH_UNIX', 2: 'AUTH_SHORT', 3: 'AUTH_DES', 6: 'RPCSEC_GSS' };
const replyStates = { 0: 'accepted', 1: 'denied' };
const acceptStates = { 0: 'RPC executed successfully', 1: 'remote hasn\'t exported program', 2: 'remote can\'t support version #', 3: 'program can\'t support procedure', 4: 'procedure can\'t decode params', 5: 'remote system error' };

const f = {
  lastfrag: field('rpc.lastfrag', 'Last Fragment', 'bool', { bitmask: 0x80000000, bitWidth: 32 }),
  fraglen: field('rpc.fraglen', 'Fragment Length', 'uint32', { bitmask: 0x7fffffff, bitWidth: 32 }),
  xid: field('rpc.xid', 'XID', 'uint32', { base: 'hex_dec' }),
  msgtyp: field('rpc.msgtyp', 'Message Type', 'uint32', { values: msgTypes }),
  version: field('rpc.version', 'RPC Version', 'uint32'),
  program: field('rpc.program', 'Program', 'uint32', { values: rpcPrograms }),
  programversion: field('rpc.programversion', 'Program Version', 'uint32'),
  procedure: field('rpc.procedure', 'Procedure', 'uint32'),
  replystat: field('rpc.replystat', 'Reply State', 'uint32', { values: replyStates }),
  stateAccept: field('rpc.state_accept', 'Accept State', 'uint32', { values: acceptStates }),
  reqframe: field('rpc.reqframe', 'Request Frame', 'framenum'),
  repframe: field('rpc.repframe', 'Reply Frame', 'framenum'),
  time: field('rpc.time', 'Time from request', 'rel_time'),
  cred: field('rpc.cred', 'Credentials', 'none'),
  verf: field('rpc.verf', 'Verifier', 'none'),
  flavor: field('rpc.auth.flavor', 'Flavor', 'uint32', { values: authFlavors }),
  authLength: field('rpc.auth.length', 'Length', 'uint32'),
  stamp: field('rpc.auth.stamp', 'Stamp', 'uint32', { base: 'hex' }),
  machinename: field('rpc.auth.machinename', 'Machine Name', 'string'),
  uid: field('rpc.auth.uid', 'UID', 'uint32'),
  gid: field('rpc.auth.gid', 'GID', 'uint32'),
  authData: field('rpc.auth.data', 'Auth data', 'bytes'),
};

/** What a program dissector learns from the RPC layer. */
export interface RpcInfo {
  readonly isCall: boolean;
  readonly xid: number;
  readonly program: number;
  readonly version: number;
  readonly procedure: number;
  /** Frame of the matching call (replies only; 0 when the call was not seen). */
  readonly callFrame: number;
  /** Per-call state a program dissector kept on the call (e.g. NFS ACCESS check bits). */
  readonly callData: Record<string, unknown>;
}

interface CallRecord {
  frame: number;
  timeNs: bigint;
  program: number;
  version: number;
  procedure: number;
  replyFrame: number;
  data: Record<string, unknown>;
}

class RpcState {
  /** Calls by conversation + XID. */
  readonly calls = new Map<string, CallRecord>();
  /** Replies by frame number, so re-dissection finds the same call. */
  readonly replies = new Map<number, CallRecord | null>();
}

function convKey(ctx: PacketContext, xid: number, isCall: boolean): string {
  const a = (ctx.netSrc?.bytes.join('.') ?? '') + '/' + ctx.srcPort;
  const b = (ctx.netDst?.bytes.join('.') ?? '') + '/' + ctx.dstPort;
  // The call goes client -> server; the reply comes back the other way.
  return isCall ? `${a}>${b}#${xid}` : `${b}>${a}#${xid}`;
}


/** Bounded opaque-auth reading (credentials or verifier). */
function dissectAuth(c: Cursor, o: number, tree: Tree, def: typeof f.cred, label: string): number {
  const flavor = c.u32(o);
  const len = c.u32(o + 4);
  const padded = Math.min(len + ((4 - (len % 4)) % 4), 400);
  const t = tree.addTree(def, c, o, 8 + padded, { label });
  t.add(f.flavor, c, o, 4);
  t.add(f.authLength, c, o + 4, 4);
  let p = o + 8;
  if (flavor === 1 && len >= 20) {
    t.add(f.stamp, c, p, 4);
    const nlen = c.u32(p + 4);
    const npad = nlen + ((4 - (nlen % 4)) % 4);
    if (nlen > 255) throw malformed('machine name too long');
    t.add(f.machinename, c, p + 8, nlen, { label: `Machine Name: ${c.ascii(p + 8, nlen)}` });
    p += 8 + npad;
    t.add(f.uid, c, p, 4);
    t.add(f.gid, c, p + 4, 4);
    const n = Math.min(c.u32(p + 8), 16);
    p += 12;
    for (let i = 0; i < n; i++, p += 4) t.add(f.gid, c, p, 4);
  } else if (len > 0) {
    t.add(f.authData, c, p, Math.min(len, 400));
  }
  return o + 8 + padded;
}

/** Is this a plausible RPC message at `o`? (used by the heuristics) */
function looksLikeRpc(c: Cursor, o: number, ctx: PacketContext): boolean {
  if (!c.has(o, 8)) return false;
  const type = c.u32(o + 4);
  if (type === 0) {
    if (!c.has(o, 24)) return false;
    return c.u32(o + 8) === 2 && rpcPrograms[c.u32(o + 12)] !== undefined && c.u32(o + 16) < 10;
  }
  if (type === 1) {
    const st = ctx.session.slot('rpc', () => new RpcState());
    return st.calls.has(convKey(ctx, c.u32(o), false)) || st.replies.has(ctx.frame.number);
  }
  return false;
}

function overTcp(ctx: PacketContext): boolean {
  return ctx.protocols[ctx.protocols.length - 2] === 'tcp';
}

/** `end` is where the message ends as reported (not as captured). */
function dissectMessage(c: Cursor, o: number, end: number, ctx: PacketContext, tree: Tree): void {
  const st = ctx.session.slot('rpc', () => new RpcState());
  const xid = c.u32(o);
  const type = c.u32(o + 4);
  if (tree.owner) tree.owner.label = `Remote Procedure Call, Type:${type === 0 ? 'Call' : type === 1 ? 'Reply' : 'Unknown'} XID:0x${xid.toString(16).padStart(8, '0')}`;
  tree.add(f.xid, c, o, 4);
  tree.add(f.msgtyp, c, o + 4, 4);
  let p = o + 8;
  let info: RpcInfo;
  if (type === 0) {
    tree.add(f.version, c, p, 4);
    const prog = c.u32(p + 4);
    const vers = c.u32(p + 8);
    const proc = c.u32(p + 12);
    tree.add(f.program, c, p + 4, 4);
    tree.add(f.programversion, c, p + 8, 4);
    tree.add(f.procedure, c, p + 12, 4);
    p = dissectAuth(c, p + 16, tree, f.cred, 'Credentials');
    p = dissectAuth(c, p, tree, f.verf, 'Verifier');
    const key = convKey(ctx, xid, true);
    let rec = st.calls.get(key);
    if (!rec || rec.frame !== ctx.frame.number) {
      if (!rec || rec.frame < ctx.frame.number || !ctx.visited) {
        rec = { frame: ctx.frame.number, timeNs: frameTimeNs(ctx.frame), program: prog, version: vers, procedure: proc, replyFrame: 0, data: {} };
        st.calls.set(key, rec);
      }
    }
    if (rec.replyFrame) tree.generated(f.repframe, rec.replyFrame, `[The reply to this request is in frame ${rec.replyFrame}]`);
    info = { isCall: true, xid, program: prog, version: vers, procedure: proc, callFrame: 0, callData: rec.data };
  } else if (type === 1) {
    let rec = st.replies.get(ctx.frame.number);
    if (rec === undefined) {
      rec = st.calls.get(convKey(ctx, xid, false)) ?? null;
      if (rec && rec.frame >= ctx.frame.number) rec = null;
      st.replies.set(ctx.frame.number, rec);
      if (rec && !rec.replyFrame) rec.replyFrame = ctx.frame.number;
    }
    if (rec) {
      tree.generated(f.program, rec.program, `[Program: ${rpcPrograms[rec.program] ?? 'Unknown'} (${rec.program})]`);
      tree.generated(f.programversion, rec.version, `[Program Version: ${rec.version}]`);
      tree.generated(f.procedure, rec.procedure);
    }
    const rstat = c.u32(p);
    tree.add(f.replystat, c, p, 4);
    p += 4;
    if (rec) {
      tree.generated(f.reqframe, rec.frame, `[This is a reply to a request in frame ${rec.frame}]`);
      const dt = frameTimeNs(ctx.frame) - rec.timeNs;
      tree.generated(f.time, dt, `[Time from request: ${formatNsTime(dt)} seconds]`);
    }
    if (rstat === 0) {
      p = dissectAuth(c, p, tree, f.verf, 'Verifier');
      const acc = c.u32(p);
      tree.add(f.stateAccept, c, p, 4);
      p += 4;
      if (acc !== 0) {
        ctx.setInfo(`Reply (Call In ${rec?.frame ?? 0})`);
        return;
      }
    } else {
      ctx.setInfo('Reply (denied)');
      return;
    }
    info = { isCall: false, xid, program: rec?.program ?? 0, version: rec?.version ?? 0, procedure: rec?.procedure ?? 0, callFrame: rec?.frame ?? 0, callData: rec?.data ?? {} };
    if (!rec) {
      ctx.setInfo('Reply (Call In unknown)');
      return;
    }
  } else {
    ctx.setInfo('Unknown message type');
    return;
  }
  ctx.scratch.set('rpc.info', info);
  const programName = rpcPrograms[info.program] ?? `Program ${info.program}`;
  ctx.setInfo(info.isCall ? `V${info.version} ${programName} Call` : `Reply (Call In ${info.callFrame})`);
  if (p < end) {
    const body = c.sub(p, end - p);
    if (ctx.call('rpc.program', info.program, body, tree) < 0) ctx.callData(body, tree);
  }
}

export default protocol({
  abbrev: 'rpc',
  name: 'Remote Procedure Call',
  short: 'RPC',
  fields: f,
  register(r) {
    r.table('udp.port', 111);
    r.table('tcp.port', 111);
    r.heuristic('udp', (c, ctx) => looksLikeRpc(c, c.start, ctx));
    r.heuristic('tcp', (c, ctx) => c.has(c.start, 4) && (c.u32(c.start) & 0x80000000) !== 0 && looksLikeRpc(c, c.start + 4, ctx));
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    if (overTcp(ctx)) {
      const hdr = c.u32(o);
      const len = hdr & 0x7fffffff;
      if (ctx.canDesegment && c.remaining(o) < len + 4) {
        ctx.desegmentOffset = o;
        ctx.desegmentLen = len + 4 - c.remaining(o);
        return c.remaining(o);
      }
      const t = tree.addTree(f.fraglen, c, o, 4, { label: `Fragment header: ${hdr & 0x80000000 ? 'Last fragment' : 'Not last fragment'}, ${len} bytes` });
      t.add(f.lastfrag, c, o, 4);
      t.add(f.fraglen, c, o, 4);
      // The body's extent is what the record mark says; bytes past the capture are a snaplen cut.
      dissectMessage(c, o + 4, o + 4 + len, ctx, tree);
      return Math.min(c.end, o + 4 + len) - o;
    }
    dissectMessage(c, o, c.reportedEnd, ctx, tree);
    return c.end - o;
  },
});
