// Traffic counters of network interfaces, for the capture start screen's sparklines. Linux
// keeps them in /sys/class/net/IF/statistics/{rx,tx}_{packets,bytes}: reading them needs no
// privilege and no capture. Elsewhere (or for pseudo-interfaces such as `any`) there are none,
// and the UI draws no sparkline.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface IfaceCounters {
  /** Packets received + sent since the interface came up. */
  packets: number;
  bytes: number;
}

const SYS_NET = '/sys/class/net';

/** An interface name as the kernel allows it (IFNAMSIZ 16, no slash, not . or ..). */
export function validIfaceName(name: string): boolean {
  return name.length > 0 && name.length < 64 && /^[\w.:@+-]+$/.test(name) && name !== '.' && name !== '..';
}

function readNumber(path: string): number {
  const n = Number(readFileSync(path, 'latin1').trim());
  return Number.isFinite(n) ? n : 0;
}

/** Counters of one interface, null when the system does not provide them. */
export function readCounters(name: string, root = SYS_NET): IfaceCounters | null {
  if (!validIfaceName(name)) return null;
  const dir = join(root, name, 'statistics');
  try {
    return {
      packets: readNumber(join(dir, 'rx_packets')) + readNumber(join(dir, 'tx_packets')),
      bytes: readNumber(join(dir, 'rx_bytes')) + readNumber(join(dir, 'tx_bytes')),
    };
  } catch {
    return null;
  }
}

/**
 * Counters of the named interfaces (or of every interface the system lists), keyed by name;
 * `any` is the sum of all the others, as it captures on all of them.
 */
export function readAllCounters(names?: readonly string[], root = SYS_NET): Record<string, IfaceCounters> {
  const out: Record<string, IfaceCounters> = {};
  let all: string[];
  try {
    all = readdirSync(root).filter(validIfaceName);
  } catch {
    all = [];
  }
  const wanted = names ?? all;
  for (const n of wanted) {
    if (n === 'any') continue;
    const c = readCounters(n, root);
    if (c) out[n] = c;
  }
  if (wanted.includes('any') && all.length) {
    const sum = { packets: 0, bytes: 0 };
    for (const n of all) {
      const c = out[n] ?? readCounters(n, root);
      if (!c) continue;
      sum.packets += c.packets;
      sum.bytes += c.bytes;
    }
    out.any = sum;
  }
  return out;
}
