// Result types of the TCP sequence graph and the flow graph (tcp-graph.ts, flow-graph.ts),
// declared apart from the code so the contract (and the renderer) can import them without Node.

/** A segment of the graphed direction. */
export interface TcpGraphSegment {
  frame: number;
  time: number;
  seq: number;
  len: number;
  flags: number;
  /** tcp.analysis.retransmission, fast_retransmission or spurious_retransmission. */
  retransmission: boolean;
  analysis: number;
}

/** An ACK of the opposite direction: the acknowledged edge and the window it announces. */
export interface TcpGraphAck {
  frame: number;
  time: number;
  ack: number;
  /** tcp.window_size (window value * scale); the window line is at ack + window. */
  window: number;
}

export interface TcpGraph {
  stream: number;
  /** The graphed direction: 0 = data sent by endpoints[0], 1 = by endpoints[1]. */
  direction: 0 | 1;
  /** Time of the stream's first packet (seconds since the capture's first packet). */
  start: number;
  endpoints: [string, string];
  bytes: [number, number];
  segments: TcpGraphSegment[];
  acks: TcpGraphAck[];
  truncated: boolean;
}

export interface FlowItem {
  /** Packet number. */
  frame: number;
  /** Seconds since the capture's first packet. */
  time: number;
  /** Column indexes (into FlowGraph.nodes) of the sender and the receiver. */
  from: number;
  to: number;
  label: string;
}

export interface FlowGraph {
  /** Host columns in first-seen order: `address` or `address:port`. */
  nodes: string[];
  items: FlowItem[];
  /** Packets in the asked set (before the limit). */
  total: number;
  /** The set had more packets than the limit: only the first `limit` are drawn. */
  truncated: boolean;
}
