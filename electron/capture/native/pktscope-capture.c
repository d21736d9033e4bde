/*
 * pktscope-capture: pktscope's capture helper, a tiny dumpcap.
 *
 * It opens one interface with libpcap, applies a BPF capture filter, and writes every packet
 * to a pcapng file (SHB + IDB + EPBs with libpcap's own timestamps, captured AND original
 * length; an ISB with the drop counters at the end of each file). The file is flushed at
 * least every 250 ms, so a reader tailing it (the engine) sees packets promptly and a crash
 * of the UI loses nothing. It talks to its parent in JSON lines on stdout:
 *
 *   {"type":"started","file":...,"linkType":N,"tsresol":9,"snaplen":N,"backend":"native"}
 *   {"type":"file","file":...}          the ring buffer moved to a new file
 *   {"type":"deleted","file":...}       the ring buffer deleted its oldest file
 *   {"type":"stats",...}                every 250 ms while packets flow, every second otherwise
 *   {"type":"stopped","reason":...,...} the last line of a capture
 *   {"type":"error","code":...,"message":...}
 *
 * It stops cleanly (flush, ISB, "stopped") on SIGTERM, SIGINT, SIGHUP, on its stop conditions,
 * and with --watch-stdin when its standard input closes (the parent went away).
 *
 * Usage:
 *   pktscope-capture -D                                    interfaces, one JSON array
 *   pktscope-capture --check-filter EXPR [--linktype N] [-s SNAPLEN]
 *   pktscope-capture -i IFACE -w FILE [-f FILTER] [-s SNAPLEN] [-p] [-B MB] [-c N]
 *                    [-a duration:S] [-a filesize:KB] [-a files:N]
 *                    [-b filesize:KB] [-b files:N] [-b duration:S] [--watch-stdin]
 *
 * Build: cc -O2 -o pktscope-capture pktscope-capture.c -lpcap
 * Privilege (Linux): CAP_NET_RAW and CAP_NET_ADMIN, e.g.
 *   sudo setcap cap_net_raw,cap_net_admin=eip pktscope-capture
 */
#define _GNU_SOURCE
#include <pcap/pcap.h>
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 250

/* ---------------------------------------------------------------- JSON lines to the parent */

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    switch (*p) {
      case '"': fputs("\\\"", f); break;
      case '\\': fputs("\\\\", f); break;
      case '\n': fputs("\\n", f); break;
      case '\r': fputs("\\r", f); break;
      case '\t': fputs("\\t", f); break;
      default:
        if (*p < 0x20) fprintf(f, "\\u%04x", *p);
        else fputc(*p, f);
    }
  }
  fputc('"', f);
}

static void emit_error(const char *code, const char *message) {
  fputs("{\"type\":\"error\",\"code\":", stdout);
  json_str(stdout, code);
  fputs(",\"message\":", stdout);
  json_str(stdout, message);
  fputs("}\n", stdout);
  fflush(stdout);
}

static void emit_file(const char *type, const char *file) {
  printf("{\"type\":\"%s\",\"file\":", type);
  json_str(stdout, file);
  fputs("}\n", stdout);
  fflush(stdout);
}

static void emit_warning(const char *message) {
  fputs("{\"type\":\"warning\",\"message\":", stdout);
  json_str(stdout, message);
  fputs("}\n", stdout);
  fflush(stdout);
}

/* ---------------------------------------------------------------- options */

static const char *opt_iface;
static const char *opt_filter;
static const char *opt_output;
static int opt_snaplen = 262144;
static int opt_promisc = 1;
static int opt_buffer_mb = 16;
static uint64_t opt_count;          /* -c: stop after this many packets */
static double opt_stop_duration;    /* -a duration:S */
static uint64_t opt_stop_filesize;  /* -a filesize:KB, total bytes */
static unsigned opt_stop_files;     /* -a files:N */
static uint64_t opt_ring_filesize;  /* -b filesize:KB, bytes */
static unsigned opt_ring_files;     /* -b files:N */
static double opt_ring_duration;    /* -b duration:S */
static int opt_watch_stdin;

