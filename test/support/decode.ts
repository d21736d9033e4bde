// Test helpers: dissect hex bytes and look fields up the way the UI and filters do.
import { defaultRegistry, dissectFrame, Session } from '../../decoders/index.ts';
import { findFields } from '../../decoders/core/fields.ts';
import { formatFieldValue } from '../../decoders/core/format.ts';
import type { Dissection, FieldNode } from '../../decoders/core/types.ts';

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function decode(bytes: Uint8Array | string, linkType = 1, session = new Session(), number = 1, origlen?: number): Dissection {
  const data = typeof bytes === 'string' ? fromHex(bytes) : bytes;
  return dissectFrame(defaultRegistry(), session, { number, linkType, tsSec: 0, tsNsec: 0, caplen: data.length, origlen: origlen ?? data.length, interfaceId: 0 }, data);
}

/** Every occurrence of a field, outer first. */
export function nodes(d: Dissection, abbrev: string): FieldNode[] {
  return findFields(d.tree, abbrev);
}

/** The `tshark -T fields` cell of a field. */
export function cell(d: Dissection, abbrev: string): string {
  return nodes(d, abbrev).map((n) => formatFieldValue(n.def, n.value)).join(',');
}

/** [offset, length] of the first occurrence. */
export function range(d: Dissection, abbrev: string): [number, number] {
  const n = nodes(d, abbrev)[0];
  if (!n) throw new Error(`no ${abbrev} in the tree`);
  return [n.offset, n.length];
}
