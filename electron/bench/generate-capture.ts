// A deterministic mixed capture of any size for benchmarks and scale tests: TCP connections
// with handshakes, HTTP exchanges, retransmissions and resets; DNS with NXDOMAIN answers;
// ICMP echo; ARP; IPv6; VLAN-tagged traffic; VXLAN-encapsulated TCP (as flannel produces).
// Same seed and size, same bytes.

import { openSync, writeSync, closeSync } from 'node:fs';
import { PcapWriter } from '../../decoders/formats/pcap-writer.ts';
import { prng } from './prng.ts';
import { arpPacket, dnsMessage, ethernet, icmpEcho, ipv4, ipv4Packet, ipv6Packet, tcpSegment, text, udpChecksumIpv6, udpDatagram, vxlan, type Mac } from './packet-builder.ts';


type Emit = (frame: Uint8Array, gapUs: number) => void;

const SYN = 0x02, ACK = 0x10, PSH = 0x08, FIN = 0x01, RST = 0x04;
const gw: Mac = [0x00, 0x16, 0x3e, 0x01, 0x02, 0x03];

function hostMac(i: number): Mac {
  return [0x52, 0x54, 0x00, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff];
}

function hostIp(i: number): Uint8Array {
  return ipv4(10, 244, (i >> 8) & 0xff, i & 0xff);
}

function serverIp(i: number): Uint8Array {
  return ipv4(93, 184, (i >> 8) & 0xff, (i & 0xff) | 1);
}

function ipv6Addr(host: number): Uint8Array {
  const b = new Uint8Array(16);
  b.set([0x20, 0x01, 0x0d, 0xb8]);
  b[14] = (host >> 8) & 0xff;
  b[15] = host & 0xff;
  return b;
}

const body = text('<html><body>' + 'pktscope benchmark payload '.repeat(160) + '</body></html>');

export class CaptureGenerator {
  private readonly rnd: () => number;
  private ipId = 1;
  private port = 30000;
  private dnsId = 1;
  private conn = 0;

  constructor(seed = 1) {
    this.rnd = prng(seed);
  }

  private nextPort(): number {
    this.port = this.port >= 60999 ? 30000 : this.port + 1;
    return this.port;
  }