static int usage(const char *why) {
  fprintf(stderr, "pktscope-capture: %s\n", why);
  fprintf(stderr,
          "usage: pktscope-capture -D\n"
          "       pktscope-capture --check-filter EXPR [--linktype N] [-s SNAPLEN]\n"
          "       pktscope-capture -i IFACE -w FILE [-f FILTER] [-s SNAPLEN] [-p] [-B MB] [-c N]\n"
          "                        [-a duration:S|filesize:KB|files:N] [-b filesize:KB|files:N|duration:S]\n"
          "                        [--watch-stdin]\n");
  return 2;
}

static int parse_u64(const char *s, uint64_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end || s[0] == '-') return -1;
  *out = v;
  return 0;
}

static int parse_double(const char *s, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !(v > 0)) return -1;
  *out = v;
  return 0;
}

/* "-a KEY:VALUE" / "-b KEY:VALUE" */
static int parse_cond(const char *arg, int ring) {
  const char *colon = strchr(arg, ':');
  if (!colon) return -1;
  size_t klen = (size_t)(colon - arg);
  const char *val = colon + 1;
  uint64_t u;
  double d;
  if (klen == 8 && !strncmp(arg, "duration", klen)) {
    if (parse_double(val, &d)) return -1;
    if (ring) opt_ring_duration = d; else opt_stop_duration = d;
    return 0;
  }
  if (klen == 8 && !strncmp(arg, "filesize", klen)) {
    if (parse_u64(val, &u) || u == 0) return -1;
    if (ring) opt_ring_filesize = u * 1000; else opt_stop_filesize = u * 1000;
    return 0;
  }
  if (klen == 5 && !strncmp(arg, "files", klen)) {
    if (parse_u64(val, &u) || u == 0 || u > 100000) return -1;
    if (ring) opt_ring_files = (unsigned)u; else opt_stop_files = (unsigned)u;
    return 0;
  }
  return -1;
}

/* ---------------------------------------------------------------- time */

static uint64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---------------------------------------------------------------- pcapng writer */

static FILE *out;
static char cur_name[4096];
static uint64_t cur_bytes;    /* bytes of the current file */
static uint64_t total_bytes;  /* bytes of all files */
static uint64_t cur_started;  /* mono_ms when the current file was opened */
static unsigned file_seq;     /* files opened so far */
static char **ring_names;     /* names of the files kept, oldest first */
static unsigned ring_count;
static int link_type;
static int tsresol = 6;
static int write_failed;
static char write_error[4200];

static void put(const void *p, size_t n) {
  if (write_failed) return;
  if (fwrite(p, 1, n, out) != n) {
    write_failed = 1;
    snprintf(write_error, sizeof write_error, "Could not write to \"%s\": %s", cur_name, strerror(errno));
  }
  cur_bytes += n;
  total_bytes += n;
}

static void put32(uint32_t v) { put(&v, 4); }
static void put16(uint16_t v) { put(&v, 2); }

static size_t pad4(size_t n) { return (n + 3) & ~(size_t)3; }
static size_t opt_size(size_t len) { return 4 + pad4(len); }

static void put_opt(uint16_t code, const void *val, size_t len) {
  static const uint8_t zeros[4];
  put16(code);
  put16((uint16_t)len);
  put(val, len);
  put(zeros, pad4(len) - len);
}

