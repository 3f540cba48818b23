/**
 * The connections view: the list in a resizable sidebar beside the editors, one tab per open
 * connection (kept alive, so switching is instant and nothing typed is lost), a dirty dot on
 * tabs with unsaved changes, and the list's dialogs (delete, import, export).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Snackbar,
} from '@mui/material';
import type { ConnectionSummary } from '../../../shared/contract.js';
import type { Connection, ConnectionType } from '../../../shared/connection.js';
import { call, errorOf, onConnectionsChanged, onWorkspaceChanged } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useNow } from '../components/TimeText.js';
import { ConnectionEditor } from '../connection/ConnectionEditor.js';
import { ConnectionList } from '../connections/ConnectionList.js';
import { ImportDialog } from '../connections/ImportDialog.js';
import { ExportDialog } from '../connections/TransferDialogs.js';
import { ProviderDialog } from '../connections/ProviderDialog.js';
import { connectionHash, navigate } from '../navigation.js';
import { useShortcut } from '../shortcuts.js';
import { useListing } from '../use-listing.js';
import { EditorTabs, tabId, tabLabel, type EditorTab } from './EditorTabs.js';
import { EmptyState } from './EmptyState.js';
import { firstField, focusSoon } from './focus.js';
import { ResizableSidebar } from './ResizableSidebar.js';

/** The editor of a connection's tab, by the tab's key. */
const panel = (key: string) =>
  document.querySelector<HTMLElement>(`[data-tab-panel="${CSS.escape(key)}"]`);
/** The list's one Tab stop (its selected row), else New Connection. */
const listStop = () =>
  document.querySelector<HTMLElement>('[role=grid][aria-label=Connections] [tabindex="0"]') ??
  document.querySelector<HTMLElement>('button[aria-label="New Connection"]');

