// NFS version 3 (RFC 1813) on top of ONC RPC: the procedure, file handles (with Wireshark's
// CRC-32 hash), names, attributes and the common call/reply bodies. Registered on the
// `rpc.program` table (100003); the RPC layer leaves its call details in `rpc.info`.

import { field, protocol } from '../core/registry.ts';
import { malformed } from './malformed.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';

interface RpcInfo {
  readonly isCall: boolean;
  readonly version: number;
  readonly procedure: number;
  readonly callFrame: number;
  readonly callData: Record<string, unknown>;
}

const procNames: Record<number, string> = {
  0: 'NULL', 1: 'GETATTR', 2: 'SETATTR', 3: 'LOOKUP', 4: 'ACCESS', 5: 'READLINK', 6: 'READ', 7: 'WRITE',
  8: 'CREATE', 9: 'MKDIR', 10: 'SYMLINK', 11: 'MKNOD', 12: 'REMOVE', 13: 'RMDIR', 14: 'RENAME', 15: 'LINK',
  16: 'READDIR', 17: 'READDIRPLUS', 18: 'FSSTAT', 19: 'FSINFO', 20: 'PATHCONF', 21: 'COMMIT',
};

const status3: Record<number, string> = {
  0: 'NFS3_OK', 1: 'NFS3ERR_PERM', 2: 'NFS3ERR_NOENT', 5: 'NFS3ERR_IO', 6: 'NFS3ERR_NXIO', 13: 'NFS3ERR_ACCES',
  17: 'NFS3ERR_EXIST', 18: 'NFS3ERR_XDEV', 19: 'NFS3ERR_NODEV', 20: 'NFS3ERR_NOTDIR', 21: 'NFS3ERR_ISDIR',
  22: 'NFS3ERR_INVAL', 27: 'NFS3ERR_FBIG', 28: 'NFS3ERR_NOSPC', 30: 'NFS3ERR_ROFS', 31: 'NFS3ERR_MLINK',
  63: 'NFS3ERR_NAMETOOLONG', 66: 'NFS3ERR_NOTEMPTY', 69: 'NFS3ERR_DQUOT', 70: 'NFS3ERR_STALE', 71: 'NFS3ERR_REMOTE',
  10001: 'NFS3ERR_BADHANDLE', 10002: 'NFS3ERR_NOT_SYNC', 10003: 'NFS3ERR_BAD_COOKIE', 10004: 'NFS3ERR_NOTSUPP',
  10005: 'NFS3ERR_TOOSMALL', 10006: 'NFS3ERR_SERVERFAULT', 10007: 'NFS3ERR_BADTYPE', 10008: 'NFS3ERR_JUKEBOX',
};

const ftypes: Record<number, string> = {
  1: 'Regular File', 2: 'Directory', 3: 'Block Special Device', 4: 'Character Special Device', 5: 'Symbolic Link', 6: 'Socket', 7: 'Named Pipe',
};
const stableHow: Record<number, string> = { 0: 'UNSTABLE', 1: 'DATA_SYNC', 2: 'FILE_SYNC' };
const createModes: Record<number, string> = { 0: 'UNCHECKED', 1: 'GUARDED', 2: 'EXCLUSIVE' };
const follows: Record<number, string> = { 0: 'no value', 1: 'value follows' };
const accessNames: [number, string][] = [[0x01, 'RD'], [0x02, 'LU'], [0x04, 'MD'], [0x08, 'XT'], [0x10, 'DL'], [0x20, 'XE']];

