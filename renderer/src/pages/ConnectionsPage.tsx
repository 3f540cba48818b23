import { useEffect, useState, type ReactNode } from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  InputAdornment,
  Menu,
  MenuItem,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import type { ConnectionSummary } from '../../../shared/contract.js';
import { CONNECTION_TYPES, CONNECTION_TYPE_LABELS } from '../../../shared/connection.js';
import type { ErrorData } from '../../../shared/result.js';
import { call, download, errorOf, onConnectionsChanged } from '../api.js';
import { useListing } from '../use-listing.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { navigate } from '../navigation.js';

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(t);
  }, []);
  return now;
}

function Status({ c, now }: { c: ConnectionSummary; now: number }) {
  if (c.lastError)
    return (
      <Chip
        size="small"
        color="error"
        variant="outlined"
        label="Last request failed"
        title={c.lastError}
      />
    );
  if (c.tokenValidUntil && Date.parse(c.tokenValidUntil) > now) {
    return (
      <Chip
        size="small"
        color="success"
        variant="outlined"
        label={`Token valid until ${new Date(c.tokenValidUntil).toLocaleTimeString()}`}
      />
    );
  }
  return (
    <Typography variant="body2" color="text.secondary">
      No token
    </Typography>
  );
}

export function ConnectionsPage() {
  const { items, error, setError, reload: load, act: run } = useListing('connections:list');
  useEffect(() => onConnectionsChanged(load), [load]);
  const [search, setSearch] = useState('');
  const [newMenu, setNewMenu] = useState<HTMLElement | null>(null);
  const [deleting, setDeleting] = useState<ConnectionSummary | undefined>();
  const [exporting, setExporting] = useState(false);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState('');
  const now = useNow();

  const q = search.trim().toLowerCase();
  const shown = (items ?? []).filter(
    (c) =>
      !q ||
      [c.name, c.tokenEndpoint, CONNECTION_TYPE_LABELS[c.type], c.description].some((v) =>
        v.toLowerCase().includes(q),
      ),
  );

  return (
    <Stack spacing={2}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} alignItems={{ sm: 'center' }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Connections
        </Typography>
        <TextField
          label="Search connections"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          sx={{ minWidth: 260 }}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon fontSize="small" />
                </InputAdornment>
              ),
            },
          }}
        />
        <Button variant="outlined" onClick={() => setImporting(true)}>
          Import…
        </Button>
        <Button variant="outlined" onClick={() => setExporting(true)} disabled={!items?.length}>
          Export…
        </Button>
        <Button
          variant="contained"
          onClick={(e) => setNewMenu(e.currentTarget)}
          aria-haspopup="menu"
        >
          New Connection
        </Button>
        <Menu anchorEl={newMenu} open={Boolean(newMenu)} onClose={() => setNewMenu(null)}>
          {CONNECTION_TYPES.map((t) => (
            <MenuItem key={t} onClick={() => navigate(`#/connection/new/${t}`)}>
              {CONNECTION_TYPE_LABELS[t]}
            </MenuItem>
          ))}
        </Menu>
      </Stack>
      {notice && (
        <Alert severity="success" onClose={() => setNotice('')}>
          {notice}
        </Alert>
      )}
      {error && <ErrorAlert error={error} onClose={() => setError(undefined)} />}
      <Paper variant="outlined">
        <Table size="small" aria-label="Connections">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Connection Type</TableCell>
              <TableCell sx={{ display: { xs: 'none', md: 'table-cell' } }}>
                Token Endpoint
              </TableCell>
              <TableCell>Status</TableCell>
              <TableCell align="right">Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items && shown.length === 0 && (
              <TableRow>
                <TableCell colSpan={5}>
                  <Typography variant="body2" color="text.secondary" sx={{ py: 2 }}>
                    {items.length === 0
                      ? 'No connections yet. Create one with New Connection, or import a file.'
                      : 'No connection matches the search.'}
                  </Typography>
                </TableCell>
              </TableRow>
            )}
            {shown.map((c) => (
              <TableRow key={c.id} hover>
                <TableCell>
                  <Button
                    variant="text"
                    onClick={() => navigate(`#/connection/${encodeURIComponent(c.id)}`)}
                    sx={{ textTransform: 'none', fontWeight: 600, px: 0.5 }}
                  >
                    {c.name}
                  </Button>
                </TableCell>
                <TableCell>{CONNECTION_TYPE_LABELS[c.type]}</TableCell>
                <TableCell
                  sx={{
                    display: { xs: 'none', md: 'table-cell' },
                    maxWidth: 320,
                    overflow: 'hidden',
                    textOverflow: 'ellipsis',
                    whiteSpace: 'nowrap',
                  }}
                  title={c.tokenEndpoint}
                >
                  {c.tokenEndpoint}
                </TableCell>
                <TableCell>
                  <Status c={c} now={now} />
                </TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  <Button
                    size="small"
                    onClick={() => navigate(`#/connection/${encodeURIComponent(c.id)}`)}
                    aria-label={`Edit ${c.name}`}
                  >
                    Edit
                  </Button>
                  <Button
                    size="small"
                    onClick={() => void run(() => call('connections:duplicate', { id: c.id }))}
                    aria-label={`Duplicate ${c.name}`}
                  >
                    Duplicate
                  </Button>
                  <Button
                    size="small"
                    color="error"
                    onClick={() => setDeleting(c)}
                    aria-label={`Delete ${c.name}`}
                  >
                    Delete
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>

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
              const id = deleting?.id as string;
              setDeleting(undefined);
              void run(() => call('connections:delete', { id }));
            }}
          >
            Delete
          </Button>
        </DialogActions>
      </Dialog>
      {exporting && (
        <ExportDialog
          names={(items ?? []).map((c) => c.name)}
          onClose={() => setExporting(false)}
        />
      )}
      {importing && (
        <ImportDialog
          onClose={(message) => {
            setImporting(false);
            if (message) setNotice(message);
            load();
          }}
        />
      )}
    </Stack>
  );
}

