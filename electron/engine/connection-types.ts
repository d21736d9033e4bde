// The connection row types (see connections.ts), apart so the contract and the renderer import
// them without the engine. Pure types and constants.

export type ConnProto = 'tcp' | 'udp' | 'icmp' | 'icmpv6';

/** State codes (message keys `conn.state.<code>` in renderer/i18n). */
export type ConnState =
  | 'syn-unanswered' // SYN (and retries) without SYN+ACK or RST: {retries}
  | 'unreachable' // no answer but an ICMP destination unreachable quoting the flow: {reason, code}
  | 'refused' // RST answering the SYN: {retries}
  | 'half-open' // SYN answered by SYN+ACK, the handshake never completed
  | 'established' // handshake done (or mid-stream), no FIN, no RST
  | 'reset-by-client' // {after}: seconds from the first packet to the RST
  | 'reset-by-server'
  | 'closed' // FIN both ways
  | 'half-closed-client' // FIN from the client only
  | 'half-closed-server' // FIN from the server only
  | 'dns-nxdomain' // {name}
  | 'dns-error' // {rcode, name}
  | 'dns-answered' // {queries, responses}
  | 'dns-unanswered' // {queries}
  | 'one-way'
  | 'two-way'
  | 'icmp-echo-answered' // {requests, replies}
  | 'icmp-echo-unanswered' // {requests}
  | 'icmp-unreachable'
  | 'icmp-time-exceeded'
  | 'icmp-other'; // {type}

export const CONN_STATES: readonly ConnState[] = [
  'syn-unanswered', 'unreachable', 'refused', 'half-open', 'established', 'reset-by-client', 'reset-by-server', 'closed', 'half-closed-client', 'half-closed-server',
  'dns-nxdomain', 'dns-error', 'dns-answered', 'dns-unanswered', 'one-way', 'two-way',
  'icmp-echo-answered', 'icmp-echo-unanswered', 'icmp-unreachable', 'icmp-time-exceeded', 'icmp-other',
];

export interface Connection {
  /** Row id: position in first-appearance order. */
  id: number;
  proto: ConnProto;
  /** tcp.stream / udp.stream; -1 for ICMP (an address pair). */
  stream: number;
  /** A: the initiator (the SYN's sender; else the first packet's sender). */
  aAddr: string;
  aPort: number;
  bAddr: string;
  bPort: number;
  /** Seconds since the capture's first packet (as tshark's conversations). */
  start: number;
  end: number;
  /** First packet number (1-based). */
  firstFrame: number;
  packetsAB: number;
  bytesAB: number;
  packetsBA: number;
  bytesBA: number;
  state: ConnState;
  params: Record<string, number | string>;
  /** TCP: no SYN or SYN+ACK seen (the capture started mid-stream). */
  midStream: boolean;
  /** The display filter that shows exactly this flow. */
  filter: string;
}

/** Why an ICMP destination unreachable says so (its code, ICMP and ICMPv6 alike). */
export type UnreachableReason = 'net' | 'host' | 'protocol' | 'port' | 'admin' | 'other';
