/**
 * The connections sidebar: search, New, Import, Export, and one row per connection — its type
 * icon, its name (ellipsised, full in the tooltip), a status dot for its own token, and a ⋯ menu
 * (also on right-click) to duplicate, export or delete it.
 *
 * The rows are a grid with one Tab stop (a roving tabindex): ↑/↓/Home/End move between rows,
 * ←/→ between a row's name and its ⋯ button, Enter opens the connection (and focuses its
 * editor), Shift+F10 or the menu key opens the row's menu, Delete asks to delete it.
 */
import { useEffect, useState, type KeyboardEvent, type MouseEvent } from 'react';
import {
  Box,
  Divider,
  IconButton,
  InputAdornment,
  List,
  ListItem,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  Menu,
  MenuItem,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import CloudOutlinedIcon from '@mui/icons-material/CloudOutlined';
import MoreIcon from '@mui/icons-material/MoreHoriz';
import SearchIcon from '@mui/icons-material/Search';
import UploadIcon from '@mui/icons-material/FileUploadOutlined';
import DownloadIcon from '@mui/icons-material/FileDownloadOutlined';
import type { ConnectionSummary } from '../../../shared/contract.js';
import {
  CONNECTION_TYPES,
  CONNECTION_TYPE_LABELS,
  type ConnectionType,
} from '../../../shared/connection.js';
import { TypeIcon } from '../components/TypeIcon.js';
import { shortcutText } from '../shortcuts.js';
import { WorkspaceBadge } from '../workbench/WorkspaceBadge.js';

export interface ConnectionListActions {
  /** `focusEditor`: the keyboard opened it, so focus goes on to its editor. */
  open(id: string, focusEditor?: boolean): void;
  create(type: ConnectionType): void;
  /** New Connection → From a provider… (a profile and a few values). */
  fromProvider(): void;
  duplicate(c: ConnectionSummary): void;
  remove(c: ConnectionSummary): void;
  exportSome(names: string[]): void;
  importFile(): void;
}

/** Green: a token of its own is valid; red: its last request failed; grey: nothing yet. */
export function statusOf(c: ConnectionSummary, now: number): { color: string; text: string } {
  if (c.lastError) return { color: 'error.main', text: `Last request failed: ${c.lastError}` };
  if (c.tokenValidUntil && Date.parse(c.tokenValidUntil) > now)
    return {
      color: 'success.main',
      text: `Token valid until ${new Date(c.tokenValidUntil).toLocaleTimeString()}`,
    };
  return { color: 'text.disabled', text: 'No token' };
}

export function NewConnectionMenu({
  anchor,
  onClose,
  onCreate,
  onFromProvider,
}: {
  anchor: HTMLElement | null;
  onClose: () => void;
  onCreate: (type: ConnectionType) => void;
  onFromProvider?: () => void;
}) {
  return (
    <Menu
      anchorEl={anchor}
      open={Boolean(anchor)}
      onClose={onClose}
      slotProps={{ list: { 'aria-label': 'Connection Type' } }}
    >
      {CONNECTION_TYPES.map((t) => (
        <MenuItem
          key={t}
          onClick={() => {
            onClose();
            onCreate(t);
          }}
        >
          <ListItemIcon>
            <TypeIcon type={t} />
          </ListItemIcon>
          {CONNECTION_TYPE_LABELS[t]}
        </MenuItem>
      ))}
      {onFromProvider && <Divider />}
      {onFromProvider && (
        <MenuItem
          onClick={() => {
            onClose();
            onFromProvider();
          }}
        >
          <ListItemIcon>
            <CloudOutlinedIcon fontSize="small" />
          </ListItemIcon>
          From a provider… (Entra ID, Okta, Google, Salesforce…)
        </MenuItem>
      )}
    </Menu>
  );
}

export function ConnectionList({
  items,
  activeId,
  now,
  actions,
}: {
  items: ConnectionSummary[] | undefined;
  activeId: string | undefined;
  now: number;
  actions: ConnectionListActions;
}) {
  const [search, setSearch] = useState('');
  const [newMenu, setNewMenu] = useState<HTMLElement | null>(null);
  const [rowMenu, setRowMenu] = useState<{
    c: ConnectionSummary;
    anchor: { top: number; left: number };
  }>();
  const q = search.trim().toLowerCase();
  const shown = (items ?? []).filter(
    (c) =>
      !q ||
      [c.name, c.tokenEndpoint, CONNECTION_TYPE_LABELS[c.type], c.description].some((v) =>
        v.toLowerCase().includes(q),
      ),
  );
  const openMenu = (c: ConnectionSummary, e: MouseEvent | KeyboardEvent) => {
    e.preventDefault();
    e.stopPropagation();
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    setRowMenu({
      c,
      anchor:
        e.type === 'contextmenu' && 'clientX' in e
          ? { top: e.clientY, left: e.clientX }
          : { top: r.bottom, left: r.left },
    });
  };
  // The grid's one Tab stop: a row (the open connection's, else the first) and a column.
  const [cursor, setCursor] = useState<{ id?: string; col: 0 | 1 }>({ col: 0 });
  useEffect(() => setCursor((c) => (activeId ? { id: activeId, col: c.col } : c)), [activeId]);
  const row = Math.max(
    0,
    shown.findIndex((c) => c.id === cursor.id),
  );
  const cell = (id: string, col: 0 | 1) =>
    document.querySelector<HTMLElement>(`[data-cell="${CSS.escape(`${id}:${col}`)}"]`);
  const moveTo = (i: number, col: 0 | 1) => {
    const c = shown[Math.max(0, Math.min(shown.length - 1, i))];
    if (!c) return;
    setCursor({ id: c.id, col });
    cell(c.id, col)?.focus();
  };
  const onGridKey = (c: ConnectionSummary, i: number, col: 0 | 1, e: KeyboardEvent) => {
    const to: Record<string, () => void> = {
      ArrowDown: () => moveTo(i + 1, col),
      ArrowUp: () => moveTo(i - 1, col),
      Home: () => moveTo(0, col),
      End: () => moveTo(shown.length - 1, col),
      ArrowRight: () => moveTo(i, 1),
      ArrowLeft: () => moveTo(i, 0),
    };
    const move = to[e.key];
    if (e.target !== e.currentTarget) return;
    if (move && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      move();
    } else if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) openMenu(c, e);
    else if (e.key === 'Delete') {
      e.preventDefault();
      actions.remove(c);
    }
  };
  const tabStop = (i: number, col: 0 | 1) => (i === row && cursor.col === col ? 0 : -1);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100%', minWidth: 0 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', px: 1.5, pt: 1, gap: 0.5 }}>
        <Typography
          variant="overline"
          component="h1"
          sx={{ flex: 1, fontWeight: 700, letterSpacing: 1 }}
        >
          Connections
        </Typography>
        <Tooltip title="Import connections (JSON or z/OS server.xml)">
          <IconButton size="small" aria-label="Import…" onClick={actions.importFile}>
            <UploadIcon fontSize="small" />
          </IconButton>
        </Tooltip>
        <Tooltip title="Export connections (JSON, curl, env, server.xml)">
          <span>
            <IconButton
              size="small"
              aria-label="Export…"
              disabled={!items?.length}
              onClick={() => actions.exportSome((items ?? []).map((c) => c.name))}
            >
              <DownloadIcon fontSize="small" />
            </IconButton>
          </span>
        </Tooltip>
        <Tooltip title={`New Connection (${shortcutText('newConnection')})`}>
          <IconButton
            size="small"
            color="primary"
            aria-label="New Connection"
            aria-haspopup="menu"
            onClick={(e) => setNewMenu(e.currentTarget)}
          >
            <AddIcon fontSize="small" />
          </IconButton>
        </Tooltip>
      </Box>
      <WorkspaceBadge />
      <Box sx={{ px: 1.5, pb: 1 }}>
        <TextField
          placeholder="Search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowDown') return;
            e.preventDefault();
            moveTo(row, 0);
          }}
          slotProps={{
            htmlInput: { 'aria-label': 'Search connections' },
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon fontSize="small" />
                </InputAdornment>
              ),
            },
          }}
        />
      </Box>
      <Divider />
      {items && shown.length === 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>
          {items.length === 0 ? 'No connections yet.' : 'No connection matches the search.'}
        </Typography>
      )}
      <List
        dense
        disablePadding
        role="grid"
        aria-label="Connections"
        aria-rowcount={shown.length}
        sx={{ overflowY: 'auto', flex: 1, display: shown.length ? 'block' : 'none' }}
      >
        {shown.map((c, i) => {
          const status = statusOf(c, now);
          return (
            <ListItem
              key={c.id}
              role="row"
              aria-rowindex={i + 1}
              aria-selected={c.id === activeId}
              disablePadding
              onContextMenu={(e) => openMenu(c, e)}
              sx={{ '&:hover .row-menu, &:focus-within .row-menu': { opacity: 1 } }}
              secondaryAction={
                <Box role="gridcell">
                  <IconButton
                    className="row-menu"
                    size="small"
                    edge="end"
                    aria-label={`More actions for ${c.name}`}
                    aria-haspopup="menu"
                    data-cell={`${c.id}:1`}
                    tabIndex={tabStop(i, 1)}
                    onFocus={() => setCursor({ id: c.id, col: 1 })}
                    onKeyDown={(e) => onGridKey(c, i, 1, e)}
                    onClick={(e) => openMenu(c, e)}
                    sx={{ opacity: c.id === activeId ? 1 : 0.35 }}
                  >
                    <MoreIcon fontSize="small" />
                  </IconButton>
                </Box>
              }
            >
              <ListItemButton
                role="gridcell"
                selected={c.id === activeId}
                data-cell={`${c.id}:0`}
                tabIndex={tabStop(i, 0)}
                onFocus={() => setCursor({ id: c.id, col: 0 })}
                onKeyDown={(e) => onGridKey(c, i, 0, e)}
                // Enter arrives as a click made of the keydown (ButtonBase): on to the editor.
                onClick={(e) => actions.open(c.id, e.type === 'keydown')}
                aria-labelledby={`conn-name-${c.id}`}
                aria-describedby={`conn-status-${c.id}`}
                sx={{ pr: 5 }}
              >
                <ListItemIcon sx={{ minWidth: 30 }}>
                  <TypeIcon
                    type={c.type}
                    color="action"
                    titleAccess={CONNECTION_TYPE_LABELS[c.type]}
                  />
                </ListItemIcon>
                <ListItemText
                  primary={c.name}
                  title={c.name}
                  slotProps={{
                    primary: {
                      id: `conn-name-${c.id}`,
                      noWrap: true,
                      sx: { fontWeight: c.id === activeId ? 600 : 400 },
                    },
                  }}
                  sx={{ minWidth: 0, my: 0.25 }}
                />
                <Tooltip title={status.text}>
                  <Box
                    id={`conn-status-${c.id}`}
                    role="img"
                    aria-label={status.text}
                    sx={{
                      width: 8,
                      height: 8,
                      borderRadius: '50%',
                      bgcolor: status.color,
                      ml: 1,
                      flexShrink: 0,
                    }}
                  />
                </Tooltip>
              </ListItemButton>
            </ListItem>
          );
        })}
      </List>
      <NewConnectionMenu
        anchor={newMenu}
        onClose={() => setNewMenu(null)}
        onCreate={actions.create}
        onFromProvider={actions.fromProvider}
      />
      <Menu
        open={Boolean(rowMenu)}
        onClose={() => setRowMenu(undefined)}
        anchorReference="anchorPosition"
        {...(rowMenu ? { anchorPosition: rowMenu.anchor } : {})}
      >
        {(
          [
            ['Duplicate', () => rowMenu && actions.duplicate(rowMenu.c)],
            ['Export…', () => rowMenu && actions.exportSome([rowMenu.c.name])],
            ['Delete…', () => rowMenu && actions.remove(rowMenu.c)],
          ] as const
        ).map(([label, run]) => (
          <MenuItem
            key={label}
            onClick={() => {
              setRowMenu(undefined);
              run();
            }}
            sx={label === 'Delete…' ? { color: 'error.main' } : undefined}
          >
            {label}
          </MenuItem>
        ))}
      </Menu>
    </Box>
  );
}
