// The renderer's zustand store and tree helpers, without a DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, rowCache, useStore } from '../../../renderer/store.ts';
import { deepestAt, nodeAt } from '../../../renderer/tree-utils.ts';
import type { WireNode } from '../../../electron/ipc/contract.ts';

test('store: selecting a row clears the tree selection; expansion is remembered by field', () => {
  useStore.setState({ ...initialState });
  const s = useStore.getState();
  s.set({ selectedNode: '0.1' });
  s.selectRow(3, 4);
  assert.equal(useStore.getState().selectedIndex, 3);
  assert.equal(useStore.getState().selectedPacket, 4);
  assert.equal(useStore.getState().selectedNode, null);
  s.toggleExpanded('tcp', true);
  s.toggleExpanded('ip', true);
  s.toggleExpanded('ip', false);
  assert.deepEqual(useStore.getState().expanded, { tcp: true, ip: false });
  s.selectRow(5, 6);
  assert.deepEqual(useStore.getState().expanded, { tcp: true, ip: false }, 'kept across packets');
  assert.equal(rowCache.size, 0, 'rows are not kept in the store state');
});

const tree: WireNode[] = [
  { field: 'frame', label: 'Frame', source: 0, offset: 0, length: 60, children: [{ field: 'frame.len', label: 'len', source: 0, offset: 0, length: 0, generated: true }] },
  {
    field: 'ip', label: 'IP', source: 0, offset: 0, length: 20,
    children: [
      { field: 'ip.src', label: 'src', source: 0, offset: 12, length: 4 },
      { field: 'ip.flags', label: 'flags', source: 0, offset: 6, length: 2, children: [{ field: 'ip.flags.df', label: 'df', source: 0, offset: 6, length: 1 }] },
      { field: 'ip.hidden', label: 'h', source: 0, offset: 12, length: 1, hidden: true },
    ],
  },
  { field: 'http', label: 'HTTP', source: 1, offset: 0, length: 10 },
];

test('tree helpers: node by path, deepest field covering a byte', () => {
  assert.equal(nodeAt(tree, '1.1.0')?.field, 'ip.flags.df');
  assert.equal(nodeAt(tree, '5'), null);
  assert.equal(nodeAt(tree, null), null);
  assert.equal(deepestAt(tree, 0, 6), '1.1.0');
  assert.equal(deepestAt(tree, 0, 7), '1.1');
  assert.equal(deepestAt(tree, 0, 13), '1.0', 'hidden fields are never picked');
  assert.equal(deepestAt(tree, 0, 40), '0');
  assert.equal(deepestAt(tree, 1, 3), '2');
  assert.equal(deepestAt(tree, 2, 0), null);
});
