// UI state in zustand slices: capture, rows, selection, filter, follow. Packet trees and bytes
// are not kept here (packet-cache.ts holds the one shown), only what the views subscribe to.

import { create } from 'zustand';
import type { FilterCheck, SortRequest, WireFollow, WireProgress, WireRow } from '../electron/ipc/contract.ts';

export interface CaptureSlice {
  files: string[];
  progress: WireProgress | null;
  error: string | null;
}

export type TimeFormat = 'relative' | 'absolute' | 'delta' | 'epoch';

export interface RowsSlice {
  timeFormat: TimeFormat;
  sort: SortRequest;
  displayed: number;
  total: number;
  /** Bumped when cached rows change (new filter, new capture) so lists re-read the cache. */
  rowsVersion: number;
  /** Show the "Outer source" / "Outer destination" columns (tunnelled packets' outermost addresses). */
  outerColumns: boolean;
}

export interface SelectionSlice {
  /** Selected row (0-based in the displayed list) and its packet number. */
  selectedIndex: number | null;
  selectedPacket: number | null;
  /** Path of the selected tree node ("0.2.1"), null for none. */
  selectedNode: string | null;
  /** Expanded nodes by field abbrev: remembered across packets. */
  expanded: Record<string, boolean>;
  /** Bytes (and tree node) hovered in another view, e.g. a Layers band: the hex pane and tree mark them. */
  hoverRange: HoverRange | null;
  /** Byte ranges the hex pane tints (the Layers view's layers): [start, end, class] in data source `source`. */
  layerTint: { source: number; ranges: [number, number, string][] } | null;
}

export interface HoverRange {
  /** Data source index, byte range [start, end). */
  source: number;
  start: number;
  end: number;
  /** Tree path of the node the range belongs to. */
  path?: string;
  /** Color class the hex pane paints the bytes with (e.g. `layer-c3`, see styles.css). */
  color?: string;
}

export interface FilterSlice {
  filterText: string;
  filterCheck: FilterCheck | null;
  appliedFilter: string;
  filterRunning: { scanned: number; total: number } | null;
}

export interface GoToSlice {
  goToOpen: boolean;
}

export interface ViewSlice {
  /** Id of the analysis view open in the dock (views/registry.ts), null when closed. */
  view: string | null;
}

export interface FollowSlice {
  follow: WireFollow | null;
  followOpen: boolean;
}

export interface Actions {
  set: (p: Partial<State>) => void;
  selectRow: (index: number | null, packet: number | null) => void;
  toggleExpanded: (field: string, open: boolean) => void;
}

export type State = CaptureSlice & RowsSlice & SelectionSlice & FilterSlice & FollowSlice & GoToSlice & ViewSlice & Actions;

export const initialState = {
  files: [],
  progress: null,
  error: null,
  timeFormat: 'relative' as TimeFormat,
  sort: { column: null, descending: false } as SortRequest,
  displayed: 0,
  total: 0,
  rowsVersion: 0,
  outerColumns: false,
  selectedIndex: null,
  selectedPacket: null,
  selectedNode: null,
  expanded: {},
  hoverRange: null,
  layerTint: null,
  filterText: '',
  filterCheck: null,
  appliedFilter: '',
  filterRunning: null,
  follow: null,
  followOpen: false,
  goToOpen: false,
  view: null,
} satisfies Omit<State, keyof Actions>;

export const useStore = create<State>()((set) => ({
  ...initialState,
  set: (p) => set(p),
  selectRow: (index, packet) => set({ selectedIndex: index, selectedPacket: packet, selectedNode: null }),
  toggleExpanded: (field, open) => set((s) => ({ expanded: { ...s.expanded, [field]: open } })),
}));

/** Displayed rows fetched so far, by displayed index (outside zustand: it can be large). */
export const rowCache = new Map<number, WireRow>();
