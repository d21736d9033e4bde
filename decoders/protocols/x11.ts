// X11 core protocol on TCP ports 6000-6063: client requests (opcode, length; several per
// segment), server replies (matched to their request by sequence number once a reply has
// told us where the count stands), events and errors. Byte order is guessed per connection.
// Info as tshark: `Requests: CreatePixmap, FreeGC`, `Reply: TranslateCoordinates`,
// `Event: KeyPress`. A segment whose first request does not fit (it continues one we could
// not reassemble) keeps TCP's Info.

import { field, protocol } from '../core/registry.ts';
import type { Cursor } from '../core/cursor.ts';
import type { PacketContext } from '../core/context.ts';
import type { Tree } from '../core/tree.ts';

const requests = [
  '', 'CreateWindow', 'ChangeWindowAttributes', 'GetWindowAttributes', 'DestroyWindow', 'DestroySubwindows', 'ChangeSaveSet', 'ReparentWindow',
  'MapWindow', 'MapSubwindows', 'UnmapWindow', 'UnmapSubwindows', 'ConfigureWindow', 'CirculateWindow', 'GetGeometry', 'QueryTree', 'InternAtom',
  'GetAtomName', 'ChangeProperty', 'DeleteProperty', 'GetProperty', 'ListProperties', 'SetSelectionOwner', 'GetSelectionOwner', 'ConvertSelection',
  'SendEvent', 'GrabPointer', 'UngrabPointer', 'GrabButton', 'UngrabButton', 'ChangeActivePointerGrab', 'GrabKeyboard', 'UngrabKeyboard', 'GrabKey',
  'UngrabKey', 'AllowEvents', 'GrabServer', 'UngrabServer', 'QueryPointer', 'GetMotionEvents', 'TranslateCoordinates', 'WarpPointer', 'SetInputFocus',
  'GetInputFocus', 'QueryKeymap', 'OpenFont', 'CloseFont', 'QueryFont', 'QueryTextExtents', 'ListFonts', 'ListFontsWithInfo', 'SetFontPath',
  'GetFontPath', 'CreatePixmap', 'FreePixmap', 'CreateGC', 'ChangeGC', 'CopyGC', 'SetDashes', 'SetClipRectangles', 'FreeGC', 'ClearArea', 'CopyArea',
  'CopyPlane', 'PolyPoint', 'PolyLine', 'PolySegment', 'PolyRectangle', 'PolyArc', 'FillPoly', 'PolyFillRectangle', 'PolyFillArc', 'PutImage',
  'GetImage', 'PolyText8', 'PolyText16', 'ImageText8', 'ImageText16', 'CreateColormap', 'FreeColormap', 'CopyColormapAndFree', 'InstallColormap',
  'UninstallColormap', 'ListInstalledColormaps', 'AllocColor', 'AllocNamedColor', 'AllocColorCells', 'AllocColorPlanes', 'FreeColors', 'StoreColors',
  'StoreNamedColor', 'QueryColors', 'LookupColor', 'CreateCursor', 'CreateGlyphCursor', 'FreeCursor', 'RecolorCursor', 'QueryBestSize',
  'QueryExtension', 'ListExtensions', 'ChangeKeyboardMapping', 'GetKeyboardMapping', 'ChangeKeyboardControl', 'GetKeyboardControl', 'Bell',
  'ChangePointerControl', 'GetPointerControl', 'SetScreenSaver', 'GetScreenSaver', 'ChangeHosts', 'ListHosts', 'SetAccessControl',
  'SetCloseDownMode', 'KillClient', 'RotateProperties', 'ForceScreenSaver', 'SetPointerMapping', 'GetPointerMapping', 'SetModifierMapping',
  'GetModifierMapping',
];
requests[127] = 'NoOperation';
const events = [
  '', '', 'KeyPress', 'KeyRelease', 'ButtonPress', 'ButtonRelease', 'MotionNotify', 'EnterNotify', 'LeaveNotify', 'FocusIn', 'FocusOut',
  'KeymapNotify', 'Expose', 'GraphicsExpose', 'NoExpose', 'VisibilityNotify', 'CreateNotify', 'DestroyNotify', 'UnmapNotify', 'MapNotify',
  'MapRequest', 'ReparentNotify', 'ConfigureNotify', 'ConfigureRequest', 'GravityNotify', 'ResizeRequest', 'CirculateNotify', 'CirculateRequest',
  'PropertyNotify', 'SelectionClear', 'SelectionRequest', 'SelectionNotify', 'ColormapNotify', 'ClientMessage', 'MappingNotify',
];
/** Requests that have a reply (the others do not use up a reply slot in our matching). */
const withReply = new Set([3, 14, 15, 16, 17, 20, 21, 23, 26, 31, 38, 39, 40, 43, 44, 47, 48, 49, 50, 52, 73, 83, 84, 85, 86, 87, 91, 92, 97, 98, 99, 101, 103, 106, 108, 110, 116, 117, 118, 119]);

