// State that lives across the packets of one capture: first timestamp, IP fragment tables,
// TCP conversations. Decoders reach it through `ctx.session`; each protocol keeps its own
// slot, created on first use, so adding a protocol never touches this file.

export class Session {
  private readonly slots = new Map<string, unknown>();
  /** One bit per frame number: a Set of a million numbers would cost tens of MB. */
  private seen = new Uint8Array(1024);
  /** Timestamp (ns since the epoch) of the first frame, for frame.time_relative. */
  firstTime: bigint | null = null;
  /** Timestamp (ns) of the previously dissected frame, for frame.time_delta. */
  previousTime: bigint | null = null;
  /**
   * True when every frame is dissected once, in order, and never again (the CLI): state kept
   * only so that a re-dissection comes out the same (per-frame results) may be left out.
   */
  singlePass = false;

  /** The protocol's state slot, created by `make` the first time it is asked for. */
  slot<T>(key: string, make: () => T): T {
    let v = this.slots.get(key) as T | undefined;
    if (v === undefined) {
      v = make();
      this.slots.set(key, v);
    }
    return v;
  }

  visited(frame: number): boolean {
    const i = frame >>> 3;
    return i < this.seen.length && (this.seen[i]! & (1 << (frame & 7))) !== 0;
  }

  markVisited(frame: number): void {
    const i = frame >>> 3;
    if (i >= this.seen.length) {
      const grown = new Uint8Array(Math.max(this.seen.length * 2, i + 1));
      grown.set(this.seen);
      this.seen = grown;
    }
    this.seen[i]! |= 1 << (frame & 7);
  }
}
