// Facts only tunnelled packets have (outer addresses, a second udp.stream), kept for those
// packets alone: a capture where a few percent of the packets are VXLAN pays for those few, not
// three full columns. Packets arrive in index order, so rows are appended and found by binary
// search.

export class TunnelColumns {
  /** Packet index of each row, ascending. */
  private keys = new Int32Array(256);
  private outerSrc = new Uint32Array(256);
  private outerDst = new Uint32Array(256);
  private extraUdp = new Int32Array(256);
  private n = 0;

  get size(): number {
    return this.n;
  }

  /** Records packet `i` (the latest one added, or the same again). */
  set(i: number, outerSrc: number, outerDst: number, extraUdpStream: number): void {
    let k = this.n;
    if (k > 0 && this.keys[k - 1]! === i) k--;
    else if (k > 0 && this.keys[k - 1]! > i) throw new RangeError(`tunnel facts must be added in packet order (${i} after ${this.keys[k - 1]})`);
    else {
      if (k === this.keys.length) this.grow();
      this.n++;
    }
    this.keys[k] = i;
    this.outerSrc[k] = outerSrc;
    this.outerDst[k] = outerDst;
    this.extraUdp[k] = extraUdpStream;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const more = <T extends Int32Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.keys = more(this.keys, (c) => new Int32Array(c));
    this.outerSrc = more(this.outerSrc, (c) => new Uint32Array(c));
    this.outerDst = more(this.outerDst, (c) => new Uint32Array(c));
    this.extraUdp = more(this.extraUdp, (c) => new Int32Array(c));
  }

  private find(i: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid]!;
      if (k === i) return mid;
      if (k < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Outer [source, destination] address ids of packet `i`, 0 for a packet that is not tunnelled. */
  outerSrcOf(i: number): number {
    const k = this.find(i);
    return k < 0 ? 0 : this.outerSrc[k]!;
  }

  outerDstOf(i: number): number {
    const k = this.find(i);
    return k < 0 ? 0 : this.outerDst[k]!;
  }

  /** udp.stream of a packet's second UDP header, -1 for none. */
  extraUdpStreamOf(i: number): number {
    const k = this.find(i);
    return k < 0 ? -1 : this.extraUdp[k]!;
  }

  byteSize(): number {
    return this.keys.byteLength + this.outerSrc.byteLength + this.outerDst.byteLength + this.extraUdp.byteLength;
  }
}