const requestNames: Record<number, string> = Object.fromEntries(requests.map((n, i) => [i, n]).filter(([, n]) => n));
const eventNames: Record<number, string> = Object.fromEntries(events.map((n, i) => [i, n]).filter(([, n]) => n));

const f = {
  request: field('x11.request', 'Request', 'none'),
  opcode: field('x11.opcode', 'opcode', 'uint8', { values: requestNames }),
  requestLength: field('x11.request-length', 'request-length', 'uint16'),
  reply: field('x11.reply', 'reply', 'uint8'),
  replySeq: field('x11.reply-sequencenumber', 'sequencenumber', 'uint16'),
  replyLength: field('x11.replylength', 'replylength', 'uint32'),
  event: field('x11.event', 'Event', 'none'),
  eventCode: field('x11.event-code', 'eventcode', 'uint8', { values: eventNames }),
  eventSeq: field('x11.event-sequencenumber', 'event-sequencenumber', 'uint16'),
  error: field('x11.error', 'error', 'uint8'),
  data: field('x11.data', 'Data', 'bytes'),
};

interface Conn {
  le: boolean | null;
  seqKnown: boolean;
  seq: number;
  /** Opcode by sequence number for requests with replies. */
  pending: Map<number, number>;
}

class X11State {
  readonly conns = new Map<string, Conn>();
  /** Per frame: reply names resolved on the first pass. */
  readonly replies = new Map<string, string>();
}

function conn(ctx: PacketContext, fromServer: boolean): Conn {
  const st = ctx.session.slot('x11', () => new X11State());
  const cl = fromServer ? `${ctx.netDst?.bytes.join('.')}:${ctx.dstPort}` : `${ctx.netSrc?.bytes.join('.')}:${ctx.srcPort}`;
  const sv = fromServer ? `${ctx.netSrc?.bytes.join('.')}:${ctx.srcPort}` : `${ctx.netDst?.bytes.join('.')}:${ctx.dstPort}`;
  const key = `${cl}>${sv}`;
  let k = st.conns.get(key);
  if (!k) st.conns.set(key, (k = { le: null, seqKnown: false, seq: 0, pending: new Map() }));
  return k;
}

function u16(c: Cursor, o: number, le: boolean): number {
  return le ? c.u16le(o) : c.u16(o);
}

const MAX_ITEMS = 1024;

