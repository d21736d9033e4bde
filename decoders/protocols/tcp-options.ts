// TCP options (RFC 9293 3.2, RFC 7323, RFC 2018): the option walk, its tree and the Info
// suffixes tshark 4.0 prints (MSS=1460 WS=256 SACK_PERM TSval=.. TSecr=.. SLE=.. SRE=..).

import { field } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import type { Tree } from '../core/tree.ts';

export const optionKindNames: Record<number, string> = {
  0: 'End of Option List', 1: 'No-Operation', 2: 'Maximum Segment Size', 3: 'Window Scale', 4: 'SACK Permitted', 5: 'SACK',
  6: 'Echo', 7: 'Echo Reply', 8: 'Time Stamp Option', 9: 'Partial Order Connection Permitted', 10: 'Partial Order Service Profile',
  11: 'CC', 12: 'CC.NEW', 13: 'CC.ECHO', 14: 'TCP Alternate Checksum Request', 15: 'TCP Alternate Checksum Data', 16: 'Skeeter',
  17: 'Bubba', 18: 'Trailer Checksum Option', 19: 'MD5 Signature Option', 20: 'SCPS Capabilities',
  21: 'Selective Negative Acknowledgements', 22: 'Record Boundaries', 23: 'Corruption experienced', 24: 'SNAP', 25: 'Unassigned',
  26: 'TCP Compression Filter', 27: 'Quick-Start Response', 28: 'User Timeout Option', 29: 'The TCP Authentication Option',
  30: 'Multipath TCP', 34: 'TCP Fast Open Cookie', 76: 'Riverbed Probe', 78: 'Riverbed Transparency', 172: 'Accurate ECN Order 0',
  174: 'Accurate ECN Order 1', 253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2',
};

export const optionFields = {
  options: field('tcp.options', 'TCP Options', 'bytes'),
  optKind: field('tcp.option_kind', 'Kind', 'uint8', { values: optionKindNames }),
  optLen: field('tcp.option_len', 'Length', 'uint8'),
  eol: field('tcp.options.eol', 'TCP Option - End of Option List (EOL)', 'protocol'),
  nop: field('tcp.options.nop', 'TCP Option - No-Operation (NOP)', 'protocol'),
  mss: field('tcp.options.mss', 'TCP Option - Maximum segment size', 'protocol'),
  mssVal: field('tcp.options.mss_val', 'MSS Value', 'uint16'),
  wscale: field('tcp.options.wscale', 'TCP Option - Window scale', 'protocol'),
  wscaleShift: field('tcp.options.wscale.shift', 'Shift count', 'uint8'),
  wscaleMultiplier: field('tcp.options.wscale.multiplier', 'Multiplier', 'uint16'),
  sackPerm: field('tcp.options.sack_perm', 'TCP Option - SACK permitted', 'protocol'),
  sack: field('tcp.options.sack', 'TCP Option - SACK', 'protocol'),
  sackLe: field('tcp.options.sack_le', 'TCP SACK Left Edge', 'uint32'),
  sackRe: field('tcp.options.sack_re', 'TCP SACK Right Edge', 'uint32'),
  sackCount: field('tcp.options.sack.count', 'TCP SACK Count', 'uint8'),
  timestamp: field('tcp.options.timestamp', 'TCP Option - Timestamps', 'protocol'),
  tsval: field('tcp.options.timestamp.tsval', 'Timestamp value', 'uint32'),
  tsecr: field('tcp.options.timestamp.tsecr', 'Timestamp echo reply', 'uint32'),
  unknown: field('tcp.options.unknown', 'TCP Option - Unknown', 'protocol'),
  unknownPayload: field('tcp.options.unknown.payload', 'Payload', 'bytes'),
  lenInvalid: field('tcp.option.len.invalid', 'Invalid length for option', 'none'),
};

const OPT = optionFields;

/** Names shown after `Options: (N bytes), ` in the tree. */
const summaryNames: Record<number, string> = {
  0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Maximum segment size', 3: 'Window scale', 4: 'SACK permitted',
  5: 'SACK', 8: 'Timestamps',
};

