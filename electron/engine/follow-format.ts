// The text `tshark -q -z follow,tcp,MODE,N` prints, for the CLI and for "Save as" in the UI.

import type { FollowResult } from './follow.ts';

export type FollowMode = 'ascii' | 'hex' | 'raw';

const RULE = '===================================================================';
const HEXD = '0123456789abcdef';

function asciiText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    s += (c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d ? String.fromCharCode(c) : '.';
  }
  return s;
}

function hexLines(b: Uint8Array, start: number, indent: string): string {
  let out = '';
  for (let o = 0; o < b.length; o += 16) {
    const line = b.subarray(o, o + 16);
    let hex = '';
    let asc = '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      hex += HEXD[c >> 4]! + HEXD[c & 15]! + ' ';
      asc += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      if (i === 7) {
        hex += ' ';
        asc += ' ';
      }
    }
    const text = `${indent}${(start + o).toString(16).toUpperCase().padStart(8, '0')}  ${hex.padEnd(49)} ${asc}`;
    // tshark's lines lose exactly one trailing blank (its line buffer ends one short).
    out += (text.endsWith(' ') ? text.slice(0, -1) : text) + '\n';
  }
  return out;
}

export function formatFollow(r: FollowResult, mode: FollowMode): string {
  let out = `\n${RULE}\nFollow: tcp,${mode}\nFilter: tcp.stream eq ${r.stream}\nNode 0: ${r.nodes[0]}\nNode 1: ${r.nodes[1]}\n`;
  const pos: [number, number] = [0, 0];
  for (const c of r.chunks) {
    const indent = c.side === 1 ? '\t' : '';
    if (mode === 'ascii') {
      out += `${indent}${c.data.length}\n${asciiText(c.data)}\n`;
    } else if (mode === 'hex') {
      out += hexLines(c.data, pos[c.side], indent);
    } else {
      let h = '';
      for (let i = 0; i < c.data.length; i++) h += HEXD[c.data[i]! >> 4]! + HEXD[c.data[i]! & 15]!;
      out += `${indent}${h}\n`;
    }
    pos[c.side] += c.data.length;
  }
  return out + RULE + '\n';
}
