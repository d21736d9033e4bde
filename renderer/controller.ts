// Actions that talk to the engine and update the store: rows by visible range, the selected
// packet (kept outside zustand), filters, follow.

import { useSyncExternalStore } from 'react';
import { fromBase64, type SortColumn, type WirePacket } from '../electron/ipc/contract.ts';
export { nodeAt, deepestAt } from './tree-utils.ts';
import { on, request } from './api.ts';
import { rowCache, useStore } from './store.ts';
import { confirmDiscard } from './capture.ts';

const BLOCK = 200;
const loading = new Set<number>();
let rowsGeneration = 0;

export interface ShownPacket {
  packet: WirePacket;
  bytes: Uint8Array[];
}

let shown: ShownPacket | null = null;
const shownListeners = new Set<() => void>();
function setShown(p: ShownPacket | null): void {
  shown = p;
  for (const l of shownListeners) l();
}
export function useShownPacket(): ShownPacket | null {
  return useSyncExternalStore(
    (l) => {
      shownListeners.add(l);
      return () => shownListeners.delete(l);
    },
    () => shown,
  );
}

function resetRows(): void {
  rowCache.clear();
  loading.clear();
  rowsGeneration++;
  useStore.setState((s) => ({ rowsVersion: s.rowsVersion + 1 }));
}

/** The latest range asked for while a fetch was in flight (fetched when it returns). */
let wantedRows: [number, number] | null = null;
let rowsInFlight = 0;

/**
 * Makes sure displayed rows start..end (inclusive) are fetched. One batch is in flight at a
 * time, for the latest range: a fast scroll (a new range every frame) does not queue a block
 * per frame that is out of view by the time it arrives, and each frame parses less.
 */
export function ensureRows(start: number, end: number): void {
  wantedRows = [start, end];
  if (rowsInFlight === 0) fetchWantedRows();
}

