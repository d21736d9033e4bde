// The capture API the engine, the CLI and the UI use (implemented in electron/capture/index.ts).
// Capture runs in its own process (Wireshark's dumpcap model): it only captures and appends
// pcapng blocks to a file; everything else reads that file like any other capture.

export interface InterfaceAddress {
  family: 'ipv4' | 'ipv6';
  addr: string;
  netmask?: string;
}

export interface InterfaceInfo {
  name: string;
  description: string;
  addresses: InterfaceAddress[];
  up: boolean;
  running: boolean;
  loopback: boolean;
  /** DLT of the interface when known (1 Ethernet, 113 Linux SLL for `any`, ...). */
  linkType?: number;
  /** libpcap PCAP_IF_WIRELESS (native helper only). */
  wireless?: boolean;
  /** libpcap's connection status (native helper only). */
  connection?: 'connected' | 'disconnected' | 'not-applicable' | 'unknown';
}

export interface RingOptions {
  /** Switch to the next file after this many kB (dumpcap `-b filesize:kB`). */
  filesizeKB?: number;
  /** Keep at most this many files, deleting the oldest (dumpcap `-b files:N`). */
  files?: number;
  /** Switch files every this many seconds (dumpcap `-b duration:S`). */
  durationSec?: number;
}

export interface StopConditions {
  packets?: number;
  durationSec?: number;
  /** Total kB written (dumpcap `-a filesize:kB`). */
  filesizeKB?: number;
  /** With a ring buffer: stop when the Nth file is full (dumpcap `-a files:N`). */
  files?: number;
}

export interface CaptureOptions {
  iface: string;
  /** BPF capture filter, compiled by libpcap. */
  filter?: string;
  snaplen?: number;
  /** Promiscuous mode (dumpcap default on; `-p` turns it off). */
  promisc?: boolean;
  /** The pcapng file written; with a ring buffer, the name pattern (dumpcap style NAME_NNNNN_TIME.pcapng). */
  output: string;
  ring?: RingOptions;
  stop?: StopConditions;
  /** Kernel capture buffer in MB (dumpcap `-B`; native helper only). */
  bufferMB?: number;
  /** Force a backend (default: the native helper when it is built, else `cap`). */
  backend?: CaptureBackend;
}

/** `native`: electron/capture/native/pktscope-capture.c; `cap`: the npm `cap` binding in a child process. */
export type CaptureBackend = 'native' | 'cap';

export interface CaptureStats {
  packets: number;
  bytes: number;
  /** libpcap ps_drop: dropped because the buffer was full. */
  dropped: number;
  /** libpcap ps_ifdrop: dropped by the interface or driver. */
  ifDropped: number;
  /** Files written so far, oldest first (ring buffer deletes drop out). */
  files: string[];
  /** libpcap ps_recv (native helper only). */
  received?: number;
  /** Bytes written to the files (headers included). */
  fileBytes?: number;
  /** False when the backend cannot know the drop counters (`cap` gives none): dropped/ifDropped are then 0. */
  dropsKnown?: boolean;
}

export type CaptureErrorCode = 'privilege' | 'filter' | 'no-such-device' | 'helper-missing' | 'io' | 'other';

export type CaptureEvent =
  | { type: 'started'; file: string; linkType: number; backend?: CaptureBackend; tsresol?: number; snaplen?: number; warnings?: string[] }
  /** The ring buffer moved to a new file. */
  | { type: 'file'; file: string }
  /** Counters, at least every 250 ms while packets flow and once a second otherwise. */
  | { type: 'stats'; stats: CaptureStats }
  | { type: 'stopped'; reason: 'user' | 'packets' | 'duration' | 'filesize' | 'error'; stats: CaptureStats }
  | { type: 'error'; code: CaptureErrorCode; message: string; hint?: string };

export interface CaptureSession {
  readonly options: CaptureOptions;
  on(listener: (e: CaptureEvent) => void): () => void;
  /** Stops capturing, flushes, resolves with the final counters. */
  stop(): Promise<CaptureStats>;
  /** Resolves when the capture ended for any reason. */
  readonly done: Promise<CaptureStats>;
}

export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
