// Fields that belong to the core rather than to a protocol: the frame layer and the
// `_ws.*` markers Wireshark uses for expert info and malformed packets.

import { field } from './registry.ts';

export const frameFields = {
  interfaceId: field('frame.interface_id', 'Interface id', 'uint32'),
  interfaceName: field('frame.interface_name', 'Interface name', 'string'),
  encapType: field('frame.encap_type', 'Encapsulation type', 'int16'),
  timeEpoch: field('frame.time_epoch', 'Epoch Time', 'abs_time'),
  timeDelta: field('frame.time_delta', 'Time delta from previous captured frame', 'rel_time'),
  timeDeltaDisplayed: field('frame.time_delta_displayed', 'Time delta from previous displayed frame', 'rel_time'),
  timeRelative: field('frame.time_relative', 'Time since reference or first frame', 'rel_time'),
  number: field('frame.number', 'Frame Number', 'uint32'),
  len: field('frame.len', 'Frame Length', 'uint32', { unit: ' bytes' }),
  capLen: field('frame.cap_len', 'Capture Length', 'uint32', { unit: ' bytes' }),
  marked: field('frame.marked', 'Frame is marked', 'bool'),
  ignored: field('frame.ignored', 'Frame is ignored', 'bool'),
  protocols: field('frame.protocols', 'Protocols in frame', 'string'),
  comment: field('frame.comment', 'Comment', 'string'),
};

export const wsFields = {
  expert: field('_ws.expert', 'Expert Info', 'string'),
  malformed: field('_ws.malformed', 'Malformed Packet', 'protocol'),
  truncated: field('_ws.short', 'Packet size limited during capture', 'none'),
};

export const expertField = wsFields.expert;
