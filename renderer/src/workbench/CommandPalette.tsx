/**
 * The command palette (Ctrl/⌘+K): open a connection, create one, go to a page, save or run the
 * connection in view — typed, filtered, chosen with the arrow keys and Enter.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Dialog,
  DialogContent,
  InputAdornment,
  List,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  TextField,
  Typography,
} from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import type { ConnectionSummary } from '../../../shared/contract.js';
import { CONNECTION_TYPES, CONNECTION_TYPE_LABELS } from '../../../shared/connection.js';
import { TypeIcon } from '../components/TypeIcon.js';
import { connectionHash, navigate } from '../navigation.js';
import { runCommand, shortcutText } from '../shortcuts.js';
import { firstField, focusSoon } from './focus.js';

interface Command {
  label: string;
  detail?: string;
  icon?: React.ReactNode;
  run: () => void;
  /** Where focus goes once it has run (it goes somewhere else): its target, not the body. */
  focus?: () => HTMLElement | null | undefined;
}

/** A page's heading (the page named `label`, not the view being left): where the user arrived. */
const pageHeading = (label: string) => () =>
  [...document.querySelectorAll<HTMLElement>('main h1')].find(
    (el) => el.offsetParent !== null && el.textContent?.trim() === label,
  );

export function CommandPalette({
  open,
  onClose,
  connections,
}: {
  open: boolean;
  onClose: () => void;
  connections: ConnectionSummary[];
}) {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  // Opened again while it is still fading out (Esc, then Ctrl+K at once), the dialog stays
  // mounted and autoFocus does not run again: the field is focused on every opening.
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => (open ? focusSoon(() => input.current, { ms: 1000 }) : undefined), [open]);
  const commands = useMemo<Command[]>(
    () => [
      ...connections.map((c) => ({
        label: c.name,
        detail: `Open · ${CONNECTION_TYPE_LABELS[c.type]}`,
        icon: <TypeIcon type={c.type} />,
        run: () => navigate(connectionHash(c.id)),
        focus: () =>
          firstField(
            document.querySelector(`[data-tab-panel][data-connection-id="${CSS.escape(c.id)}"]`),
          ),
      })),
      { label: 'Generate Access Token', detail: shortcutText('run'), run: () => runCommand('run') },
      { label: 'Save', detail: shortcutText('save'), run: () => runCommand('save') },
      ...CONNECTION_TYPES.map((t) => ({
        label: `New ${CONNECTION_TYPE_LABELS[t]}`,
        detail: 'New connection',
        icon: <TypeIcon type={t} />,
        run: () => navigate(`#/connection/new/${t}`),
        // A new connection's editor focuses its Name itself.
        focus: () => undefined,
      })),
      ...(
        [
          ['Keystores & Truststores', '#/keystores'],
          ['Proxy Aliases', '#/proxies'],
          ['JWT Inspector', '#/jwt'],
          ['Token Cache', '#/cache'],
        ] as const
      ).map(([label, hash]) => ({
        label,
        detail: 'Go to',
        run: () => navigate(hash),
        focus: pageHeading(label),
      })),
    ],
    [connections],
  );
  const q = query.trim().toLowerCase();
  const shown = commands
    .filter((c) => !q || `${c.label} ${c.detail ?? ''}`.toLowerCase().includes(q))
    .slice(0, 50);
  const choose = (c: Command | undefined) => {
    if (!c) return;
    onClose();
    setQuery('');
    c.run();
    // A command that goes somewhere takes focus there (after the dialog gave it back); Esc,
    // Save and Run leave it where it was before the palette opened.
    if (c.focus) focusSoon(c.focus);
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      slotProps={{
        paper: { 'aria-label': 'Command palette', sx: { alignSelf: 'flex-start', mt: 10 } },
      }}
    >
      <DialogContent sx={{ p: 1 }}>
        <TextField
          autoFocus
          inputRef={input}
          placeholder="Type a connection, a page or a command"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setIndex(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setIndex((i) => Math.min(i + 1, shown.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setIndex((i) => Math.max(i - 1, 0));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(shown[index]);
            }
          }}
          slotProps={{
            htmlInput: {
              'aria-label': 'Command',
              role: 'combobox',
              'aria-expanded': true,
              'aria-controls': 'palette-list',
            },
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon fontSize="small" />
                </InputAdornment>
              ),
            },
          }}
        />
        <List id="palette-list" role="listbox" dense sx={{ maxHeight: 360, overflow: 'auto' }}>
          {shown.map((c, i) => (
            <ListItemButton
              key={`${c.label}-${c.detail ?? ''}`}
              role="option"
              aria-selected={i === index}
              selected={i === index}
              onClick={() => choose(c)}
            >
              {c.icon && <ListItemIcon sx={{ minWidth: 32 }}>{c.icon}</ListItemIcon>}
              <ListItemText primary={c.label} slotProps={{ primary: { noWrap: true } }} />
              {c.detail && (
                <Typography
                  variant="caption"
                  color="text.secondary"
                  sx={{ ml: 2, whiteSpace: 'nowrap' }}
                >
                  {c.detail}
                </Typography>
              )}
            </ListItemButton>
          ))}
          {shown.length === 0 && (
            <Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>
              Nothing matches.
            </Typography>
          )}
        </List>
      </DialogContent>
    </Dialog>
  );
}
