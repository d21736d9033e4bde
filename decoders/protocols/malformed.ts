// A length or structure that cannot be right: reported like a read past the end of the
// packet (tshark's ReportedBoundsError), so the packet is marked `[Malformed Packet]`.

import { BoundsError } from '../core/cursor.ts';

export function malformed(reason: string): BoundsError {
  const e = new BoundsError('reported', 0, 0);
  e.message = `Malformed packet: ${reason}`;
  return e;
}
