// The text tshark prints for -z conv,* and -z endpoints,*: same columns, units and order,
// so scripts written against tshark keep working.

import type { Conversation, ConversationType, Endpoint } from './conversations.ts';

const RULE = '='.repeat(80);
const typeName: Record<ConversationType, string> = { eth: 'Ethernet', ip: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP' };

/** Wireshark's format_size with SI prefixes: 9999 bytes, 10 kB, 12 MB ... */
export function formatSize(n: number): string {
  const units = ['T', 'G', 'M', 'k'];
  for (let p = 4; p >= 1; p--) {
    const v = Math.floor(n / 1000 ** p);
    if (v >= 10) return `${v} ${units[4 - p]}B`;
  }
  return `${n} bytes`;
}

function pad(s: string | number, w: number): string {
  return String(s).padStart(w);
}

/** Stable sort by total frames, largest first, as tshark's draw loop orders them. */
function byFrames<T>(items: readonly T[], frames: (t: T) => number): T[] {
  return items.map((t, i) => ({ t, i })).sort((x, y) => frames(y.t) - frames(x.t) || x.i - y.i).map((x) => x.t);
}

export function formatConversations(type: ConversationType, convs: readonly Conversation[], filter?: string): string {
  const ports = type === 'tcp' || type === 'udp';
  const pre = ports ? ' '.repeat(12) : '';
  const w = ports ? 26 : 20;
  let out = `${RULE}\n${typeName[type]} Conversations\nFilter:${filter ?? '<No Filter>'}\n`;
  out += `${pre}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n`;
  out += `${pre}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n`;
  for (const c of byFrames(convs, (c) => c.framesAB + c.framesBA)) {
    out += `${c.a.padEnd(w)} <-> ${c.b.padEnd(w)}  ${pad(c.framesBA, 6)} ${formatSize(c.bytesBA).padEnd(9)}  ${pad(c.framesAB, 6)} ${formatSize(c.bytesAB).padEnd(9)}  ${pad(c.framesAB + c.framesBA, 6)} ${formatSize(c.bytesAB + c.bytesBA).padEnd(9)}  `;
    out += `${pad(c.start.toFixed(9), 14)}   ${pad((c.end - c.start).toFixed(4), 12)}\n`;
  }
  return out + RULE + '\n';
}

export function formatEndpoints(type: ConversationType, eps: readonly Endpoint[], filter?: string): string {
  const ports = type === 'tcp' || type === 'udp';
  let out = `${RULE}\n${typeName[type]} Endpoints\nFilter:${filter ?? '<No Filter>'}\n`;
  out += ports
    ? '                       |  Port  ||  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n'
    : '                       |  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n';
  for (const e of byFrames(eps, (e) => e.txFrames + e.rxFrames)) {
    out += e.addr.padEnd(20) + (ports ? `      ${pad(e.port, 5)}` : '');
    out += `${ports ? '     ' : '      '}${pad(e.txFrames + e.rxFrames, 6)}     ${pad(e.txBytes + e.rxBytes, 9)}     ${pad(e.txFrames, 6)}       ${pad(e.txBytes, 9)}      ${pad(e.rxFrames, 6)}       ${pad(e.rxBytes, 9)}   \n`;
  }
  return out + RULE + '\n';
}
