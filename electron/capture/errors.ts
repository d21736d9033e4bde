// Turns what libpcap said into a message a user can act on: which privilege is missing and
// how to grant it, which interface does not exist and how to list them, which filter is bad.

import { CaptureError, type CaptureBackend, type CaptureErrorCode } from './types.ts';

export interface RawError {
  /** The helper's code: privilege, no-such-device, not-up, filter, io, other. */
  code: string;
  /** libpcap's (or the OS's) own message. */
  message: string;
}

/** The binary whose capabilities matter: the helper, or the Node runtime running the `cap` child. */
export function privilegeHint(backend: CaptureBackend, binary: string): string {
  const who = backend === 'native' ? 'the capture helper' : `the Node.js runtime that runs the cap backend`;
  return (
    `Grant ${who} the two capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip ${binary}` +
    ` — or run the capture as root (sudo, or pkexec ${binary} ...).`
  );
}

/** A CaptureError with a clear message and hint from a helper's raw error. */
export function captureError(raw: RawError, ctx: { iface: string; filter?: string; backend: CaptureBackend; binary: string }): CaptureError {
  const lib = raw.message.trim();
  switch (raw.code) {
    case 'privilege':
      return new CaptureError(
        'privilege',
        `You don't have permission to capture on '${ctx.iface}': capturing needs the CAP_NET_RAW and CAP_NET_ADMIN capabilities, ` +
          `and ${ctx.backend === 'native' ? `the capture helper (${ctx.binary})` : `the cap backend (${ctx.binary})`} runs without them` +
          (lib ? ` (libpcap: ${lib})` : '') + '.',
        privilegeHint(ctx.backend, ctx.binary),
      );
    case 'no-such-device':
      return new CaptureError(
        'no-such-device',
        `There is no interface named '${ctx.iface}'` + (lib ? ` (libpcap: ${lib})` : '') + '.',
        `List the interfaces with 'pktscope -D'.`,
      );
    case 'not-up':
      return new CaptureError('other', `The interface '${ctx.iface}' is not up` + (lib ? ` (libpcap: ${lib})` : '') + '.', `Bring it up first, e.g. 'ip link set ${ctx.iface} up'.`);
    case 'filter':
      return new CaptureError(
        'filter',
        `Invalid capture filter "${ctx.filter ?? ''}" for interface '${ctx.iface}': ${lib}`,
        'Capture filters use the BPF syntax of pcap-filter(7), e.g. "tcp port 80" or "host 10.0.0.1 and not arp".',
      );
    case 'io':
    case 'helper-missing':
      return new CaptureError(raw.code as CaptureErrorCode, lib);
    default:
      return new CaptureError('other', `The capture on '${ctx.iface}' failed: ${lib || 'unknown reason'}${/[.!]$/.test(lib) ? '' : '.'}`);
  }
}
