/*
 * pktscope-traffic: bounded test traffic for the live tests and the capture benchmark.
 *
 *   pktscope-traffic udp DST PORT RATE SECONDS [PAYLOAD]   UDP datagrams at RATE per second
 *   pktscope-traffic icmp DST COUNT INTERVAL_MS            ICMP echo requests (a ping without ping)
 *
 * Prints one JSON line: {"sent":N,...}. Needs CAP_NET_RAW for icmp (the tests run as root).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t t) {
  struct timespec ts = {(time_t)(t / 1000000000u), (long)(t % 1000000000u)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {}
}

static int dst_addr(const char *ip, int port, struct sockaddr_in *sa) {
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  return inet_pton(AF_INET, ip, &sa->sin_addr) == 1 ? 0 : -1;
}

static int udp(int argc, char **argv) {
  if (argc < 6) return 2;
  struct sockaddr_in sa;
  if (dst_addr(argv[2], atoi(argv[3]), &sa)) return 2;
  double rate = atof(argv[4]), secs = atof(argv[5]);
  int size = argc > 6 ? atoi(argv[6]) : 18;
  if (rate <= 0 || secs <= 0 || size < 8 || size > 1472) return 2;
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) { perror("socket"); return 1; }
  int big = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
  char buf[1500];
  memset(buf, 'x', sizeof buf);
  uint64_t total = (uint64_t)(rate * secs);
  uint64_t sent = 0, failed = 0;
  uint64_t start = now_ns();
  /* Paced in 1 ms slices: each slice sends what the rate allows up to its end. */
  while (sent + failed < total) {
    uint64_t t = now_ns();
    uint64_t due = (uint64_t)((double)(t - start) / 1e9 * rate) + 1;
    if (due > total) due = total;
    while (sent + failed < due) {
      uint64_t seq = sent + failed;
      memcpy(buf, &seq, 8);
      if (sendto(fd, buf, (size_t)size, 0, (struct sockaddr *)&sa, sizeof sa) < 0) {
        if (errno == ENOBUFS || errno == EAGAIN) { failed++; continue; }
        perror("sendto");
        return 1;
      }
      sent++;
    }
    if (sent + failed < total) sleep_until(t + 1000000);
  }
  double took = (double)(now_ns() - start) / 1e9;
  printf("{\"sent\":%llu,\"failed\":%llu,\"seconds\":%.3f}\n", (unsigned long long)sent, (unsigned long long)failed, took);
  return 0;
}

static uint16_t checksum(const void *p, size_t n) {
  const uint16_t *w = p;
  uint32_t sum = 0;
  for (; n > 1; n -= 2) sum += *w++;
  if (n) sum += *(const uint8_t *)w;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

static int icmp(int argc, char **argv) {
  if (argc < 5) return 2;
  struct sockaddr_in sa;
  if (dst_addr(argv[2], 0, &sa)) return 2;
  int count = atoi(argv[3]), interval = atoi(argv[4]);
  if (count <= 0 || interval < 0) return 2;
  int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  if (fd < 0) { perror("socket"); return 1; }
  uint16_t id = (uint16_t)getpid();
  int sent = 0, replies = 0;
  for (int i = 0; i < count; i++) {
    uint8_t pkt[64];
    memset(pkt, 0, sizeof pkt);
    struct icmphdr *h = (struct icmphdr *)pkt;
    h->type = ICMP_ECHO;
    h->un.echo.id = htons(id);
    h->un.echo.sequence = htons((uint16_t)(i + 1));
    for (size_t k = sizeof *h; k < sizeof pkt; k++) pkt[k] = (uint8_t)k;
    h->checksum = checksum(pkt, sizeof pkt);
    if (sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("sendto"); return 1; }
    sent++;
    /* Wait for this echo's reply (or the interval) before the next request, as ping does. */
    uint64_t until = now_ns() + (uint64_t)(interval > 0 ? interval : 200) * 1000000u;
    for (;;) {
      int64_t left = (int64_t)(until - now_ns()) / 1000000;
      if (left <= 0) break;
      struct pollfd pfd = {fd, POLLIN, 0};
      if (poll(&pfd, 1, (int)left) <= 0) break;
      uint8_t in[1500];
      ssize_t n = recv(fd, in, sizeof in, 0);
      if (n < (ssize_t)sizeof(struct ip)) continue;
      size_t ihl = (size_t)(in[0] & 0x0f) * 4;
      if ((size_t)n < ihl + sizeof(struct icmphdr)) continue;
      struct icmphdr *r = (struct icmphdr *)(in + ihl);
      if (r->type == ICMP_ECHOREPLY && ntohs(r->un.echo.id) == id && ntohs(r->un.echo.sequence) == i + 1) {
        replies++;
        if (interval == 0) break;
      }
    }
    if (interval > 0) sleep_until(until);
  }
  printf("{\"sent\":%d,\"replies\":%d}\n", sent, replies);
  return 0;
}

int main(int argc, char **argv) {
  int rc = 2;
  if (argc > 1 && !strcmp(argv[1], "udp")) rc = udp(argc, argv);
  else if (argc > 1 && !strcmp(argv[1], "icmp")) rc = icmp(argc, argv);
  if (rc == 2) fprintf(stderr, "usage: pktscope-traffic udp DST PORT RATE SECONDS [PAYLOAD] | icmp DST COUNT INTERVAL_MS\n");
  return rc;
}
