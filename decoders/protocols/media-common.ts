// Helpers shared by the media-type dissectors (the `media_type` string table): which media
// type the caller dispatched on, and Wireshark's unfilterable text items.

import type { PacketContext } from '../core/context.ts';
import type { FieldDef } from '../core/types.ts';

/**
 * The media type the caller dispatched on (Wireshark's pinfo->match_string), lowercase and
 * without parameters. Callers of `ctx.call('media_type', type, ...)` leave it in
 * `ctx.scratch` under `media_type` (HTTP, SIP, ...).
 */
export function mediaType(ctx: PacketContext): string {
  const v = ctx.scratch.get('media_type') ?? ctx.scratch.get('http.content_type');
  if (typeof v !== 'string') return '';
  return v.split(';')[0]!.trim().toLowerCase();
}

/** A text-only tree item (Wireshark's proto_tree_add_format_text): shown, not filterable. */
export const textItem: FieldDef = { abbrev: 'text', name: 'Text', type: 'none' };

/** Appends `/NAME` to the Protocol column (as col_append_sep_str(COL_PROTOCOL, "/", NAME)). */
export function appendProtocolColumn(ctx: PacketContext, name: string): void {
  ctx.columns.protocol = ctx.columns.protocol ? `${ctx.columns.protocol}/${name}` : name;
}

/** Text of a line for the tree: printable ASCII, other bytes as `\xNN`, CR/LF as `\r\n`. */
export function lineText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (x === 0x0d) s += '\\r';
    else if (x === 0x0a) s += '\\n';
    else if (x >= 0x20 && x < 0x7f) s += String.fromCharCode(x);
    else s += '\\x' + x.toString(16).padStart(2, '0');
  }
  return s;
}
