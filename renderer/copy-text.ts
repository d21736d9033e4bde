// Copying text to the clipboard (navigator.clipboard, or a selected textarea where the page
// may not use it), and "Copy as tcpdump line" for a packet.

import { request } from './api.ts';

/** Copies `text`; resolves true when some way of copying worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok: boolean;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

/** The tcpdump `-nn -e` line of packet `number` (from the engine). */
export async function tcpdumpLine(number: number): Promise<string> {
  return (await request('tcpdumpLine', { number })).line;
}

/** Copies packet `number`'s tcpdump line; returns the line. */
export async function copyTcpdumpLine(number: number): Promise<string> {
  const line = await tcpdumpLine(number);
  await copyText(line);
  return line;
}
