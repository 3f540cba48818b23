/**
 * Export and import of connections: the export dialog (format, which connections, secrets), the
 * import dialog (file, passphrase, replace), and the notes of what did not map.
 */
import { useState, type ReactNode } from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
} from '@mui/material';
import type { ErrorData } from '../../../shared/result.js';
import { call, download, errorOf } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

/** What an export or import could not map, shown before the dialog closes. */
export function NotesDialog({
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
      <DialogContent tabIndex={0}>
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

export function ExportDialog({
  names,
  initial,
  onClose,
}: {
  names: string[];
  /** The connections ticked at first (all when not given). */
  initial?: string[];
  onClose: () => void;
}) {
  const [selected, setSelected] = useState<string[]>(initial ?? names);
  const [format, setFormat] = useState<'json' | 'curl' | 'env' | 'server.xml'>('json');
  const [withSecrets, setWithSecrets] = useState(false);
  const [clearSecrets, setClearSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<ErrorData | undefined>();
  const [report, setReport] = useState<{ notes: string[]; variables: string[] } | undefined>();
  const tooShort = format === 'json' && withSecrets && [...passphrase].length < 12;
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
                  helperText="At least 12 characters (several unrelated words are easy to remember); needed again to import the file."
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
