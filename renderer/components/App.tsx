import { useState, type ReactElement } from 'react';
import { FilterBar } from './FilterBar.tsx';
import { PacketList, TIME_FORMATS, TIME_TITLES } from './PacketList.tsx';
import { ProtoTree } from './ProtoTree.tsx';
import { HexPane } from './HexPane.tsx';
import { FollowDialog } from './FollowDialog.tsx';
import { StatusBar } from './StatusBar.tsx';
import { GoTo } from './GoTo.tsx';
import { LanguageSelect, ViewDock, ViewMenu } from './ViewDock.tsx';
import { followStream, openFiles } from '../controller.ts';
import { rowCache, useStore, type TimeFormat } from '../store.ts';
import { pathForFile } from '../api.ts';
import { useT } from '../i18n/index.ts';
import { NameResolutionMenu } from './NameResolution.tsx';
import { CaptureStartGate } from './CaptureStart.tsx';
import { CaptureToolbar } from './CaptureToolbar.tsx';

function OpenByPath(): ReactElement {
  const t = useT();
  const [path, setPath] = useState('');
  return (
    <form
      className="open-path"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void openFiles([path.trim()]);
      }}
    >
      <label>
        {t('ui.openPath')}{' '}
        <input value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
      </label>
      <button type="submit">{t('ui.open')}</button>
    </form>
  );
}

function FollowButton(): ReactElement {
  const t = useT();
  const selectedIndex = useStore((s) => s.selectedIndex);
  useStore((s) => (selectedIndex !== null && rowCache.has(selectedIndex) ? 1 : s.rowsVersion));
  const row = selectedIndex !== null ? rowCache.get(selectedIndex) : undefined;
  const stream = row?.tcpStream ?? -1;
  return (
    <button type="button" disabled={stream < 0} onClick={() => void followStream(stream)} title={t('ui.followTitle')}>
      {t('ui.followTcp')}
    </button>
  );
}

function TimeFormatSelect(): ReactElement {
  const t = useT();
  const f = useStore((s) => s.timeFormat);
  const set = useStore((s) => s.set);
  return (
    <label className="time-select">
      {t('ui.timeFormat')}{' '}
      <select value={f} onChange={(e) => set({ timeFormat: e.target.value as TimeFormat })}>
        {TIME_FORMATS.map((tf) => (
          <option key={tf} value={tf} title={t(TIME_TITLES[tf])}>
            {t(`ui.time.${tf}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function App(): ReactElement {
  const t = useT();
  const files = useStore((s) => s.files);
  return (
    <div
      className="app"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        const paths = [...e.dataTransfer.files].map(pathForFile).filter((p): p is string => !!p);
        if (paths.length) void openFiles(paths);
        else useStore.setState({ error: t('ui.dropInBrowser') });
      }}
    >
      <header className="toolbar">
        <span className="brand">pktscope</span>
        <FilterBar />
        <TimeFormatSelect />
        <FollowButton />
        <CaptureToolbar />
        <NameResolutionMenu />
        <ViewMenu />
        <LanguageSelect />
      </header>
      {files.length === 0 && <OpenByPath />}
      <CaptureStartGate />
      <GoTo />
      <main className="panes">
        <section className="pane-list">
          <PacketList />
        </section>
        <section className="pane-bottom">
          <ProtoTree />
          <HexPane />
        </section>
      </main>
      <ViewDock />
      <StatusBar />
      <FollowDialog />
    </div>
  );
}