static void write_shb(void) {
  struct utsname u;
  char os[300] = "";
  if (uname(&u) == 0) snprintf(os, sizeof os, "%s %s", u.sysname, u.release);
  char appl[200];
  snprintf(appl, sizeof appl, "pktscope-capture (%s)", pcap_lib_version());
  size_t opts = (os[0] ? opt_size(strlen(os)) : 0) + opt_size(strlen(appl)) + 4;
  uint32_t len = (uint32_t)(28 + opts);
  put32(0x0A0D0D0A);
  put32(len);
  put32(0x1A2B3C4D);
  put16(1);
  put16(0);
  int64_t section_len = -1;
  put(&section_len, 8);
  if (os[0]) put_opt(3, os, strlen(os));   /* shb_os */
  put_opt(4, appl, strlen(appl));          /* shb_userappl */
  put_opt(0, NULL, 0);
  put32(len);
}

static void write_idb(void) {
  size_t name_len = strlen(opt_iface);
  size_t filter_len = opt_filter && opt_filter[0] ? strlen(opt_filter) + 1 : 0;
  size_t opts = opt_size(name_len) + (filter_len ? opt_size(filter_len) : 0) + opt_size(1) + 4;
  uint32_t len = (uint32_t)(20 + opts);
  put32(1);
  put32(len);
  put16((uint16_t)link_type);
  put16(0);
  put32((uint32_t)opt_snaplen);
  put_opt(2, opt_iface, name_len); /* if_name */
  if (filter_len) {                /* if_filter: a first byte 0 = libpcap filter string */
    char *f = malloc(filter_len);
    if (f) {
      f[0] = 0;
      memcpy(f + 1, opt_filter, filter_len - 1);
      put_opt(11, f, filter_len);
      free(f);
    }
  }
  uint8_t res = (uint8_t)tsresol;
  put_opt(9, &res, 1); /* if_tsresol */
  put_opt(0, NULL, 0);
  put32(len);
}

static void put_ts(uint64_t t) {
  put32((uint32_t)(t >> 32));
  put32((uint32_t)t);
}