/** Expected lengths of the options we decode (0: variable). */
const fixedLen: Record<number, number> = { 2: 4, 3: 3, 4: 2, 8: 10 };

export interface OptionResults {
  /** Info column suffix, each part starting with a space. */
  info: string;
  wsShift: number;
}

/** What the analysis needs from the options, read without adding anything. */
export interface OptionScan {
  /** Window scale shift, or -1. */
  wsShift: number;
  /** Bytes covered by SACK blocks (sum of right - left edges), or -1 without a SACK option. */
  sackBytes: number;
}

export function scanOptions(c: Cursor, start: number, end: number): OptionScan {
  const res: OptionScan = { wsShift: -1, sackBytes: -1 };
  let o = start;
  for (let guard = 0; o < end && guard < 64; guard++) {
    if (!c.has(o, 1)) break;
    const kind = c.data[o]!;
    if (kind === 0) break;
    if (kind === 1) {
      o++;
      continue;
    }
    if (!c.has(o + 1, 1)) break;
    const len = c.data[o + 1]!;
    if (len < 2 || o + len > end) break;
    if (kind === 3 && len === 3 && c.has(o + 2, 1)) res.wsShift = c.data[o + 2]!;
    if (kind === 5 && c.has(o, len)) {
      res.sackBytes = 0;
      for (let p = o + 2; p + 8 <= o + len; p += 8) res.sackBytes += (c.u32(p + 4) - c.u32(p)) >>> 0;
    }
    o += len;
  }
  return res;
}

/**
 * Adds the option list [start, end) to `tree`. `sackBase` makes SACK edges relative.
 * Throws (through the cursor) when options run past the captured/reported data.
 */