const f = {
  procedure: field('nfs.procedure_v3', 'V3 Procedure', 'uint32', { values: procNames }),
  fh: field('nfs.fh', 'File Handle', 'none'),
  fhLength: field('nfs.fh.length', 'length', 'uint32'),
  fhHash: field('nfs.fh.hash', 'hash (CRC-32)', 'uint32', { base: 'hex' }),
  fhandle: field('nfs.fhandle', 'FileHandle', 'bytes'),
  name: field('nfs.name', 'Name', 'string'),
  status: field('nfs.status', 'Status', 'uint32', { values: status3 }),
  status3: field('nfs.status3', 'Status', 'uint32', { values: status3 }),
  attributesFollow: field('nfs.attributes_follow', 'attributes_follow', 'uint32', { values: follows }),
  handleFollow: field('nfs.handle_follow', 'handle_follow', 'uint32', { values: follows }),
  setIt: field('nfs.set_it', 'set_it', 'uint32', { values: { 0: 'no value', 1: 'value follows' } }),
  ftype: field('nfs.fattr3.type', 'Type', 'uint32', { values: ftypes }),
  mode3: field('nfs.mode3', 'Mode', 'uint32', { base: 'oct' }),
  nlink: field('nfs.fattr3.nlink', 'nlink', 'uint32'),
  uid: field('nfs.fattr3.uid', 'uid', 'uint32'),
  gid: field('nfs.fattr3.gid', 'gid', 'uint32'),
  size: field('nfs.fattr3.size', 'size', 'uint64'),
  used: field('nfs.fattr3.used', 'used', 'uint64'),
  fsid: field('nfs.fattr3.fsid', 'fsid', 'uint64', { base: 'hex_dec' }),
  fileid: field('nfs.fattr3.fileid', 'fileid', 'uint64'),
  uid3: field('nfs.uid3', 'uid', 'uint32'),
  gid3: field('nfs.gid3', 'gid', 'uint32'),
  offset3: field('nfs.offset3', 'offset', 'uint64'),
  count3: field('nfs.count3', 'count', 'uint32'),
  stable: field('nfs.write.stable', 'Stable', 'uint32', { values: stableHow }),
  committed: field('nfs.write.committed', 'Committed', 'uint32', { values: stableHow }),
  verifier: field('nfs.verifier', 'Verifier', 'bytes'),
  createmode: field('nfs.createmode', 'Create Mode', 'uint32', { values: createModes }),
  accessCheck: field('nfs.access_check', 'Check access', 'uint8', { base: 'hex' }),
  accessRights: field('nfs.access_rights', 'Access rights (of requested)', 'uint8', { base: 'hex' }),
  data: field('nfs.data', 'Data', 'bytes'),
};