static uint64_t now_units(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return tsresol == 9 ? (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec
                      : (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
}

/* Interface Statistics Block: receive and drop counters of libpcap at the end of a file. */
static uint64_t file_start_units;
static void write_isb(pcap_t *p) {
  struct pcap_stat st;
  if (pcap_stats(p, &st) != 0) return;
  uint64_t end = now_units();
  uint64_t recv = st.ps_recv, ifdrop = st.ps_ifdrop, osdrop = st.ps_drop;
  size_t opts = 5 * opt_size(8) + 4;
  uint32_t len = (uint32_t)(24 + opts); /* type, length, interface id, timestamp, options, length */
  put32(5);
  put32(len);
  put32(0);
  put_ts(end);
  uint32_t t[2];
  t[0] = (uint32_t)(file_start_units >> 32); t[1] = (uint32_t)file_start_units;
  put_opt(2, t, 8); /* isb_starttime */
  t[0] = (uint32_t)(end >> 32); t[1] = (uint32_t)end;
  put_opt(3, t, 8); /* isb_endtime */
  put_opt(4, &recv, 8);   /* isb_ifrecv */
  put_opt(5, &ifdrop, 8); /* isb_ifdrop: the interface / driver (ps_ifdrop) */
  put_opt(7, &osdrop, 8); /* isb_osdrop: the kernel buffer was full (ps_drop) */
  put_opt(0, NULL, 0);
  put32(len);
}

/* NAME.EXT -> NAME_00001_YYYYmmddHHMMSS.EXT, as dumpcap names ring buffer files. */
static void ring_name(char *dst, size_t n, unsigned seq) {
  const char *slash = strrchr(opt_output, '/');
  const char *base = slash ? slash + 1 : opt_output;
  const char *dot = strrchr(base, '.');
  size_t stem = dot && dot != base ? (size_t)(dot - opt_output) : strlen(opt_output);
  char when[32];
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  strftime(when, sizeof when, "%Y%m%d%H%M%S", &tm);
  snprintf(dst, n, "%.*s_%05u_%s%s", (int)stem, opt_output, seq, when, dot && dot != base ? dot : "");
}

static int ring_enabled(void) { return opt_ring_filesize || opt_ring_duration > 0 || opt_ring_files; }

static int open_next_file(void) {
  file_seq++;
  if (ring_enabled()) ring_name(cur_name, sizeof cur_name, file_seq);
  else snprintf(cur_name, sizeof cur_name, "%s", opt_output);
  out = fopen(cur_name, "wb");
  if (!out) {
    char msg[4500];
    snprintf(msg, sizeof msg, "The file \"%s\" could not be created: %s", cur_name, strerror(errno));
    emit_error("io", msg);
    return -1;
  }
  setvbuf(out, NULL, _IOFBF, 1 << 20);
  cur_bytes = 0;
  cur_started = mono_ms();
  file_start_units = now_units();
  write_shb();
  write_idb();
  fflush(out);
  if (ring_enabled()) {
    char **grown = realloc(ring_names, sizeof(char *) * (ring_count + 1));
    if (grown) {
      ring_names = grown;
      ring_names[ring_count++] = strdup(cur_name);
    }
    if (opt_ring_files && ring_count > opt_ring_files) {
      char *oldest = ring_names[0];
      memmove(ring_names, ring_names + 1, sizeof(char *) * (ring_count - 1));
      ring_count--;
      unlink(oldest);
      emit_file("deleted", oldest);
      free(oldest);
    }
  }
  return 0;
}

static void close_file(pcap_t *p) {
  if (!out) return;
  write_isb(p);
  if (fclose(out) != 0 && !write_failed) {
    write_failed = 1;
    snprintf(write_error, sizeof write_error, "Could not write to \"%s\": %s", cur_name, strerror(errno));
  }
  out = NULL;
}

/* ---------------------------------------------------------------- capture */

static volatile sig_atomic_t got_signal;
static void on_signal(int sig) { got_signal = sig; }

static uint64_t packets, packet_bytes;
static const char *stop_reason;
static pcap_t *handle;
static int switch_pending;

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes) {
  (void)user;
  if (stop_reason) return;
  if (switch_pending) {
    switch_pending = 0;
    close_file(handle);
    if (open_next_file() != 0) { stop_reason = "error"; return; }
    emit_file("file", cur_name);
  }
  uint64_t ts = (uint64_t)h->ts.tv_sec * (tsresol == 9 ? 1000000000u : 1000000u) + (uint64_t)h->ts.tv_usec;
  uint32_t caplen = h->caplen;
  static const uint8_t zeros[4];
  size_t padded = pad4(caplen);
  uint32_t len = (uint32_t)(32 + padded);
  uint32_t hdr[7] = {6, len, 0, (uint32_t)(ts >> 32), (uint32_t)ts, caplen, h->len};
  put(hdr, sizeof hdr);
  put(bytes, caplen);
  put(zeros, padded - caplen);
  put32(len);
  packets++;
  packet_bytes += caplen;
  if (write_failed) { stop_reason = "error"; return; }
  if (opt_count && packets >= opt_count) { stop_reason = "packets"; return; }
  if (opt_stop_filesize && total_bytes >= opt_stop_filesize) { stop_reason = "filesize"; return; }
  if (opt_ring_filesize && cur_bytes >= opt_ring_filesize) {
    if (opt_stop_files && file_seq >= opt_stop_files) { stop_reason = "filesize"; return; }
    switch_pending = 1;
  }
}

static void emit_stats(const char *type, const char *reason) {
  struct pcap_stat st;
  memset(&st, 0, sizeof st);
  int ok = handle && pcap_stats(handle, &st) == 0;
  printf("{\"type\":\"%s\",", type);
  if (reason) printf("\"reason\":\"%s\",", reason);
  printf("\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"fileBytes\":%" PRIu64 ",\"received\":%u,\"dropped\":%u,\"ifDropped\":%u,\"dropsKnown\":%s}\n",
         packets, packet_bytes, total_bytes, st.ps_recv, st.ps_drop, st.ps_ifdrop, ok ? "true" : "false");
  fflush(stdout);
}

static const char *activate_code(int rc) {
  switch (rc) {
    case PCAP_ERROR_PERM_DENIED:
    case PCAP_ERROR_PROMISC_PERM_DENIED: return "privilege";
    case PCAP_ERROR_NO_SUCH_DEVICE: return "no-such-device";
    case PCAP_ERROR_IFACE_NOT_UP: return "not-up";
    default: return "other";
  }
}

static int capture(void) {
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  handle = pcap_create(opt_iface, errbuf);
  if (!handle) {
    emit_error("no-such-device", errbuf);
    return 1;
  }
  pcap_set_snaplen(handle, opt_snaplen);
  pcap_set_promisc(handle, opt_promisc);
  pcap_set_timeout(handle, 100);
  pcap_set_buffer_size(handle, opt_buffer_mb * 1024 * 1024);
  int nano = pcap_set_tstamp_precision(handle, PCAP_TSTAMP_PRECISION_NANO) == 0;
  int rc = pcap_activate(handle);
  if (rc < 0) {
    const char *msg = pcap_geterr(handle);
    char full[PCAP_ERRBUF_SIZE + 64];
    snprintf(full, sizeof full, "%s", msg && msg[0] ? msg : pcap_statustostr(rc));
    emit_error(activate_code(rc), full);
    pcap_close(handle);
    return 1;
  }
  if (rc > 0) {
    const char *msg = pcap_geterr(handle);
    emit_warning(msg && msg[0] ? msg : pcap_statustostr(rc));
  }
  tsresol = nano && pcap_get_tstamp_precision(handle) == PCAP_TSTAMP_PRECISION_NANO ? 9 : 6;
  link_type = pcap_datalink(handle);
  if (link_type == DLT_RAW) link_type = 101; /* the file records LINKTYPE_RAW, not the platform's DLT_RAW */
  opt_snaplen = pcap_snapshot(handle);

  if (opt_filter && opt_filter[0]) {
    bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
    if (pcap_lookupnet(opt_iface, &net, &mask, errbuf) != 0) mask = PCAP_NETMASK_UNKNOWN;
    struct bpf_program prog;
    if (pcap_compile(handle, &prog, opt_filter, 1, mask) != 0) {
      emit_error("filter", pcap_geterr(handle));
      pcap_close(handle);
      return 1;
    }
    if (pcap_setfilter(handle, &prog) != 0) {
      emit_error("filter", pcap_geterr(handle));
      pcap_freecode(&prog);
      pcap_close(handle);
      return 1;
    }
    pcap_freecode(&prog);
  }
  if (pcap_setnonblock(handle, 1, errbuf) != 0) {
    emit_error("other", errbuf);
    pcap_close(handle);
    return 1;
  }
  int fd = pcap_get_selectable_fd(handle);

  if (open_next_file() != 0) {
    pcap_close(handle);
    return 1;
  }
  printf("{\"type\":\"started\",\"file\":");
  json_str(stdout, cur_name);
  printf(",\"linkType\":%d,\"tsresol\":%d,\"snaplen\":%d,\"backend\":\"native\",\"pid\":%d}\n", link_type, tsresol, opt_snaplen, (int)getpid());
  fflush(stdout);

  uint64_t start = mono_ms();
  uint64_t next_tick = start + TICK_MS;
  uint64_t last_stats = start;
  uint64_t packets_at_stats = 0;
  int stdin_open = opt_watch_stdin;

  while (!stop_reason) {
    if (got_signal) { stop_reason = "user"; break; }
    uint64_t now = mono_ms();
    int64_t wait = (int64_t)(next_tick > now ? next_tick - now : 0);
    struct pollfd pfd[2];
    int n = 0;
    pfd[n].fd = fd; pfd[n].events = POLLIN; pfd[n].revents = 0; n++;
    if (stdin_open) { pfd[n].fd = 0; pfd[n].events = POLLIN; pfd[n].revents = 0; n++; }
    int r = poll(pfd, (nfds_t)n, (int)wait);
    if (r < 0 && errno != EINTR) {
      emit_error("other", strerror(errno));
      stop_reason = "error";
      break;
    }
    if (got_signal) { stop_reason = "user"; break; }
    /* Drain what libpcap has; a timed-out poll may still find a retired block. */
    for (int rounds = 0; rounds < 64 && !stop_reason; rounds++) {
      int got = pcap_dispatch(handle, -1, on_packet, NULL);
      if (got < 0) {
        if (got == PCAP_ERROR_BREAK) break;
        emit_error("other", pcap_geterr(handle));
        stop_reason = "error";
        break;
      }
      if (got == 0) break;
    }
    if (write_failed && !stop_reason) stop_reason = "error";
    if (stdin_open && n > 1 && pfd[1].revents) {
      char buf[256];
      ssize_t k = read(0, buf, sizeof buf);
      if (k <= 0) { stdin_open = 0; if (!stop_reason) stop_reason = "user"; }
    }
    now = mono_ms();
    if (!stop_reason && opt_stop_duration > 0 && (double)(now - start) >= opt_stop_duration * 1000) stop_reason = "duration";
    if (!stop_reason && opt_ring_duration > 0 && (double)(now - cur_started) >= opt_ring_duration * 1000) {
      if (opt_stop_files && file_seq >= opt_stop_files) stop_reason = "duration";
      else switch_pending = 1;
    }
    if (!stop_reason && switch_pending && opt_ring_duration > 0 && (double)(now - cur_started) >= opt_ring_duration * 1000) {
      switch_pending = 0;
      close_file(handle);
      if (open_next_file() != 0) { stop_reason = "error"; break; }
      emit_file("file", cur_name);
    }
    if (now >= next_tick) {
      if (out) fflush(out);
      if (packets != packets_at_stats || now - last_stats >= 1000) {
        emit_stats("stats", NULL);
        packets_at_stats = packets;
        last_stats = now;
      }
      next_tick = now + TICK_MS;
    }
  }
  close_file(handle);
  if (write_failed) emit_error("io", write_error);
  emit_stats("stopped", stop_reason);
  pcap_close(handle);
  return strcmp(stop_reason, "error") == 0 ? 1 : 0;
}

/* ---------------------------------------------------------------- -D and --check-filter */

static void put_addr(const struct sockaddr *sa, const struct sockaddr *mask, int *first) {
  char a[INET6_ADDRSTRLEN] = "", m[INET6_ADDRSTRLEN] = "";
  const char *fam;
  if (!sa) return;
  if (sa->sa_family == AF_INET) {
    fam = "ipv4";
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, a, sizeof a);
    if (mask && mask->sa_family == AF_INET) inet_ntop(AF_INET, &((const struct sockaddr_in *)mask)->sin_addr, m, sizeof m);
  } else if (sa->sa_family == AF_INET6) {
    fam = "ipv6";
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, a, sizeof a);
    if (mask && mask->sa_family == AF_INET6) inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)mask)->sin6_addr, m, sizeof m);
  } else {
    return;
  }
  printf("%s{\"family\":\"%s\",\"addr\":", *first ? "" : ",", fam);
  json_str(stdout, a);
  if (m[0]) { printf(",\"netmask\":"); json_str(stdout, m); }
  printf("}");
  *first = 0;
}