function dissectRequests(c: Cursor, ctx: PacketContext, tree: Tree, k: Conn): void {
  const o = c.start;
  const seglen = c.reportedRemaining(o);
  let p = o;
  if (k.le === null && c.has(p, 4)) {
    const le = c.u16le(p + 2);
    const be = c.u16(p + 2);
    k.le = !(le === 0 || (le * 4 > seglen && be !== 0 && be * 4 <= seglen));
  }
  const le = k.le ?? true;
  const names: string[] = [];
  const first = !ctx.visited;
  const end = o + seglen;
  const tcpInfo = ctx.columns.info;
  for (let i = 0; i < MAX_ITEMS && p < end; i++) {
    c.check(p, 4);
    const op = c.u8(p);
    const len = u16(c, p + 2, le) * 4;
    if (len > 0 && p + len > end && ctx.canDesegment && c.remaining(o) === seglen) {
      // The request continues in the next segment: ask TCP for the rest.
      ctx.desegmentOffset = p;
      ctx.desegmentLen = p + len - end;
      if (i === 0) ctx.setInfo(tcpInfo);
      break;
    }
    if (len === 0 || p + len > end) {
      // Does not fit this segment: tshark would wait for more data; a first request like
      // that means the segment continues something we did not see, and Info stays TCP's.
      if (i === 0) ctx.setInfo(tcpInfo);
      break;
    }
    // tshark needs the whole request before it names it (a cut capture stops here).
    c.check(p, len);
    names.push(requestNames[op] ?? `<Unknown opcode ${op}>`);
    ctx.setInfo(`Requests: ${names.join(', ')}`);
    const t = tree.addTree(f.request, c, p, Math.min(len, c.remaining(p)), { label: `${requestNames[op] ?? `<Unknown opcode ${op}>`}` });
    t.add(f.opcode, c, p, 1);
    t.add(f.requestLength, c, p + 2, 2, { le });
    if (first && k.seqKnown) {
      k.seq = (k.seq + 1) & 0xffff;
      if (withReply.has(op)) k.pending.set(k.seq, op);
    }
    if (len > 4) t.add(f.data, c, p + 4, len - 4);
    p += len;
  }
}

export default protocol({
  abbrev: 'x11',
  name: 'X11',
  short: 'X11',
  fields: f,
  register(r) {
    for (let port = 6000; port <= 6063; port++) r.table('tcp.port', port);
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    const fromServer = ctx.srcPort >= 6000 && ctx.srcPort <= 6063 && !(ctx.dstPort >= 6000 && ctx.dstPort <= 6063 && ctx.dstPort < ctx.srcPort);
    const k = conn(ctx, fromServer);
    if (!fromServer) {
      dissectRequests(c, ctx, tree, k);
      return c.remaining(o);
    }
    const st = ctx.session.slot('x11', () => new X11State());
    const le = k.le ?? true;
    const names: string[] = [];
    const end = o + c.reportedRemaining(o);
    let p = o;
    for (let i = 0; i < MAX_ITEMS && p < end; i++) {
      const type = c.u8(p);
      if (type === 1) {
        const total = 32 + (le ? c.u32le(p + 4) : c.u32(p + 4)) * 4;
        if (p + total > end) {
          // A reply longer than the segment: tshark waits for the rest.
          c.check(p, end - p);
          break;
        }
        // tshark needs the whole reply before it names it (a cut capture stops here).
        c.check(p, total);
        const seq = u16(c, p + 2, le);
        const key = `${ctx.frame.number}:${p}`;
        let name = st.replies.get(key);
        if (name === undefined) {
          const op = k.seqKnown ? k.pending.get(seq) : undefined;
          if (op !== undefined) k.pending.delete(seq);
          if (!k.seqKnown) {
            k.seqKnown = true;
            k.seq = seq;
          }
          name = op !== undefined ? requestNames[op] ?? 'unknown' : '';
          st.replies.set(key, name);
        }
        names.push(name ? `Reply: ${name}` : 'Reply: to unknown request');
        ctx.setInfo(names.join(', '));
        const t = tree.addTree(f.reply, c, p, 8, { label: name ? `Reply, opcode: ${name}` : 'Reply to unknown request' });
        t.add(f.reply, c, p, 1);
        t.add(f.replySeq, c, p + 2, 2, { le });
        const rlen = le ? c.u32le(p + 4) : c.u32(p + 4);
        t.add(f.replyLength, c, p + 4, 4, { le });
        p += 32 + rlen * 4;
      } else if (type === 0) {
        names.push(`Error: ${c.u8(p + 1)}`);
        ctx.setInfo(names.join(', '));
        tree.add(f.error, c, p + 1, 1);
        p += 32;
      } else {
        const code = type & 0x7f;
        names.push(`Event: ${eventNames[code] ?? `<Unknown eventcode ${code}>`}`);
        ctx.setInfo(names.join(', '));
        const t = tree.addTree(f.event, c, p, 32, { label: `Event, eventcode: ${code} (${eventNames[code] ?? 'Unknown'})` });
        t.add(f.eventCode, c, p, 1, { value: code });
        t.add(f.eventSeq, c, p + 2, 2, { le });
        c.check(p, 32);
        p += 32;
      }
    }
    return c.remaining(o);
  },
});