function fetchWantedRows(): void {
  if (!wantedRows) return;
  const [start, end] = wantedRows;
  wantedRows = null;
  const gen = rowsGeneration;
  const done = () => {
    rowsInFlight--;
    if (rowsInFlight === 0) fetchWantedRows();
  };
  for (let b = Math.floor(Math.max(0, start) / BLOCK); b <= Math.floor(Math.max(0, end) / BLOCK); b++) {
    if (loading.has(b)) continue;
    let missing = false;
    for (let i = b * BLOCK; i < Math.min((b + 1) * BLOCK, useStore.getState().displayed); i++) {
      if (!rowCache.has(i)) {
        missing = true;
        break;
      }
    }
    if (!missing) continue;
    loading.add(b);
    rowsInFlight++;
    request('rows', { start: b * BLOCK, count: BLOCK }).then(
      (r) => {
        if (gen === rowsGeneration) {
          loading.delete(b);
          r.rows.forEach((row, k) => rowCache.set(b * BLOCK + k, row));
          useStore.setState((s) => ({ rowsVersion: s.rowsVersion + 1, displayed: r.displayed, total: r.total }));
        }
        // A partial block (still indexing) is fetched again when asked for again.
        done();
      },
      (e: Error) => {
        if (gen === rowsGeneration) {
          loading.delete(b);
          useStore.setState({ error: e.message });
        }
        done();
      },
    );
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | null = null;
export async function refreshCounts(): Promise<void> {
  const r = await request('rows', { start: 0, count: 0 });
  useStore.setState({ displayed: r.displayed, total: r.total });
}

export async function init(): Promise<void> {
  on('progress', (p) => {
    useStore.setState({ progress: p });
    if (refreshTimer === null) {
      refreshTimer = setTimeout(() => {
        refreshTimer = null;
        void refreshCounts();
      }, p.done ? 0 : 150);
    }
  });
  on('opened', (info) => {
    resetRows();
    setShown(null);
    useStore.setState({ files: info.files, selectedIndex: null, selectedPacket: null, selectedNode: null, appliedFilter: info.filter ?? '', filterText: info.filter ?? '', filterCheck: null, error: null, sort: { column: null, descending: false } });
    void refreshCounts();
  });
  on('filterProgress', (p) => {
    useStore.setState({ filterRunning: p.done ? null : { scanned: p.scanned, total: p.total } });
  });
  try {
    const info = await request('info', null);
    useStore.setState({ files: info.files });
    if (info.files.length) await refreshCounts();
  } catch (e) {
    useStore.setState({ error: (e as Error).message });
  }
}

export async function openFiles(paths: string[]): Promise<void> {
  if (!confirmDiscard()) return;
  try {
    const info = await request('open', { paths });
    resetRows();
    setShown(null);
    useStore.setState({ files: info.files, selectedIndex: null, selectedPacket: null, appliedFilter: '', error: null, sort: { column: null, descending: false } });
    await refreshCounts();
  } catch (e) {
    useStore.setState({ error: (e as Error).message });
  }
}

let selectSeq = 0;
export async function selectRow(index: number): Promise<void> {
  const s = useStore.getState();
  if (index < 0 || index >= s.displayed) return;
  const row = rowCache.get(index);
  s.selectRow(index, row?.number ?? null);
  const seq = ++selectSeq;
  let number = row?.number;
  if (number === undefined) {
    const r = await request('rows', { start: index, count: 1 });
    number = r.rows[0]?.number;
    if (number === undefined || seq !== selectSeq) return;
    rowCache.set(index, r.rows[0]!);
    useStore.getState().selectRow(index, number);
  }
  try {
    const p = await request('packet', { number });
    if (seq !== selectSeq) return;
    setShown({ packet: p, bytes: p.bytes.map(fromBase64) });
  } catch (e) {
    useStore.setState({ error: (e as Error).message });
  }
}

export async function applyFilter(expr: string): Promise<boolean> {
  useStore.setState({ filterRunning: { scanned: 0, total: useStore.getState().total } });
  const r = await request('setFilter', { expr });
  if (!r.ok) {
    useStore.setState({ filterRunning: null, filterCheck: { ok: false, error: r.error } });
    return false;
  }
  resetRows();
  setShown(null);
  useStore.setState({ appliedFilter: r.expr, displayed: r.displayed, total: r.total, filterRunning: null, selectedIndex: null, selectedPacket: null, selectedNode: null });
  return true;
}

export async function followStream(stream: number): Promise<void> {
  try {
    const f = await request('follow', { stream });
    useStore.setState({ follow: f, followOpen: true });
  } catch (e) {
    useStore.setState({ error: (e as Error).message });
  }
}


/** Selects packet `number` when it is displayed; returns its displayed index. */
export async function goToPacket(number: number): Promise<number | null> {
  const s = useStore.getState();
  let index: number | null = null;
  if (!s.appliedFilter && s.sort.column === null) index = number - 1 < s.displayed ? number - 1 : null;
  else if (s.sort.column !== null && s.sort.column !== 'number') {
    for (const [k, r] of rowCache) if (r.number === number) index = k;
  } else {
    // Displayed numbers ascend: binary search over fetched rows.
    let lo = 0;
    let hi = s.displayed - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = rowCache.get(mid) ?? (await request('rows', { start: mid, count: 1 })).rows[0];
      if (!r) break;
      if (r.number === number) {
        index = mid;
        break;
      }
      if (r.number < number) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  if (index === null) {
    useStore.setState({ error: `Packet ${number} is not displayed` });
    return null;
  }
  await selectRow(index);
  return index;
}

/**
 * The engine decodes differently now (Decode As rules, name resolution): fetched rows and the
 * shown tree are stale. Rows are fetched again and the selected packet is shown again.
 */
export async function refreshDecoding(): Promise<void> {
  resetRows();
  try {
    await refreshCounts();
    const i = useStore.getState().selectedIndex;
    if (i !== null) await selectRow(i);
    else setShown(null);
  } catch (e) {
    useStore.setState({ error: (e as Error).message });
  }
}

/** Sorts by a column: ascending, then descending, then back to capture order. */
export async function sortBy(column: SortColumn): Promise<void> {
  const cur = useStore.getState().sort;
  const next = cur.column !== column ? { column, descending: false } : !cur.descending ? { column, descending: true } : { column: null, descending: false };
  useStore.setState({ sort: next });
  try {
    const r = await request('setSort', next);
    resetRows();
    setShown(null);
    useStore.setState({ displayed: r.displayed, total: r.total, selectedIndex: null, selectedPacket: null, selectedNode: null });
  } catch (e) {
    useStore.setState({ error: (e as Error).message });
  }
}
