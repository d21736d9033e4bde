// A dissection as plain JSON: every node with its field name, text, value and byte range.
// Used by `pktscope -T json` and by the UI contract.

import { formatFieldValue, nodeLabel } from '../../decoders/core/format.ts';
import { NodeFlags, type Dissection, type FieldNode } from '../../decoders/core/types.ts';

export interface JsonNode {
  field: string;
  label: string;
  value?: string;
  /** Data source index (0 = the frame, higher = reassembled data). */
  source: number;
  offset: number;
  length: number;
  generated?: true;
  hidden?: true;
  truncated?: true;
  children?: JsonNode[];
}

export interface JsonPacket {
  frame: number;
  protocols: string;
  columns: Dissection['columns'];
  malformed: boolean;
  sources: { name: string; length: number }[];
  tree: JsonNode[];
}

export function nodeToJson(n: FieldNode): JsonNode {
  const j: JsonNode = { field: n.def.abbrev, label: nodeLabel(n), source: n.source, offset: n.offset, length: n.length };
  if (n.value !== null) j.value = formatFieldValue(n.def, n.value);
  if (n.flags & NodeFlags.Generated) j.generated = true;
  if (n.flags & NodeFlags.Hidden) j.hidden = true;
  if (n.flags & NodeFlags.Truncated) j.truncated = true;
  if (n.children && n.children.length) j.children = n.children.map(nodeToJson);
  return j;
}

export function treeToJson(d: Dissection): JsonPacket {
  return {
    frame: d.frame.number,
    protocols: d.protocols.join(':'),
    columns: d.columns,
    malformed: d.malformed,
    sources: d.sources.map((s) => ({ name: s.name, length: s.data.length })),
    tree: d.tree.map(nodeToJson),
  };
}
