// A small capture with expert items of every severity, for the expert summary tests (unit and
// e2e): a TCP connection with a retransmitted request, an HTTP 404 answer and a reset; a SYN
// refused with RST; a DNS query answered NXDOMAIN; an ICMP port unreachable.
import { writeFileSync } from 'node:fs';
import { concatBytes, PcapWriter } from '../../decoders/formats/pcap-writer.ts';
import { dnsMessage, ethernet, ipv4, ipv4Packet, tcpSegment, text, udpDatagram, type Mac } from '../../electron/bench/packet-builder.ts';

const A: Mac = [0x02, 0, 0, 0, 0, 1];
const B: Mac = [0x02, 0, 0, 0, 0, 2];
const client = ipv4(10, 0, 0, 1);
const server = ipv4(10, 0, 0, 2);
const dns = ipv4(10, 0, 0, 53);
const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const RST = 0x04;

/** Frames (Ethernet) in capture order, 100 ms apart. */
export function expertFrames(): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let id = 1;
  const tcp = (fromClient: boolean, sport: number, dport: number, seq: number, ack: number, flags: number, data: Uint8Array = new Uint8Array(0)) =>
    frames.push(ethernet(fromClient ? B : A, fromClient ? A : B, 0x0800, ipv4Packet(fromClient ? client : server, fromClient ? server : client, 6, tcpSegment(sport, dport, seq, ack, flags, 64240, data, flags & SYN ? { mss: 1460 } : {}), id++)));
  const req = text('GET /missing HTTP/1.1\r\nHost: example.test\r\n\r\n');
  const resp = text('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  // 1-3 handshake
  tcp(true, 40000, 80, 1000, 0, SYN);
  tcp(false, 80, 40000, 5000, 1001, SYN | ACK);
  tcp(true, 40000, 80, 1001, 5001, ACK);
  // 4 request, 5 its retransmission (not yet acknowledged)
  tcp(true, 40000, 80, 1001, 5001, PSH | ACK, req);
  tcp(true, 40000, 80, 1001, 5001, PSH | ACK, req);
  // 6 the 404, 7 the client resets
  tcp(false, 80, 40000, 5001, 1001 + req.length, PSH | ACK, resp);
  tcp(true, 40000, 80, 1001 + req.length, 0, RST);
  // 8-9 a SYN refused
  tcp(true, 40001, 81, 7000, 0, SYN);
  tcp(false, 81, 40001, 0, 7001, RST | ACK);
  // 10-11 DNS NXDOMAIN
  frames.push(ethernet(B, A, 0x0800, ipv4Packet(client, dns, 17, udpDatagram(53000, 53, dnsMessage(0x1234, 'nosuch.example.test', false, 0)), id++)));
  frames.push(ethernet(A, B, 0x0800, ipv4Packet(dns, client, 17, udpDatagram(53, 53000, dnsMessage(0x1234, 'nosuch.example.test', true, 3)), id++)));
  // 12 ICMP port unreachable quoting a datagram to 10.0.0.2:9999
  const quoted = ipv4Packet(client, server, 17, udpDatagram(53001, 9999, text('hello')), id++);
  const icmp = new Uint8Array(8 + 28);
  icmp[0] = 3;
  icmp[1] = 3;
  icmp.set(quoted.subarray(0, 28), 8);
  let sum = 0;
  for (let i = 0; i < icmp.length; i += 2) sum += (icmp[i]! << 8) | (icmp[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  icmp[2] = c >> 8;
  icmp[3] = c & 0xff;
  frames.push(ethernet(A, B, 0x0800, ipv4Packet(server, client, 1, icmp, id++)));
  return frames;
}

/** Writes the capture (pcap, Ethernet) to `path`. */
export function writeExpertCapture(path: string): void {
  const w = new PcapWriter({ linkType: 1 });
  const parts = [w.header()];
  expertFrames().forEach((data, k) => parts.push(w.packet({ tsSec: 1_700_000_000 + Math.floor(k / 10), tsNsec: (k % 10) * 100_000_000, data })));
  writeFileSync(path, concatBytes(parts));
}