/** CRC-32 (IEEE, reflected), as Wireshark hashes file handles. */
const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = crcTable[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const hex8 = (n: number): string => '0x' + n.toString(16).padStart(8, '0');
const pad4 = (n: number): number => n + ((4 - (n % 4)) % 4);

/** Reads an nfs_fh3; returns [next offset, hash]. */
function fh3(c: Cursor, o: number, tree: Tree, label: string): [number, number] {
  const len = c.u32(o);
  if (len > 64) throw malformed('file handle too long');
  const t = tree.addTree(f.fh, c, o, 4, { label });
  t.add(f.fhLength, c, o, 4);
  const hash = crc32(c.bytes(o + 4, len));
  if (t.owner) t.owner.length = 4 + pad4(len);
  t.generated(f.fhHash, hash, `[hash (CRC-32): ${hex8(hash)}]`);
  t.add(f.fhandle, c, o + 4, len);
  return [o + 4 + pad4(len), hash];
}

/** An XDR string name; returns [next offset, name]. */
function name3(c: Cursor, o: number, tree: Tree): [number, string] {
  const len = c.u32(o);
  if (len > 4096) throw malformed('name too long');
  const s = c.ascii(o + 4, len);
  tree.add(f.name, c, o, 4 + pad4(len), { value: s, label: `Name: ${s}` });
  return [o + 4 + pad4(len), s];
}

function diropargs(c: Cursor, o: number, tree: Tree, label: string): [number, number, string] {
  const t = tree.addTree(f.fh, c, o, 0, { label, value: null });
  const [p, hash] = fh3(c, o, t, 'dir');
  const [q, name] = name3(c, p, t);
  return [q, hash, name];
}

function modeText(mode: number): string {
  return mode.toString(8).slice(-4).padStart(4, '0');
}

/** fattr3 (84 bytes); returns [next offset, summary like `Directory mode: 0755 uid: 564 gid: 500`]. */
function fattr3(c: Cursor, o: number, tree: Tree, label: string): [number, string] {
  const type = c.u32(o);
  const mode = c.u32(o + 4);
  const summary = `${ftypes[type] ?? 'Unknown'} mode: ${modeText(mode)} uid: ${c.u32(o + 12)} gid: ${c.u32(o + 16)}`;
  const t = tree.addTree(f.fh, c, o, 84, { label: `${label}  ${summary}` });
  t.add(f.ftype, c, o, 4);
  t.add(f.mode3, c, o + 4, 4);
  t.add(f.nlink, c, o + 8, 4);
  t.add(f.uid, c, o + 12, 4);
  t.add(f.gid, c, o + 16, 4);
  t.add(f.size, c, o + 20, 8);
  t.add(f.used, c, o + 28, 8);
  t.add(f.fsid, c, o + 44, 8);
  t.add(f.fileid, c, o + 52, 8);
  return [o + 84, summary];
}

function postOpAttr(c: Cursor, o: number, tree: Tree, label: string): [number, string] {
  const follows = c.u32(o);
  const t = tree.addTree(f.fh, c, o, follows ? 88 : 4, { label, value: null });
  t.add(f.attributesFollow, c, o, 4);
  if (!follows) return [o + 4, ''];
  const [p, s] = fattr3(c, o + 4, t, 'attributes');
  if (t.owner) t.owner.label = `${label}  ${s}`;
  return [p, s];
}

function wccData(c: Cursor, o: number, tree: Tree, label: string): number {
  const t = tree.addTree(f.fh, c, o, 0, { label, value: null });
  const before = c.u32(o);
  const b = t.addTree(f.fh, c, o, before ? 28 : 4, { label: 'before', value: null });
  b.add(f.attributesFollow, c, o, 4);
  let p = o + 4;
  if (before) {
    b.add(f.size, c, p, 8);
    p += 24;
  }
  [p] = postOpAttr(c, p, t, 'after');
  return p;
}

function sattr3(c: Cursor, o: number, tree: Tree): number {
  const t = tree.addTree(f.fh, c, o, 0, { label: 'obj_attributes', value: null });
  let p = o;
  const parts: [typeof f.mode3, number][] = [[f.mode3, 4], [f.uid3, 4], [f.gid3, 4], [f.size, 8]];
  for (const [def, len] of parts) {
    const set = c.u32(p);
    t.add(f.setIt, c, p, 4);
    p += 4;
    if (set) {
      t.add(def, c, p, len);
      p += len;
    }
  }
  for (let i = 0; i < 2; i++) {
    const how = c.u32(p);
    t.add(f.setIt, c, p, 4);
    p += how === 2 ? 12 : 4;
  }
  return p;
}

function accessText(bits: number): string {
  return accessNames.filter(([m]) => bits & m).map(([, n]) => n).join(' ');
}

function dissectCall(c: Cursor, o: number, proc: number, info: RpcInfo, tree: Tree): string {
  switch (proc) {
    case 1: case 21: case 2: case 5: case 18: case 19: case 20: {
      const [p, hash] = fh3(c, o, tree, 'object');
      if (proc === 21) {
        tree.add(f.offset3, c, p, 8);
        tree.add(f.count3, c, p + 8, 4);
      } else if (proc === 2) sattr3(c, p, tree);
      return `, FH: ${hex8(hash)}`;
    }
    case 3: case 12: case 13: case 8: case 9: {
      const [p, hash, name] = diropargs(c, o, tree, proc === 8 || proc === 9 ? 'where' : 'object');
      let s = `, DH: ${hex8(hash)}/${name}`;
      if (proc === 8) {
        const mode = c.u32(p);
        tree.add(f.createmode, c, p, 4);
        s += ` Mode: ${createModes[mode] ?? 'Unknown'}`;
        if (mode === 2) tree.add(f.verifier, c, p + 4, 8);
        else sattr3(c, p + 4, tree);
      } else if (proc === 9) sattr3(c, p, tree);
      return s;
    }
    case 4: {
      const [p, hash] = fh3(c, o, tree, 'object');
      const check = c.u32(p);
      tree.add(f.accessCheck, c, p, 4, { value: check & 0xff });
      info.callData.access = check;
      return `, FH: ${hex8(hash)}, [Check: ${accessText(check)}]`;
    }
    case 6: case 7: {
      const [p, hash] = fh3(c, o, tree, 'file');
      const offset = c.u64(p);
      const count = c.u32(p + 8);
      tree.add(f.offset3, c, p, 8);
      tree.add(f.count3, c, p + 8, 4);
      if (proc === 6) return `, FH: ${hex8(hash)} Offset: ${offset} Len: ${count}`;
      const stable = c.u32(p + 12);
      tree.add(f.stable, c, p + 12, 4);
      const dlen = c.u32(p + 16);
      tree.add(f.data, c, p + 20, Math.min(dlen, c.remaining(p + 20)));
      return `, FH: ${hex8(hash)} Offset: ${offset} Len: ${count} ${stableHow[stable] ?? 'Unknown'}`;
    }
    default:
      return '';
  }
}

function dissectReply(c: Cursor, o: number, proc: number, info: RpcInfo, tree: Tree): string {
  const status = c.u32(o);
  tree.add(f.status3, c, o, 4);
  tree.hidden(f.status, c, o, 4);
  let p = o + 4;
  if (status !== 0) {
    return ` Error: ${status3[status] ?? `Unknown (${status})`}`;
  }
  switch (proc) {
    case 1: {
      const [, s] = fattr3(c, p, tree, 'obj_attributes');
      return `  ${s}`;
    }
    case 3: {
      const [q, hash] = fh3(c, p, tree, 'object');
      [p] = postOpAttr(c, q, tree, 'obj_attributes');
      postOpAttr(c, p, tree, 'dir_attributes');
      return `, FH: ${hex8(hash)}`;
    }
    case 4: {
      [p] = postOpAttr(c, p, tree, 'obj_attributes');
      const rights = c.u32(p);
      tree.add(f.accessRights, c, p, 4, { value: rights & 0xff });
      const asked = typeof info.callData.access === 'number' ? info.callData.access : rights;
      const denied = asked & ~rights;
      return (denied ? `, [Access Denied: ${accessText(denied)}]` : '') + `, [Allowed: ${accessText(rights & asked)}]`;
    }
    case 7: {
      p = wccData(c, p, tree, 'file_wcc');
      const count = c.u32(p);
      tree.add(f.count3, c, p, 4);
      const committed = c.u32(p + 4);
      tree.add(f.committed, c, p + 4, 4);
      tree.add(f.verifier, c, p + 8, 8);
      return ` Len: ${count} ${stableHow[committed] ?? 'Unknown'}`;
    }
    case 8: case 9: {
      const fl = c.u32(p);
      const t = tree.addTree(f.fh, c, p, 0, { label: 'obj', value: null });
      t.add(f.handleFollow, c, p, 4);
      p += 4;
      if (fl) [p] = fh3(c, p, t, 'handle');
      [p] = postOpAttr(c, p, tree, 'obj_attributes');
      wccData(c, p, tree, 'dir_wcc');
      return '';
    }
    case 2: case 12: case 13:
      wccData(c, p, tree, proc === 2 ? 'obj_wcc' : 'dir_wcc');
      return '';
    case 21:
      p = wccData(c, p, tree, 'file_wcc');
      tree.add(f.verifier, c, p, 8);
      return '';
    default:
      return '';
  }
}

function dissect(c: Cursor, ctx: PacketContext, tree: Tree): number {
  const info = ctx.scratch.get('rpc.info') as RpcInfo | undefined;
  const o = c.start;
  if (!info) return 0;
  const proc = info.procedure;
  const pname = procNames[proc] ?? `Unknown (${proc})`;
  const head = `${pname} ${info.isCall ? 'Call' : 'Reply'}`;
  if (tree.owner) tree.owner.label = `Network File System, ${head}`;
  ctx.setInfo(`V${info.version} ${head}` + (info.isCall ? '' : ` (Call In ${info.callFrame})`));
  tree.generated(f.procedure, proc, `[V3 Procedure: ${pname} (${proc})]`);
  if (info.version !== 3) return c.remaining(o);
  const extra = info.isCall ? dissectCall(c, o, proc, info, tree) : dissectReply(c, o, proc, info, tree);
  if (extra) ctx.appendInfo(extra, '');
  if (tree.owner) tree.owner.label += extra.startsWith(', ') && !extra.includes('[') ? ' ' + extra.slice(2) : extra;
  return c.remaining(o);
}

export default protocol({
  abbrev: 'nfs',
  name: 'Network File System',
  short: 'NFS',
  fields: f,
  register(r) {
    r.table('rpc.program', 100003);
  },
  dissect,
});
