// The explicit, ordered list of protocol modules. Adding a protocol = one file + one line here.

import type { ProtocolModule } from '../core/registry.ts';
import data from './data.ts';
import eth from './eth.ts';
import nullLoopback from './null.ts';
import rawip from './rawip.ts';
import rawipDirect from './rawip-direct.ts';
import sll from './sll.ts';
import vlan from './vlan.ts';
import ieee8021ad from './ieee8021ad.ts';
import arp from './arp.ts';
import llc from './llc.ts';
import stp from './stp.ts';
import mpls from './mpls.ts';
import pwethheuristic, { pwethcw, pwethnocw } from './pw-eth.ts';
import pwach from './pwach.ts';
import pppoe, { pppoed, pppoes } from './pppoe.ts';
import ppp from './ppp.ts';
import { lcp, ipcp, ipv6cp, ccp } from './ppp-cp.ts';
import chdlc, { slarp } from './cisco-hdlc.ts';
import nflog from './nflog.ts';
import netlink, { netlinkRoute } from './netlink.ts';
import rpc from './rpc.ts';
import nfs from './nfs.ts';
import dns from './dns.ts';
import mdns from './mdns.ts';
import llmnr from './llmnr.ts';
import http from './http.ts';
import ssdp from './http-ssdp.ts';
import ocsp from './http-ocsp.ts';
import tls from './tls.ts';
import dhcp from './dhcp.ts';
import ip from './ip.ts';
import ipv6 from './ipv6.ts';
import icmp from './icmp.ts';
import icmpv6 from './icmpv6.ts';
import igmp from './igmp.ts';
import gre from './gre.ts';
import tcp from './tcp.ts';
import udp from './udp.ts';
import vxlan from './vxlan.ts';
import geneve from './geneve.ts';
import { dstopts, fraghdr, hopopts, routing } from './ipv6-ext.ts';
import media from './media.ts';
import data_text_lines from './data-text-lines.ts';
import image_gif from './image-gif.ts';
import image_jfif from './image-jfif.ts';
import png from './png.ts';
import json from './json.ts';
import xml from './xml.ts';
import urlencoded_form from './urlencoded-form.ts';
import ssh from './ssh.ts';
import rlogin from './rlogin.ts';
import gtp from './gtp.ts';
import gtpv2 from './gtpv2.ts';
import sctp from './sctp.ts';
import m3ua from './m3ua.ts';
import sccp from './sccp.ts';
import ntp from './ntp.ts';
import radius from './radius.ts';
import eap from './eap.ts';
import wg from './wg.ts';
import wol from './wol.ts';
import lisp from './lisp.ts';
import lisp_data from './lisp-data.ts';
import doip from './doip.ts';
import nbns from './nbns.ts';
import rip from './rip.ts';
import bjnp from './bjnp.ts';
import db_lsp_disc from './db-lsp-disc.ts';
import bgp from './bgp.ts';
import telnet from './telnet.ts';
import smtp from './smtp.ts';
import ftp from './ftp.ts';
import ftp_data from './ftp-data.ts';
import mysql from './mysql.ts';
import ldap from './ldap.ts';
import pgsql from './pgsql.ts';
import tpkt from './tpkt.ts';
import cotp from './cotp.ts';
import s7comm from './s7comm.ts';
import mbtcp from './mbtcp.ts';
import modbus from './modbus.ts';
import ah from './ah.ts';
import esp from './esp.ts';
import vrrp from './vrrp.ts';
import ospf from './ospf.ts';
import cdp from './cdp.ts';
import sip from './sip.ts';
import sdp from './sdp.ts';
import x11 from './x11.ts';
import gquic from './gquic.ts';

export const protocolModules: readonly ProtocolModule[] = [
  data,
  eth,
  nullLoopback,
  rawip,
  rawipDirect,
  sll,
  vlan,
  ieee8021ad,
  arp,
  llc,
  stp,
  mpls,
  pwethheuristic,
  pwethcw,
  pwethnocw,
  pwach,
  pppoe,
  pppoed,
  pppoes,
  ppp,
  lcp,
  ipcp,
  ipv6cp,
  ccp,
  chdlc,
  slarp,
  nflog,
  netlink,
  netlinkRoute,
  rpc,
  nfs,
  dns,
  mdns,
  llmnr,
  http,
  ssdp,
  ocsp,
  tls,
  dhcp,
  ip,
  ipv6,
  icmp,
  icmpv6,
  igmp,
  gre,
  tcp,
  hopopts,
  routing,
  fraghdr,
  dstopts,
  media,
  data_text_lines,
  image_gif,
  image_jfif,
  png,
  json,
  xml,
  urlencoded_form,
  ssh,
  rlogin,
  gtp,
  gtpv2,
  sctp,
  m3ua,
  sccp,
  udp,
  vxlan,
  geneve,
  ntp,
  radius,
  eap,
  wg,
  wol,
  lisp,
  lisp_data,
  doip,
  nbns,
  rip,
  bjnp,
  db_lsp_disc,
  bgp,
  telnet,
  smtp,
  ftp,
  ftp_data,
  mysql,
  ldap,
  pgsql,
  tpkt,
  cotp,
  s7comm,
  mbtcp,
  modbus,
  ah,
  esp,
  vrrp,
  ospf,
  cdp,
  sip,
  sdp,
  x11,
  gquic,
];
