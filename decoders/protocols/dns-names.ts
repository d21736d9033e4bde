// Value names of the DNS header and resource records, spelled as Wireshark 4.0 spells them.
// `dnsTypeShort` is what the Info column and the record headings use ("A", "CNAME");
// `dnsTypeLong` is the tree text of the Type field ("A (Host Address)").

export const dnsOpcodes: Readonly<Record<number, string>> = {
  0: 'Standard query',
  1: 'Inverse query',
  2: 'Server status request',
  4: 'Zone change notification',
  5: 'Dynamic update',
  6: 'DNS Stateful operations (DSO)',
};

export const dnsRcodes: Readonly<Record<number, string>> = {
  0: 'No error',
  1: 'Format error',
  2: 'Server failure',
  3: 'No such name',
  4: 'Not implemented',
  5: 'Refused',
  6: 'Name exists',
  7: 'RRset exists',
  8: 'RRset does not exist',
  9: 'Not authoritative',
  10: 'Name out of zone',
  11: 'DSO-Type not implemented',
  16: 'Bad OPT Version or TSIG Signature Failure',
  17: 'Key not recognized',
  18: 'Signature out of time window',
  19: 'Bad TKEY mode',
  20: 'Duplicate key name',
  21: 'Algorithm not supported',
  22: 'Bad truncation',
  23: 'Bad/missing server cookie',
};

export const dnsClasses: Readonly<Record<number, string>> = {
  1: 'IN',
  3: 'CH',
  4: 'HS',
  254: 'NONE',
  255: 'ANY',
};

export const dnsTypeShort: Readonly<Record<number, string>> = {
  0: 'Unused', 1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR',
  10: 'NULL', 11: 'WKS', 12: 'PTR', 13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB',
  19: 'X25', 20: 'ISDN', 21: 'RT', 22: 'NSAP', 23: 'NSAP-PTR', 24: 'SIG', 25: 'KEY', 26: 'PX', 27: 'GPOS',
  28: 'AAAA', 29: 'LOC', 30: 'NXT', 31: 'EID', 32: 'NIMLOC', 33: 'SRV', 34: 'ATMA', 35: 'NAPTR', 36: 'KX',
  37: 'CERT', 38: 'A6', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL', 43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY',
  46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA',
  55: 'HIP', 56: 'NINFO', 57: 'RKEY', 58: 'TALINK', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC',
  63: 'ZONEMD', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC',
  104: 'NID', 105: 'L32', 106: 'L64', 107: 'LP', 108: 'EUI48', 109: 'EUI64', 249: 'TKEY', 250: 'TSIG',
  251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: 'ANY', 256: 'URI', 257: 'CAA', 258: 'AVC',
  259: 'DOA', 260: 'AMTRELAY', 32768: 'TA', 32769: 'DLV', 65281: 'WINS', 65282: 'WINS-R', 65521: 'XPF',
};

const longNames: Readonly<Record<number, string>> = {
  1: 'A (Host Address)',
  2: 'NS (authoritative Name Server)',
  3: 'MD (a mail destination)',
  4: 'MF (a mail forwarder)',
  5: 'CNAME (Canonical NAME for an alias)',
  6: 'SOA (Start Of a zone of Authority)',
  7: 'MB (a mailbox domain name)',
  8: 'MG (a mail group member)',
  9: 'MR (a mail rename domain name)',
  10: 'NULL (a null RR)',
  11: 'WKS (a well known service description)',
  12: 'PTR (domain name PoinTeR)',
  13: 'HINFO (host information)',
  14: 'MINFO (mailbox or mail list information)',
  15: 'MX (Mail eXchange)',
  16: 'TXT (Text strings)',
  17: 'RP (Responsible Person)',
  18: 'AFSDB (AFS Data Base location)',
  24: 'SIG (security signature)',
  25: 'KEY (security key)',
  28: 'AAAA (IPv6 Address)',
  29: 'LOC (Location Information)',
  30: 'NXT (Next Domain)',
  33: 'SRV (Server Selection)',
  35: 'NAPTR (Naming Authority Pointer)',
  36: 'KX (Key Exchanger)',
  37: 'CERT',
  38: 'A6 (OBSOLETE - use AAAA)',
  39: 'DNAME',
  43: 'DS (Delegation Signer)',
  44: 'SSHFP (SSH Key Fingerprint)',
  45: 'IPSECKEY',
  46: 'RRSIG (Resource Record Signature)',
  47: 'NSEC (Next Secure)',
  48: 'DNSKEY (DNS Public Key)',
  49: 'DHCID',
  52: 'TLSA',
  55: 'HIP (Host Identity Protocol)',
  99: 'SPF',
  250: 'TSIG (Transaction Signature)',
  251: 'IXFR (incremental transfer)',
  252: 'AXFR (transfer of an entire zone)',
  253: 'MAILB (mailbox-related RRs)',
  254: 'MAILA (mail agent RRs)',
  255: '* (A request for all records the server/cache has available)',
  257: 'CAA (Certification Authority Restriction)',
};

/** The Type field's tree names: the long form where Wireshark has one, else the short. */
export const dnsTypeLong: Readonly<Record<number, string>> = { ...dnsTypeShort, ...longNames };

export function typeShort(t: number): string {
  return dnsTypeShort[t] ?? `Unknown (${t})`;
}

export function className(c: number): string {
  return dnsClasses[c] ?? 'Unknown';
}

export const ednsOptionCodes: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'LLQ - Long-lived query',
  2: 'UL - Update lease',
  3: 'NSID - Name Server Identifier',
  4: 'Owner (reserved)',
  5: 'DAU - DNSSEC Algorithm Understood (RFC6975)',
  6: 'DHU - DS Hash Understood (RFC6975)',
  7: 'N3U - NSEC3 Hash Understood (RFC6975)',
  8: 'CSUBNET - Client subnet',
  9: 'EDNS EXPIRE (RFC7314)',
  10: 'COOKIE',
  11: 'EDNS TCP Keepalive',
  12: 'PADDING',
  13: 'CHAIN',
  14: 'EDNS Key Tag',
  15: 'Extended DNS Error',
  16: 'EDNS Client Tag',
  17: 'EDNS Server Tag',
  20292: 'Umbrella Ident',
  26946: 'DeviceID',
};

/** Wireshark's unsigned_time_secs_to_str: `2 minutes`, `13 days, 3 hours, 58 minutes, 37 seconds`. */
export function secondsText(total: number): string {
  if (total === 0) return '0 seconds';
  const parts: string[] = [];
  const unit = (n: number, what: string): void => {
    if (n) parts.push(`${n} ${what}${n === 1 ? '' : 's'}`);
  };
  unit(Math.floor(total / 86400), 'day');
  unit(Math.floor((total % 86400) / 3600), 'hour');
  unit(Math.floor((total % 3600) / 60), 'minute');
  unit(total % 60, 'second');
  return parts.join(', ');
}
