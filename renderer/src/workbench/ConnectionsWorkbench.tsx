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
  Tab,
  Tabs,
  Tooltip,
} from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import type { ConnectionSummary } from '../../../shared/contract.js';
import type { Connection, ConnectionType } from '../../../shared/connection.js';
import { call, errorOf, onConnectionsChanged, onWorkspaceChanged } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { TypeIcon } from '../components/TypeIcon.js';
import { useNow } from '../components/TimeText.js';
import { ConnectionEditor } from '../connection/ConnectionEditor.js';
import { ConnectionList } from '../connections/ConnectionList.js';
import { ImportDialog } from '../connections/ImportDialog.js';
import { ExportDialog } from '../connections/TransferDialogs.js';
import { connectionHash, navigate } from '../navigation.js';
import { useShortcut } from '../shortcuts.js';
import { useListing } from '../use-listing.js';
import { EmptyState } from './EmptyState.js';
import { ResizableSidebar } from './ResizableSidebar.js';

interface EditorTab {
  key: string;
  source: { id: string } | { newType: ConnectionType };
  name: string;
  type: ConnectionType;
  dirty: boolean;
}

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
  const [notice, setNotice] = useState('');
  const now = useNow(5000);
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;

  // The URL names a connection: open its tab (or a new one), or bring it forward.
  useEffect(() => {
    if (!target) return;
    if ('id' in target) {
      const open = tabsRef.current.find((t) => 'id' in t.source && t.source.id === target.id);
      if (open) setActiveKey(open.key);
      else {
        const summary = items?.find((c) => c.id === target.id);
        const key = `c-${target.id}`;
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

  const closeTab = (tab: EditorTab, force = false) => {
    if (tab.dirty && !force) {
      setClosing(tab);
      return;
    }
    const i = tabsRef.current.findIndex((t) => t.key === tab.key);
    const rest = tabsRef.current.filter((t) => t.key !== tab.key);
    setTabs(rest);
    if (tab.key === activeKey) show(rest[Math.min(i, rest.length - 1)]);
  };

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
            open: (id) => navigate(connectionHash(id)),
            create: (type) => navigate(`#/connection/new/${type}`),
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
          <Tabs
            value={activeKey ?? false}
            onChange={(_e, key: string) => show(tabs.find((t) => t.key === key))}
            variant="scrollable"
            scrollButtons="auto"
            aria-label="Open connections"
            sx={{
              minHeight: 38,
              borderBottom: 1,
              borderColor: 'divider',
              bgcolor: 'background.paper',
            }}
          >
            {tabs.map((t) => (
              <Tab
                key={t.key}
                value={t.key}
                aria-label={`${t.name || 'New connection'}${t.dirty ? ' (unsaved changes)' : ''}`}
                onKeyDown={(e) => {
                  if (e.key === 'Delete') closeTab(t);
                }}
                sx={{ minHeight: 38, py: 0, pr: 0.5, maxWidth: 240 }}
                icon={<TypeIcon type={t.type} />}
                iconPosition="start"
                label={
                  <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, minWidth: 0 }}>
                    <Box
                      component="span"
                      sx={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                    >
                      {t.name || 'New connection'}
                    </Box>
                    {t.dirty && (
                      <Box
                        component="span"
                        aria-hidden
                        sx={{
                          width: 7,
                          height: 7,
                          borderRadius: '50%',
                          bgcolor: 'warning.main',
                          flexShrink: 0,
                        }}
                      />
                    )}
                    {/* A mouse affordance inside the tab; the keyboard closes a tab with Delete. */}
                    <Tooltip title="Close (Delete)">
                      <Box
                        component="span"
                        aria-hidden
                        data-testid={`close-${t.key}`}
                        onClick={(e) => {
                          e.stopPropagation();
                          closeTab(t);
                        }}
                        sx={{
                          display: 'inline-flex',
                          p: 0.5,
                          borderRadius: 1,
                          '&:hover': { bgcolor: 'action.hover' },
                        }}
                      >
                        <CloseIcon sx={{ fontSize: 16 }} />
                      </Box>
                    </Tooltip>
                  </Box>
                }
              />
            ))}
          </Tabs>
        )}
        <Box sx={{ flex: 1, overflow: 'auto', minHeight: 0 }}>
          {tabs.map((t) => (
            <Box
              key={t.key}
              sx={{ display: t.key === activeKey ? 'block' : 'none' }}
              role="tabpanel"
              aria-label={t.name || 'New connection'}
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
            “{closing?.name || 'New connection'}” has unsaved changes. They are kept as a draft
            until you discard them.
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
              if (tab) closeTab(tab, true);
              void act(() =>
                call('connections:delete', { id: c.id }).catch((e: unknown) =>
                  Promise.reject(errorOf(e)),
                ),
              );
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
