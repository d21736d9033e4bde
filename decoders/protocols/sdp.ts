// Session Description Protocol (RFC 4566), media type application/sdp: one field per
// `x=value` line (version, owner, session name, connection, time, media, attributes).
// Adds `/SDP` to the Protocol column (SIP/SDP).

import { field, protocol } from '../core/registry.ts';
import { appendProtocolColumn } from './media-common.ts';
import type { FieldDef } from '../core/types.ts';

const f = {
  version: field('sdp.version', 'Session Description Protocol Version (v)', 'string'),
  owner: field('sdp.owner', 'Owner/Creator, Session Id (o)', 'string'),
  sessionName: field('sdp.session_name', 'Session Name (s)', 'string'),
  sessionInfo: field('sdp.session_info', 'Session Information (i)', 'string'),
  uri: field('sdp.uri', 'URI of Description (u)', 'string'),
  email: field('sdp.email', 'E-mail Address (e)', 'string'),
  phone: field('sdp.phone', 'Phone Number (p)', 'string'),
  connectionInfo: field('sdp.connection_info', 'Connection Information (c)', 'string'),
  bandwidth: field('sdp.bandwidth', 'Bandwidth Information (b)', 'string'),
  time: field('sdp.time', 'Time Description, active time (t)', 'string'),
  sessionAttr: field('sdp.session_attr', 'Session Attribute (a)', 'string'),
  media: field('sdp.media', 'Media Description, name and address (m)', 'string'),
  mediaAttr: field('sdp.media_attr', 'Media Attribute (a)', 'string'),
  unknown: field('sdp.unknown', 'Unknown', 'string'),
};

const byLetter: Record<string, FieldDef> = {
  v: f.version, o: f.owner, s: f.sessionName, i: f.sessionInfo, u: f.uri, e: f.email, p: f.phone, c: f.connectionInfo, b: f.bandwidth, t: f.time, m: f.media,
};

const MAX_LINES = 1024;

export default protocol({
  abbrev: 'sdp',
  name: 'Session Description Protocol',
  short: '',
  fields: f,
  register(r) {
    r.table('media_type', 'application/sdp');
  },
  dissect(c, ctx, tree) {
    const o = c.start;
    appendProtocolColumn(ctx, 'SDP');
    let inMedia = false;
    let p = o;
    for (let i = 0; i < MAX_LINES && p < c.end; i++) {
      const le = c.lineEnd(p);
      const next = le ? le.next : c.end;
      const e = le ? le.eol : c.end;
      const text = c.ascii(p, e - p);
      if (text.length >= 2 && text[1] === '=') {
        const letter = text[0]!;
        if (letter === 'm') inMedia = true;
        const def = letter === 'a' ? (inMedia ? f.mediaAttr : f.sessionAttr) : byLetter[letter] ?? f.unknown;
        tree.add(def, c, p, e - p, { value: text.slice(2), label: `${def.name}: ${text.slice(2)}` });
      }
      p = next;
    }
    return c.remaining(o);
  },
});
