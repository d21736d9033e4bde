// The analysis views shown in the dock under the packet panes (connections, expert, statistics,
// graphs, layers ...). A new view is one component file in renderer/views/ plus one entry here.

import type { ComponentType } from 'react';
import type { MessageKey } from '../i18n/index.ts';
import { DecodeAsView } from './DecodeAsView.tsx';
import { StatisticsView } from './StatisticsView.tsx';
import { IoGraphView } from './IoGraphView.tsx';
import { LayersView } from './LayersView.tsx';
import { ConnectionsView } from './ConnectionsView.tsx';
import { TcpGraphView } from './TcpGraphView.tsx';
import { FlowView } from './FlowView.tsx';
import { ExpertView } from './ExpertView.tsx';

export interface ViewDef {
  /** Stable id: store.view, data-view attributes, e2e selectors. */
  id: string;
  /** Tab and menu title (i18n key). */
  title: MessageKey;
  component: ComponentType;
}

export const VIEWS: ViewDef[] = [
  // one entry per view, e.g. { id: 'connections', title: 'view.connections', component: ConnectionsView },
  { id: 'statistics', title: 'view.statistics', component: StatisticsView },
  { id: 'io-graph', title: 'view.ioGraph', component: IoGraphView },
  { id: 'layers', title: 'view.layers', component: LayersView },
  { id: 'connections', title: 'view.connections', component: ConnectionsView },
  { id: 'tcp-graph', title: 'view.tcpGraph', component: TcpGraphView },
  { id: 'flow', title: 'view.flow', component: FlowView },
  { id: 'expert', title: 'view.expert', component: ExpertView },
];

VIEWS.push({ id: 'decode-as', title: 'view.decodeAs', component: DecodeAsView });

export function viewById(id: string | null): ViewDef | undefined {
  return id === null ? undefined : VIEWS.find((v) => v.id === id);
}
