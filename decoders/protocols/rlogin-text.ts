// Wireshark's format_text for Info and tree text of terminal protocols (rlogin, telnet, ...).

/** C escapes for control characters, octal `\ooo` for other non-printable bytes. */
export function formatText(b: Uint8Array): string {
  const esc: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (esc[x]) s += esc[x];
    else if (x >= 0x20 && x < 0x7f) s += String.fromCharCode(x);
    else s += '\\' + x.toString(8).padStart(3, '0');
  }
  return s;
}