/** What an export or import could not map, shown before the dialog closes. */
function NotesDialog({
  title,
  notesLabel,
  intro,
  notes,
  onClose,
  children,
}: {
  title: string;
  notesLabel: string;
  intro: string;
  notes: string[];
  onClose: () => void;
  children?: ReactNode;
}) {
  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth aria-labelledby="notes-title">
      <DialogTitle id="notes-title">{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          {children}
          {notes.length > 0 && (
            <Alert severity="warning" role="region" aria-label={notesLabel}>
              {intro}
              <Box component="ul" sx={{ m: 0, pl: 2 }}>
                {notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </Box>
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onClose}>
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ExportDialog({ names, onClose }: { names: string[]; onClose: () => void }) {
  const [selected, setSelected] = useState<string[]>(names);
  const [format, setFormat] = useState<'json' | 'curl' | 'env' | 'server.xml'>('json');
  const [withSecrets, setWithSecrets] = useState(false);
  const [clearSecrets, setClearSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<ErrorData | undefined>();
  const [report, setReport] = useState<{ notes: string[]; variables: string[] } | undefined>();
  const tooShort = format === 'json' && withSecrets && passphrase.length < 8;
  const submit = async () => {
    try {
      const out = await call('transfer:export', {
        names: selected,
        format,
        ...(format === 'json' && withSecrets ? { passphrase } : {}),
        includeSecrets: format === 'server.xml' && clearSecrets,
      });
      download(
        out.fileName,
        out.content,
        format === 'json'
          ? 'application/json'
          : format === 'server.xml'
            ? 'application/xml'
            : 'text/plain',
      );
      if (format === 'server.xml' && (out.notes.length || out.requiredSecrets.length))
        setReport({ notes: out.notes, variables: out.requiredSecrets });
      else onClose();
    } catch (e) {
      setError(errorOf(e));
    }
  };
  if (report) {
    return (
      <NotesDialog
        title="server.xml exported"
        notesLabel="Export notes"
        intro="What did not map, and what the file expects elsewhere:"
        notes={report.notes}
        onClose={onClose}
      >
        {report.variables.length > 0 && (
          <Alert severity="info">
            Secrets are written as Liberty variables; set them in server.env or
            bootstrap.properties:{' '}
            {report.variables.map((v) => (
              <code key={v}>{v} </code>
            ))}
          </Alert>
        )}
      </NotesDialog>
    );
  }
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="export-title">
      <DialogTitle id="export-title">Export connections</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {error && <ErrorAlert error={error} />}
          <ToggleButtonGroup
            exclusive
            value={format}
            onChange={(_e, v: typeof format | null) => v && setFormat(v)}
            aria-label="Format"
            size="small"
          >
            <ToggleButton value="json">Tokensmith JSON</ToggleButton>
            <ToggleButton value="curl">curl commands</ToggleButton>
            <ToggleButton value="env">Environment file</ToggleButton>
            <ToggleButton value="server.xml">z/OS server.xml</ToggleButton>
          </ToggleButtonGroup>
          <Box
            sx={{
              maxHeight: 200,
              overflow: 'auto',
              border: 1,
              borderColor: 'divider',
              borderRadius: 1,
              px: 1,
            }}
          >
            {names.map((n) => (
              <FormControlLabel
                key={n}
                sx={{ display: 'flex' }}
                control={
                  <Checkbox
                    size="small"
                    checked={selected.includes(n)}
                    onChange={(e) =>
                      setSelected(
                        e.target.checked ? [...selected, n] : selected.filter((x) => x !== n),
                      )
                    }
                  />
                }
                label={n}
              />
            ))}
          </Box>
          {format === 'json' ? (
            <>
              <FormControlLabel
                control={
                  <Checkbox
                    checked={withSecrets}
                    onChange={(e) => setWithSecrets(e.target.checked)}
                  />
                }
                label="Include secrets, encrypted with a passphrase"
              />
              {withSecrets && (
                <TextField
                  type="password"
                  label="Passphrase"
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.target.value)}
                  error={tooShort && passphrase.length > 0}
                  helperText="At least 8 characters; needed again to import the file."
                  autoComplete="new-password"
                />
              )}
              {!withSecrets && (
                <Alert severity="info">
                  Secrets are left out; the file lists them so they can be entered after import.
                </Alert>
              )}
            </>
          ) : format === 'server.xml' ? (
            <>
              <Alert severity="info">
                z/OS Connect elements for client credentials and password connections. Secrets are
                written as Liberty variables unless you choose otherwise.
              </Alert>
              <FormControlLabel
                control={
                  <Checkbox
                    checked={clearSecrets}
                    onChange={(e) => setClearSecrets(e.target.checked)}
                  />
                }
                label="Write secrets in clear text (protect the file)"
              />
            </>
          ) : (
            <Alert severity="info">Secrets appear as environment variables, never as values.</Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          onClick={() => void submit()}
          disabled={selected.length === 0 || tooShort}
        >
          Export
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ImportDialog({ onClose }: { onClose: (message?: string) => void }) {
  const [content, setContent] = useState('');
  const [fileName, setFileName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [replace, setReplace] = useState(false);
  const [error, setError] = useState<ErrorData | undefined>();
  const [report, setReport] = useState<{ message: string; notes: string[] } | undefined>();
  const encrypted = /"secrets"\s*:/.test(content);
  const submit = async () => {
    setError(undefined);
    try {
      const out = await call('transfer:import', {
        content,
        replace,
        ...(passphrase ? { passphrase } : {}),
      });
      const missing = out.missingSecrets.length
        ? ` Secrets to enter: ${out.missingSecrets.length}.`
        : '';
      const message = `Imported ${out.imported.connections.length} connection(s), ${out.imported.keystores.length} keystore(s), ${out.imported.proxies.length} proxy alias(es).${missing}`;
      if (out.notes.length) setReport({ message, notes: out.notes });
      else onClose(message);
    } catch (e) {
      setError(errorOf(e));
    }
  };
  const problems = (error?.detail?.problems ?? []) as Array<{ pointer: string; message: string }>;
  if (report) {
    return (
      <NotesDialog
        title="server.xml imported"
        notesLabel="Import notes"
        intro="Not imported, or to finish in Tokensmith:"
        notes={report.notes}
        onClose={() => onClose(report.message)}
      >
        <Alert severity="success">{report.message}</Alert>
      </NotesDialog>
    );
  }
  return (
    <Dialog open onClose={() => onClose()} maxWidth="sm" fullWidth aria-labelledby="import-title">
      <DialogTitle id="import-title">Import connections</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <Button variant="outlined" component="label">
            {fileName ? `File: ${fileName}` : 'Choose a Tokensmith JSON file or a server.xml…'}
            <input
              hidden
              type="file"
              accept=".json,application/json,.xml,application/xml,text/xml"
              aria-label="Connections file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                setFileName(file.name);
                void file.text().then(setContent);
              }}
            />
          </Button>
          {encrypted && (
            <TextField
              type="password"
              label="Passphrase"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              autoComplete="off"
              helperText="The file holds encrypted secrets."
            />
          )}
          <FormControlLabel
            control={<Checkbox checked={replace} onChange={(e) => setReplace(e.target.checked)} />}
            label="Replace connections, keystores and proxies with the same name"
          />
          {error && problems.length === 0 && <ErrorAlert error={error} />}
          {problems.length > 0 && (
            <Alert severity="error" role="alert">
              Nothing was imported. Problems in the file:
              <Box component="ul" sx={{ m: 0, pl: 2 }}>
                {problems.map((p) => (
                  <li key={p.pointer + p.message}>
                    <code>{p.pointer || '/'}</code>: {p.message}
                  </li>
                ))}
              </Box>
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose()}>Cancel</Button>
        <Button variant="contained" onClick={() => void submit()} disabled={!content}>
          Import
        </Button>
      </DialogActions>
    </Dialog>
  );
}