static int list_interfaces(void) {
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  pcap_if_t *all = NULL;
  if (pcap_findalldevs(&all, errbuf) != 0) {
    emit_error("other", errbuf);
    return 1;
  }
  printf("[");
  for (pcap_if_t *d = all; d; d = d->next) {
    printf("%s{\"name\":", d == all ? "" : ",");
    json_str(stdout, d->name);
    printf(",\"description\":");
    json_str(stdout, d->description ? d->description : "");
    unsigned conn = d->flags & PCAP_IF_CONNECTION_STATUS;
    printf(",\"loopback\":%s,\"up\":%s,\"running\":%s,\"wireless\":%s,\"connection\":\"%s\",\"addresses\":[",
           d->flags & PCAP_IF_LOOPBACK ? "true" : "false", d->flags & PCAP_IF_UP ? "true" : "false",
           d->flags & PCAP_IF_RUNNING ? "true" : "false", d->flags & PCAP_IF_WIRELESS ? "true" : "false",
           conn == PCAP_IF_CONNECTION_STATUS_CONNECTED ? "connected"
           : conn == PCAP_IF_CONNECTION_STATUS_DISCONNECTED ? "disconnected"
           : conn == PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE ? "not-applicable" : "unknown");
    int first = 1;
    for (pcap_addr_t *a = d->addresses; a; a = a->next) put_addr(a->addr, a->netmask, &first);
    printf("]}");
  }
  printf("]\n");
  pcap_freealldevs(all);
  return 0;
}