export function dissectOptions(c: Cursor, start: number, end: number, tree: Tree, sackBase: number): OptionResults {
  const res: OptionResults = { info: '', wsShift: -1 };
  const total = end - start;
  const optsNode = tree.add(OPT.options, c, start, total, { label: () => `Options: (${total} bytes)` });
  const ot = tree.subtree(optsNode);
  const names: string[] = [];
  const full = tree.ctx.buildTree;
  const label = (): void => {
    // The heading grows with each option; without a tree nobody reads it.
    if (full) optsNode.label = `Options: (${total} bytes)` + (names.length ? ', ' + names.join(', ') : '');
  };
  let o = start;
  while (o < end) {
    const kind = c.u8(o);
    if (kind === 0 || kind === 1) {
      const n = ot.add(kind === 0 ? OPT.eol : OPT.nop, c, o, 1, { label: kind === 0 ? 'TCP Option - End of Option List (EOL)' : 'TCP Option - No-Operation (NOP)' });
      ot.subtree(n).add(OPT.optKind, c, o, 1, { label: () => `Kind: ${kind === 0 ? 'End of Option List' : 'No-Operation'} (${kind})` });
      names.push(summaryNames[kind]!);
      label();
      o++;
      if (kind === 0) break; // the rest is padding
      continue;
    }
    if (o + 2 > end) {
      ot.expert('error', 'malformed', `${optionKindNames[kind] ?? 'Unknown'} (option goes past end of options)`, c, o, end - o);
      break;
    }
    const len = c.u8(o + 1);
    if (len < 2) {
      ot.expert('error', 'malformed', `${optionKindNames[kind] ?? 'Unknown'} (with option length = ${len} byte${len === 1 ? '' : 's'}; should be >= 2)`, c, o, 2);
      break;
    }
    if (o + len > end) {
      ot.expert('error', 'malformed', `${optionKindNames[kind] ?? 'Unknown'} (option length ${len} bytes says option goes past end of options)`, c, o, end - o);
      break;
    }
    const want = fixedLen[kind];
    const bad = want !== undefined ? len !== want : kind === 5 ? (len - 2) % 8 !== 0 : false;
    names.push(summaryNames[kind] ?? optionKindNames[kind] ?? 'Unknown');
    label();
    if (bad) {
      const n = ot.add(OPT.unknown, c, o, len, { label: () => `TCP Option - ${summaryNames[kind] ?? 'Unknown'}` });
      const st = ot.subtree(n);
      st.add(OPT.optKind, c, o, 1);
      st.add(OPT.optLen, c, o + 1, 1);
      st.expert('error', 'protocol', `Invalid length for option (${len})`, c, o + 1, 1);
      o += len;
      continue;
    }
    switch (kind) {
      case 2: {
        const mss = c.u16(o + 2);
        const st = ot.addTree(OPT.mss, c, o, len, { label: () => `TCP Option - Maximum segment size: ${mss} bytes` });
        st.add(OPT.optKind, c, o, 1);
        st.add(OPT.optLen, c, o + 1, 1);
        st.add(OPT.mssVal, c, o + 2, 2);
        res.info += ` MSS=${mss}`;
        break;
      }
      case 3: {
        const raw = c.u8(o + 2);
        const shift = Math.min(raw, 14);
        const st = ot.addTree(OPT.wscale, c, o, len, { label: () => `TCP Option - Window scale: ${raw} (multiply by ${2 ** shift})` });
        st.add(OPT.optKind, c, o, 1);
        st.add(OPT.optLen, c, o + 1, 1);
        st.add(OPT.wscaleShift, c, o + 2, 1);
        if (raw > 14) st.expert('warn', 'protocol', 'Window scale shift exceeds 14', c, o + 2, 1);
        st.generated(OPT.wscaleMultiplier, 2 ** shift, `[Multiplier: ${2 ** shift}]`, c, o + 2, 1);
        res.info += ` WS=${2 ** shift}`;
        res.wsShift = shift;
        break;
      }
      case 4: {
        const st = ot.addTree(OPT.sackPerm, c, o, len, { label: 'TCP Option - SACK permitted' });
        st.add(OPT.optKind, c, o, 1);
        st.add(OPT.optLen, c, o + 1, 1);
        res.info += ' SACK_PERM';
        break;
      }
      case 5: {
        const node = ot.add(OPT.sack, c, o, len, { label: 'TCP Option - SACK' });
        const st = ot.subtree(node);
        st.add(OPT.optKind, c, o, 1);
        st.add(OPT.optLen, c, o + 1, 1);
        let n = 0;
        for (let p = o + 2; p + 8 <= o + len; p += 8) {
          const le = (c.u32(p) - sackBase) >>> 0;
          const re = (c.u32(p + 4) - sackBase) >>> 0;
          st.add(OPT.sackLe, c, p, 4, { value: le, label: () => `left edge = ${le} (relative)` });
          st.add(OPT.sackRe, c, p + 4, 4, { value: re, label: () => `right edge = ${re} (relative)` });
          node.label += ` ${le}-${re}`;
          res.info += ` SLE=${le} SRE=${re}`;
          n++;
        }
        st.generated(OPT.sackCount, n, `[TCP SACK Count: ${n}]`);
        break;
      }
      case 8: {
        const tsval = c.u32(o + 2);
        const tsecr = c.u32(o + 6);
        const st = ot.addTree(OPT.timestamp, c, o, len, { label: () => `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}` });
        st.add(OPT.optKind, c, o, 1);
        st.add(OPT.optLen, c, o + 1, 1);
        st.add(OPT.tsval, c, o + 2, 4);
        st.add(OPT.tsecr, c, o + 6, 4);
        res.info += ` TSval=${tsval} TSecr=${tsecr}`;
        break;
      }
      default: {
        const st = ot.addTree(OPT.unknown, c, o, len, { label: () => `TCP Option - ${optionKindNames[kind] ?? 'Unknown'}` });
        st.add(OPT.optKind, c, o, 1);
        st.add(OPT.optLen, c, o + 1, 1);
        if (len > 2) st.add(OPT.unknownPayload, c, o + 2, len - 2);
        // TCP Fast Open (RFC 7413): its own kind, or an experiment option with magic 0xf989.
        if (kind === 34) res.info += len === 2 ? ' TFO=R' : ' TFO=C';
        else if ((kind === 253 || kind === 254) && len >= 4 && c.u16(o + 2) === 0xf989) res.info += len === 4 ? ' TFO=R' : ' TFO=C';
      }
    }
    o += len;
  }
  return res;
}
