// Payload no protocol claimed. Like Wireshark's `data`, it leaves the Protocol column alone.

import { field, protocol } from '../core/registry.ts';

const f = {
  data: field('data.data', 'Data', 'bytes'),
  len: field('data.len', 'Length', 'uint32'),
};

export default protocol({
  abbrev: 'data',
  name: 'Data',
  short: '',
  fields: f,
  dissect(c, _ctx, tree) {
    const len = c.remaining(c.start);
    if (tree.owner) tree.owner.label = `Data (${len} byte${len === 1 ? '' : 's'})`;
    tree.add(f.data, c, c.start, len);
    tree.generated(f.len, len, `[Length: ${len}]`);
    return len;
  },
});