static int check_filter(const char *expr, int linktype, int snaplen) {
  /* Callers give pcapng LINKTYPE values; LINKTYPE_RAW differs from the platform's DLT_RAW. */
  pcap_t *p = pcap_open_dead(linktype == 101 ? DLT_RAW : linktype, snaplen);
  if (!p) {
    printf("{\"ok\":false,\"message\":\"libpcap could not open a dead handle\"}\n");
    return 0;
  }
  struct bpf_program prog;
  if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
    printf("{\"ok\":false,\"message\":");
    json_str(stdout, pcap_geterr(p));
    printf("}\n");
  } else {
    printf("{\"ok\":true,\"instructions\":%u}\n", prog.bf_len);
    pcap_freecode(&prog);
  }
  pcap_close(p);
  return 0;
}

int main(int argc, char **argv) {
  const char *check = NULL;
  int list = 0, check_link = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED() do { if (!v) return usage("an option needs a value"); i++; } while (0)
    if (!strcmp(a, "-D")) list = 1;
    else if (!strcmp(a, "--check-filter")) { NEED(); check = v; }
    else if (!strcmp(a, "--linktype")) { NEED(); check_link = atoi(v); }
    else if (!strcmp(a, "-i")) { NEED(); opt_iface = v; }
    else if (!strcmp(a, "-f")) { NEED(); opt_filter = v; }
    else if (!strcmp(a, "-w")) { NEED(); opt_output = v; }
    else if (!strcmp(a, "-s")) {
      NEED();
      uint64_t u;
      if (parse_u64(v, &u) || u > 262144) return usage("invalid snaplen");
      opt_snaplen = u == 0 ? 262144 : (int)u;
    } else if (!strcmp(a, "-B")) {
      NEED();
      uint64_t u;
      if (parse_u64(v, &u) || u == 0 || u > 4096) return usage("invalid buffer size");
      opt_buffer_mb = (int)u;
    } else if (!strcmp(a, "-p")) opt_promisc = 0;
    else if (!strcmp(a, "-c")) {
      NEED();
      if (parse_u64(v, &opt_count) || opt_count == 0) return usage("invalid packet count");
    } else if (!strcmp(a, "-a")) { NEED(); if (parse_cond(v, 0)) return usage("invalid -a condition"); }
    else if (!strcmp(a, "-b")) { NEED(); if (parse_cond(v, 1)) return usage("invalid -b condition"); }
    else if (!strcmp(a, "--watch-stdin")) opt_watch_stdin = 1;
    else return usage("unknown option");
#undef NEED
  }
  if (list) return list_interfaces();
  if (check) return check_filter(check, check_link, opt_snaplen);
  if (!opt_iface) return usage("no interface (-i)");
  if (!opt_output) return usage("no output file (-w)");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  return capture();
}
