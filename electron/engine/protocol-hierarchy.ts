// Protocol hierarchy statistics (tshark -z io,phs): the top-level protocol layers of every
// packet, counted as a tree of paths with frames and bytes.

import type { Dissection } from '../../decoders/core/types.ts';

interface PhsNode {
  name: string;
  frames: number;
  bytes: number;
  children: PhsNode[];
}

export class ProtocolHierarchy {
  readonly root: PhsNode = { name: '', frames: 0, bytes: 0, children: [] };

  private step(at: PhsNode, name: string, bytes: number): PhsNode {
    let child = at.children.find((c) => c.name === name);
    if (!child) {
      child = { name, frames: 0, bytes: 0, children: [] };
      at.children.push(child);
    }
    child.frames++;
    child.bytes += bytes;
    return child;
  }

  add(d: Dissection): void {
    let at = this.root;
    // 1: a "[N Reassembled TCP Segments]" item is due after the reassembled data's protocols.
    let segments = 0;
    let reassembledSeen = false;
    for (const n of d.tree) {
      if (n.def.type !== 'protocol' || n.def.abbrev === 'frame') continue;
      // tshark (without a visible tree) adds the item once the reassembled PDU is dissected: after
      // its protocols, before those of data that follows it in the same segment.
      if (segments && n.source === 0 && reassembledSeen) {
        at = this.step(at, 'tcp.segments', d.frame.origlen);
        segments = 0;
      }
      if (n.source !== 0) reassembledSeen = true;
      at = this.step(at, n.def.abbrev, d.frame.origlen);
      if (n.def.abbrev === 'tcp' && n.children?.some((k) => k.def.abbrev === 'tcp.segments')) {
        // A payload-less segment (FIN) completing the reassembly: the item comes right after TCP.
        if (n.children.find((k) => k.def.abbrev === 'tcp.len')?.value === 0) at = this.step(at, 'tcp.segments', d.frame.origlen);
        else segments = 1;
      }
    }
    if (segments) this.step(at, 'tcp.segments', d.frame.origlen);
  }
}

const RULE = '===================================================================';

export function formatProtocolHierarchy(p: ProtocolHierarchy, filter = ''): string {
  let out = `\n${RULE}\nProtocol Hierarchy Statistics\nFilter: ${filter}\n\n`;
  const walk = (n: PhsNode, depth: number) => {
    for (const c of n.children) {
      out += `${(' '.repeat(depth * 2) + c.name).padEnd(40)} frames:${c.frames} bytes:${c.bytes}\n`;
      walk(c, depth + 1);
    }
  };
  walk(p.root, 0);
  return out + RULE + '\n';
}
