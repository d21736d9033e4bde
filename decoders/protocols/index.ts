// The explicit, ordered list of protocol modules. Adding a protocol = one file + one line here.

import type { ProtocolModule } from '../core/registry.ts';
import data from './data.ts';
import eth from './eth.ts';

export const protocolModules: readonly ProtocolModule[] = [
  data,
  eth,
];