export function ConnectionsWorkbench({
  target,
  nonce,
  visible,
}: {
  /** The connection the URL names. */
  target: { id: string } | { newType: string } | undefined;
  /** Changes with every navigation, so the same URL twice opens twice ("New" again). */
  nonce: number;
  visible: boolean;
}) {
  const { items, error, setError, reload, act } = useListing('connections:list');
  useEffect(() => onConnectionsChanged(reload), [reload]);
  const [tabs, setTabs] = useState<EditorTab[]>([]);
  const [activeKey, setActiveKey] = useState<string | undefined>();
  // Another store (a workspace opened or closed): its connections are others, even under the
  // same IDs, so the open editors close (their drafts stay); a change on disk only reloads.
  const folder = useRef<string | undefined>(undefined);
  useEffect(
    () =>
      onWorkspaceChanged(({ workspace }) => {
        if (folder.current !== undefined && folder.current !== workspace.folder) {
          setTabs([]);
          setActiveKey(undefined);
        }
        folder.current = workspace.folder;
        reload();
      }),
    [reload],
  );
  useEffect(() => {
    call('workspace:current', {}).then(
      (w) => (folder.current ??= w.folder),
      () => undefined,
    );
  }, []);
  const [closing, setClosing] = useState<EditorTab | undefined>();
  const [deleting, setDeleting] = useState<ConnectionSummary | undefined>();
  const [exporting, setExporting] = useState<string[] | undefined>();
  const [importing, setImporting] = useState(false);
  const [fromProvider, setFromProvider] = useState(false);
  const [notice, setNotice] = useState('');
  const now = useNow(5000);
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;

  // The URL names a connection: open its tab (or a new one), or bring it forward.
  useEffect(() => {
    if (!target) return;
    if ('id' in target) {
      const open = tabsRef.current.find((t) => 'id' in t.source && t.source.id === target.id);
      // From the palette or a menu, focus is nowhere: on to the editor's first field.
      const key = open?.key ?? `c-${target.id}`;
      focusSoon(() => firstField(panel(key)), { onlyIfLost: true });
      if (open) setActiveKey(open.key);
      else {
        const summary = items?.find((c) => c.id === target.id);
        setTabs((ts) => [
          ...ts,
          {
            key,
            source: { id: target.id },
            name: summary?.name ?? '',
            type: summary?.type ?? 'client_credentials',
            dirty: false,
          },
        ]);
        setActiveKey(key);
      }
    } else if (target.newType) {
      const key = `new-${crypto.randomUUID()}`;
      const type = target.newType as ConnectionType;
      setTabs((ts) => [...ts, { key, source: { newType: type }, name: '', type, dirty: false }]);
      setActiveKey(key);
      // The same "new" URL must open another tab next time.
      window.history.replaceState(null, '', '#/connections');
    }
    // Only navigation opens tabs: the list's loading must not re-open a closed one.
  }, [nonce]);

  const active = tabs.find((t) => t.key === activeKey);
  const activeId = active && 'id' in active.source ? active.source.id : undefined;

  const show = (tab: EditorTab | undefined) => {
    setActiveKey(tab?.key);
    if (!tab) navigate('#/connections');
    else if ('id' in tab.source) navigate(connectionHash(tab.source.id));
  };

  /** Closes a tab; focus goes to the tab in view next, else to the list (`focus` false: stays). */
  const closeTab = (tab: EditorTab, force = false, focus = true) => {
    if (tab.dirty && !force) {
      setClosing(tab);
      return;
    }
    const i = tabsRef.current.findIndex((t) => t.key === tab.key);
    const rest = tabsRef.current.filter((t) => t.key !== tab.key);
    setTabs(rest);
    const next = tab.key === activeKey ? rest[Math.min(i, rest.length - 1)] : active;
    if (tab.key === activeKey) show(next);
    if (focus) focusSoon(() => (next ? document.getElementById(tabId(next.key)) : listStop()));
  };
  useShortcut(
    'closeTab',
    () => {
      // The tab with focus (the tab list's arrows move focus without choosing), else the active.
      const focused = tabs.find(
        (t) => document.getElementById(tabId(t.key)) === document.activeElement,
      );
      const tab = focused ?? active;
      if (tab) closeTab(tab);
    },
    visible,
  );

  const onSaved = useCallback(
    (key: string, saved: Connection) => {
      setTabs((ts) =>
        ts.map((t) =>
          t.key === key
            ? { ...t, source: { id: saved.id }, name: saved.name, type: saved.type }
            : t,
        ),
      );
      window.history.replaceState(null, '', connectionHash(saved.id));
      setNotice(`Saved “${saved.name}”.`);
      reload();
    },
    [reload],
  );
  const onState = useCallback(
    (key: string, s: { dirty: boolean; name: string; type: ConnectionType }) =>
      setTabs((ts) => {
        const changed = (t: EditorTab) =>
          t.key === key && (t.dirty !== s.dirty || t.name !== s.name || t.type !== s.type);
        // No new array when nothing changed: a render must not cause another.
        return ts.some(changed) ? ts.map((t) => (changed(t) ? { ...t, ...s } : t)) : ts;
      }),
    [],
  );

  useShortcut('newConnection', () => navigate('#/connection/new/client_credentials'), visible);

  return (
    <Box sx={{ display: visible ? 'flex' : 'none', flex: 1, height: '100%', minWidth: 0 }}>
      <ResizableSidebar>
        <ConnectionList
          items={items}
          activeId={activeId}
          now={now}
          actions={{
            open: (id, focusEditor) => {
              if (focusEditor) {
                const open = tabs.find((t) => 'id' in t.source && t.source.id === id);
                const key = open?.key ?? `c-${id}`;
                focusSoon(() => firstField(panel(key)));
              }
              navigate(connectionHash(id));
            },
            create: (type) => navigate(`#/connection/new/${type}`),
            fromProvider: () => setFromProvider(true),
            duplicate: (c) =>
              void act(async () => {
                const copy = await call('connections:duplicate', { id: c.id });
                navigate(connectionHash(copy.id));
              }),
            remove: setDeleting,
            exportSome: setExporting,
            importFile: () => setImporting(true),
          }}
        />
      </ResizableSidebar>
      <Box component="main" sx={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        {error && (
          <Box sx={{ p: 1 }}>
            <ErrorAlert error={error} onClose={() => setError(undefined)} />
          </Box>
        )}
        {tabs.length > 0 && (
          <EditorTabs tabs={tabs} activeKey={activeKey} onShow={show} onClose={closeTab} />
        )}
        <Box sx={{ flex: 1, overflow: 'auto', minHeight: 0 }}>
          {tabs.map((t) => (
            <Box
              key={t.key}
              sx={{ display: t.key === activeKey ? 'block' : 'none' }}
              role="tabpanel"
              aria-labelledby={tabId(t.key)}
              data-tab-panel={t.key}
              data-connection-id={'id' in t.source ? t.source.id : undefined}
            >
              <ConnectionEditor
                tabKey={t.key}
                source={t.source}
                draftKey={'id' in t.source ? t.source.id : t.key}
                active={visible && t.key === activeKey}
                onSaved={onSaved}
                onState={onState}
                onActivity={reload}
              />
            </Box>
          ))}
          {!active && (
            <EmptyState
              hasConnections={Boolean(items?.length)}
              onNew={() => navigate('#/connection/new/client_credentials')}
              onImport={() => setImporting(true)}
            />
          )}
        </Box>
      </Box>

      <Dialog
        open={Boolean(closing)}
        onClose={() => setClosing(undefined)}
        aria-labelledby="close-title"
      >
        <DialogTitle id="close-title">Close without saving?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            “{closing ? tabLabel(closing) : ''}” has unsaved changes. They are kept as a draft until
            you discard them.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setClosing(undefined)}>Keep editing</Button>
          <Button
            color="error"
            onClick={() => {
              const tab = closing as EditorTab;
              setClosing(undefined);
              const key = 'id' in tab.source ? tab.source.id : tab.key;
              void call('drafts:save', { key, draft: null }).finally(() => closeTab(tab, true));
            }}
          >
            Discard changes
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog
        open={Boolean(deleting)}
        onClose={() => setDeleting(undefined)}
        aria-labelledby="delete-title"
      >
        <DialogTitle id="delete-title">Delete connection?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            “{deleting?.name}” and its cached tokens will be deleted. Keystores and proxy aliases
            stay.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              const c = deleting as ConnectionSummary;
              setDeleting(undefined);
              const tab = tabsRef.current.find((t) => 'id' in t.source && t.source.id === c.id);
              if (tab) closeTab(tab, true, false);
              void act(() =>
                call('connections:delete', { id: c.id }).catch((e: unknown) =>
                  Promise.reject(errorOf(e)),
                ),
              ).then(() => focusSoon(listStop, { onlyIfLost: true }));
            }}
          >
            Delete
          </Button>
        </DialogActions>
      </Dialog>
      {exporting && (
        <ExportDialog
          names={(items ?? []).map((c) => c.name)}
          initial={exporting}
          onClose={() => setExporting(undefined)}
        />
      )}
      {fromProvider && (
        <ProviderDialog
          onClose={(added) => {
            setFromProvider(false);
            if (!added) return;
            setNotice(added.message);
            reload();
            navigate(connectionHash(added.connectionId));
          }}
        />
      )}
      {importing && (
        <ImportDialog
          onClose={(message) => {
            setImporting(false);
            if (message) setNotice(message);
            reload();
          }}
        />
      )}
      <Snackbar
        open={Boolean(notice)}
        autoHideDuration={4000}
        onClose={() => setNotice('')}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
      >
        <Alert severity="success" onClose={() => setNotice('')} variant="filled">
          {notice}
        </Alert>
      </Snackbar>
    </Box>
  );
}