  /** One HTTP connection, possibly with a retransmission, ending in FIN or RST. */
  private http(emit: Emit, vlan?: number, tunnel?: { vni: number }): void {
    const c = this.conn++;
    const cli = hostIp(c % 2000);
    const srv = serverIp(c % 50);
    const cmac = hostMac(c % 2000);
    const sport = this.nextPort();
    let cs = Math.floor(this.rnd() * 0xffffffff) >>> 0;
    let ss = Math.floor(this.rnd() * 0xffffffff) >>> 0;
    const wrap = (seg: Uint8Array, fromClient: boolean): Uint8Array => {
      const ip = fromClient ? ipv4Packet(cli, srv, 6, seg, this.ipId++) : ipv4Packet(srv, cli, 6, seg, this.ipId++);
      const inner = fromClient ? ethernet(gw, cmac, 0x0800, ip, vlan) : ethernet(cmac, gw, 0x0800, ip, vlan);
      if (!tunnel) return inner;
      const outer = udpDatagram(40000 + (c % 1000), 4789, vxlan(tunnel.vni, inner));
      return ethernet([0x0a, 0, 0, 0, 0, 2], [0x0a, 0, 0, 0, 0, 1], 0x0800, ipv4Packet(ipv4(192, 168, 0, 1), ipv4(192, 168, 0, 2), 17, outer, this.ipId++));
    };
    const rtt = 200 + Math.floor(this.rnd() * 2000);
    emit(wrap(tcpSegment(sport, 80, cs, 0, SYN, 64240, new Uint8Array(0), { mss: 1460, sackPerm: true, wscale: 7 }), true), 50);
    emit(wrap(tcpSegment(80, sport, ss, cs + 1, SYN | ACK, 65160, new Uint8Array(0), { mss: 1460, sackPerm: true, wscale: 7 }), false), rtt);
    cs++;
    ss++;
    emit(wrap(tcpSegment(sport, 80, cs, ss, ACK, 502, new Uint8Array(0)), true), 20);
    const req = text(`GET /item/${c} HTTP/1.1\r\nHost: shop${c % 50}.example\r\nUser-Agent: pktscope-bench\r\nAccept: */*\r\n\r\n`);
    emit(wrap(tcpSegment(sport, 80, cs, ss, PSH | ACK, 502, req), true), 30);
    const retransmit = this.rnd() < 0.05;
    if (retransmit) emit(wrap(tcpSegment(sport, 80, cs, ss, PSH | ACK, 502, req), true), 200_000);
    cs += req.length;
    const head = text(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n\r\n`);
    const resp = new Uint8Array(head.length + body.length);
    resp.set(head);
    resp.set(body, head.length);
    for (let off = 0; off < resp.length; off += 1448) {
      const chunk = resp.subarray(off, Math.min(resp.length, off + 1448));
      emit(wrap(tcpSegment(80, sport, ss, cs, (off + 1448 >= resp.length ? PSH : 0) | ACK, 509, chunk), false), rtt);
      ss += chunk.length;
    }
    emit(wrap(tcpSegment(sport, 80, cs, ss, ACK, 501, new Uint8Array(0)), true), 40);
    if (this.rnd() < 0.1) {
      emit(wrap(tcpSegment(80, sport, ss, cs, RST | ACK, 0, new Uint8Array(0)), false), 1000);
      return;
    }
    emit(wrap(tcpSegment(sport, 80, cs, ss, FIN | ACK, 501, new Uint8Array(0)), true), 500);
    emit(wrap(tcpSegment(80, sport, ss, cs + 1, FIN | ACK, 509, new Uint8Array(0)), false), rtt);
    emit(wrap(tcpSegment(sport, 80, cs + 1, ss + 1, ACK, 501, new Uint8Array(0)), true), 20);
  }

  private dns(emit: Emit): void {
    const c = this.conn++;
    const cli = hostIp(c % 2000);
    const resolver = ipv4(10, 96, 0, 10);
    const cmac = hostMac(c % 2000);
    const id = this.dnsId++ & 0xffff;
    const nx = this.rnd() < 0.15;
    const name = nx ? `missing${c % 997}.svc.cluster.local` : `api${c % 300}.example.com`;
    const sport = this.nextPort();
    emit(ethernet(gw, cmac, 0x0800, ipv4Packet(cli, resolver, 17, udpDatagram(sport, 53, dnsMessage(id, name, false, 0)), this.ipId++)), 100);
    emit(ethernet(cmac, gw, 0x0800, ipv4Packet(resolver, cli, 17, udpDatagram(53, sport, dnsMessage(id, name, true, nx ? 3 : 0, serverIp(c % 50))), this.ipId++)), 300);
  }

  private ping(emit: Emit): void {
    const c = this.conn++;
    const a = hostIp(c % 2000);
    const b = serverIp(c % 50);
    const mac = hostMac(c % 2000);
    const payload = new Uint8Array(56).map((_, i) => i);
    emit(ethernet(gw, mac, 0x0800, ipv4Packet(a, b, 1, icmpEcho(8, c & 0xffff, 1, payload), this.ipId++)), 1000);
    if (this.rnd() < 0.9) emit(ethernet(mac, gw, 0x0800, ipv4Packet(b, a, 1, icmpEcho(0, c & 0xffff, 1, payload), this.ipId++, 57)), 800);
  }

  private arp(emit: Emit): void {
    const c = this.conn++;
    const mac = hostMac(c % 2000);
    emit(ethernet([255, 255, 255, 255, 255, 255], mac, 0x0806, arpPacket(1, mac, hostIp(c % 2000), [0, 0, 0, 0, 0, 0], ipv4(10, 244, 0, 1))), 2000);
    emit(ethernet(mac, gw, 0x0806, arpPacket(2, gw, ipv4(10, 244, 0, 1), mac, hostIp(c % 2000))), 100);
  }

  private ipv6Udp(emit: Emit): void {
    const c = this.conn++;
    const mac = hostMac(c % 2000);
    const data = text(`telemetry ${c} `.repeat(8));
    const src = ipv6Addr(c % 500);
    const dst = ipv6Addr(0xfffe);
    const udp = udpChecksumIpv6(src, dst, udpDatagram(this.nextPort(), 4317, data));
    emit(ethernet(gw, mac, 0x86dd, ipv6Packet(src, dst, 17, udp)), 500);
  }

  /** Writes about `packets` packets (whole scenarios; the last one is cut to fit). */
  generate(packets: number, write: (frame: Uint8Array, tsSec: number, tsNsec: number) => void): number {
    let n = 0;
    let us = 1_700_000_000 * 1_000_000;
    const emit: Emit = (frame, gapUs) => {
      if (n >= packets) return;
      us += gapUs;
      n++;
      write(frame, Math.floor(us / 1e6), (us % 1e6) * 1000);
    };
    while (n < packets) {
      const r = this.rnd();
      if (r < 0.55) this.http(emit);
      else if (r < 0.63) this.http(emit, 100 + (this.conn % 20));
      else if (r < 0.68) this.http(emit, undefined, { vni: 1 + (this.conn % 8) });
      else if (r < 0.83) this.dns(emit);
      else if (r < 0.9) this.ping(emit);
      else if (r < 0.95) this.arp(emit);
      else this.ipv6Udp(emit);
    }
    return n;
  }
}

/** Writes the capture to `path` as pcap; returns the packet count. */
export function writeBenchCapture(path: string, packets: number, seed = 1): number {
  const fd = openSync(path, 'w');
  const w = new PcapWriter({ linkType: 1 });
  let buf = new Uint8Array(8 * 1024 * 1024);
  let used = 0;
  const flush = () => {
    writeSync(fd, buf, 0, used);
    used = 0;
  };
  const put = (b: Uint8Array) => {
    if (used + b.length > buf.length) flush();
    if (b.length > buf.length) buf = new Uint8Array(b.length * 2);
    buf.set(b, used);
    used += b.length;
  };
  try {
    put(w.header());
    const n = new CaptureGenerator(seed).generate(packets, (frame, tsSec, tsNsec) => put(w.packet({ tsSec, tsNsec, data: frame })));
    flush();
    return n;
  } finally {
    closeSync(fd);
  }
}
