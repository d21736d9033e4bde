// Small pieces the TCP graph and flow views share: the selected packet's TCP stream.

import { useShownPacket } from '../controller.ts';
import { rowCache, useStore } from '../store.ts';

/** tcp.stream of the selected packet, -1 when none is selected or it is not TCP. */
export function useSelectedTcpStream(): number {
  const selectedIndex = useStore((s) => s.selectedIndex);
  useStore((s) => (selectedIndex !== null && rowCache.has(selectedIndex) ? 1 : s.rowsVersion));
  const shown = useShownPacket();
  const row = selectedIndex !== null ? rowCache.get(selectedIndex) : undefined;
  if (row) return row.tcpStream;
  return shown?.packet.tcpStream ?? -1;
}

/** Seconds with microseconds, as the packet list's relative time. */
export function formatSeconds(s: number): string {
  return s.toFixed(6);
}
