// Save / Export: packets read from any capture written back as pcap or pcapng, keeping what
// the format can hold. pcapng keeps every interface (link type, snaplen, name, filter,
// resolution, offset), packet comments and flags; pcap keeps one link type and one
// resolution, as Wireshark's "Save As pcap" does, and refuses a mix of link types.
// Packets are never cut on saving: a packet longer than its interface's snaplen stays whole.

import type { InterfaceInfo } from './capture-parser.ts';
import { PcapWriter } from './pcap-writer.ts';
import { PcapngWriter, type SectionOptions } from './pcapng-writer.ts';

export type SaveFormat = 'pcap' | 'pcapng';

export interface SavePacket {
  /** Index into the interfaces given to the saver (the reader's global interface index). */
  interfaceId: number;
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  origlen: number;
  comment?: string | undefined;
  /** Every comment; wins over `comment` when given. */
  comments?: string[] | undefined;
  flags?: number | undefined;
}

export class SaveError extends Error {
  override name = 'SaveError';
}

/** Why `interfaces` (those of the packets to save) cannot be saved as pcap, or null when they can. */
export function pcapRefusal(interfaces: readonly InterfaceInfo[]): string | null {
  const kinds = [...new Set(interfaces.map((i) => i.linkType))];
  if (kinds.length > 1) return `pcap holds one link type, and these packets have ${kinds.length} (${kinds.join(', ')}): save as pcapng`;
  return null;
}

export class CaptureSaver {
  private readonly pcap: PcapWriter | null = null;
  private readonly ng: PcapngWriter | null = null;
  private readonly pcapLink: number = -1;

  /**
   * `interfaces`: the interfaces packets refer to (for pcap, only those of the packets saved,
   * see `usedInterfaces`). `section`: pcapng section options (comment, application ...).
   */
  constructor(
    readonly format: SaveFormat,
    private readonly interfaces: readonly InterfaceInfo[],
    private readonly section: SectionOptions = {},
    usedInterfaces?: Iterable<number>,
  ) {
    if (format === 'pcap') {
      const used = usedInterfaces ? [...new Set(usedInterfaces)].map((i) => interfaces[i]).filter((i): i is InterfaceInfo => !!i) : [...interfaces];
      const refusal = pcapRefusal(used);
      if (refusal) throw new SaveError(refusal);
      const first = used[0];
      this.pcapLink = first?.linkType ?? 1;
      const snaplen = used.reduce((m, i) => Math.max(m, i.snaplen || 262144), 0) || 262144;
      this.pcap = new PcapWriter({ linkType: this.pcapLink, snaplen, nanosecond: used.some((i) => i.unitsPerSecond > 1e6), cutToSnaplen: false });
    } else {
      this.ng = new PcapngWriter({ ...section, cutToSnaplen: false });
    }
  }

  /** The bytes before the first packet: the pcap file header, or SHB and IDBs. */
  header(): Uint8Array {
    if (this.pcap) return this.pcap.header();
    const w = this.ng!;
    const parts = [w.sectionHeader({ ...this.section, cutToSnaplen: false })];
    for (const i of this.interfaces) {
      parts.push(w.addInterface({
        linkType: i.linkType,
        snaplen: i.snaplen,
        ...(i.name !== undefined ? { name: i.name } : {}),
        ...(i.description !== undefined ? { description: i.description } : {}),
        ...(i.filter !== undefined ? { filter: i.filter } : {}),
        ...(i.os !== undefined ? { os: i.os } : {}),
        ...(i.fcsLen !== undefined ? { fcsLen: i.fcsLen } : {}),
        tsresol: i.tsresol,
        tsOffset: i.tsOffset,
      }));
    }
    let n = 0;
    for (const p of parts) n += p.length;
    const out = new Uint8Array(n);
    n = 0;
    for (const p of parts) {
      out.set(p, n);
      n += p.length;
    }
    return out;
  }

  /** One packet record. */
  packet(p: SavePacket): Uint8Array {
    if (this.pcap) {
      const iface = this.interfaces[p.interfaceId];
      if (iface && iface.linkType !== this.pcapLink) throw new SaveError(`packet on interface ${p.interfaceId} has link type ${iface.linkType}; this pcap file holds link type ${this.pcapLink}`);
      return this.pcap.packet(p);
    }
    const comment = p.comments ?? p.comment;
    return this.ng!.packet({
      interfaceId: p.interfaceId,
      tsSec: p.tsSec,
      tsNsec: p.tsNsec,
      data: p.data,
      origlen: p.origlen,
      ...(comment !== undefined ? { comment } : {}),
      ...(p.flags ? { flags: p.flags } : {}),
    });
  }
}
