/**
 * The import dialog: file, passphrase, replace, then — when the file would use anything of the
 * user's (a keystore, a generated signing key, a proxy alias, an environment variable, a
 * keychain entry, a file on disk) — a review step that names each binding and what it would do.
 * Nothing is imported until every binding is ticked; the same request then goes again with the
 * binding IDs in `confirm`. A server.xml's notes follow the import.
 */
import { useState } from 'react';
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
} from '@mui/material';
import type { ErrorData } from '../../../shared/result.js';
import {
  secretsToFill,
  type ConfirmationDetail,
  type ImportBinding,
} from '../../../shared/transfer.js';
import { call, errorOf } from '../api.js';
import { BindingReview, toggled } from '../components/BindingReview.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { NotesDialog } from './TransferDialogs.js';

export function ImportDialog({ onClose }: { onClose: (message?: string) => void }) {
  const [content, setContent] = useState('');
  const [fileName, setFileName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [replace, setReplace] = useState(false);
  const [error, setError] = useState<ErrorData | undefined>();
  const [review, setReview] = useState<ImportBinding[] | undefined>();
  const [confirmed, setConfirmed] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<{ message: string; notes: string[] } | undefined>();
  const encrypted = /"secrets"\s*:/.test(content);
  // Another file, or replace turned on or off, asks for other bindings: review them again.
  const restart = () => {
    setReview(undefined);
    setConfirmed(new Set());
    setError(undefined);
  };
  const submit = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const out = await call('transfer:import', {
        content,
        replace,
        confirm: [...confirmed],
        ...(passphrase ? { passphrase } : {}),
      });
      const toFill = secretsToFill(out.missingSecrets, out.imported);
      const missing = toFill.length ? ` Secrets to enter: ${out.missingSecrets.length}.` : '';
      const message = `Imported ${out.imported.connections.length} connection(s), ${out.imported.keystores.length} keystore(s), ${out.imported.proxies.length} proxy alias(es).${missing}`;
      const notes = [...toFill.map((line) => `To fill in: ${line}`), ...out.notes];
      if (notes.length) setReport({ message, notes });
      else onClose(message);
    } catch (e) {
      const err = errorOf(e);
      if (err.code === 'confirmation_required') {
        setReview((err.detail as unknown as ConfirmationDetail).bindings);
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const problems = (error?.detail?.problems ?? []) as Array<{ pointer: string; message: string }>;
  if (report) {
    return (
      <NotesDialog
        title="Imported"
        notesLabel="Import notes"
        intro="To finish in Tokensmith:"
        notes={report.notes}
        onClose={() => onClose(report.message)}
      >
        <Alert severity="success">{report.message}</Alert>
      </NotesDialog>
    );
  }
  const allConfirmed = review !== undefined && review.every((b) => confirmed.has(b.id));
  return (
    <Dialog open onClose={() => onClose()} maxWidth="sm" fullWidth aria-labelledby="import-title">
      <DialogTitle id="import-title">
        {review ? 'Import connections — review' : 'Import connections'}
      </DialogTitle>
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
                restart();
                setContent(''); // nothing to import until the new file is read
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
            control={
              <Checkbox
                checked={replace}
                onChange={(e) => {
                  restart();
                  setReplace(e.target.checked);
                }}
              />
            }
            label="Replace connections, keystores and proxies with the same name"
          />
          {review && (
            <BindingReview
              bindings={review}
              confirmed={confirmed}
              onToggle={(id, on) => setConfirmed((was) => toggled(was, id, on))}
              titleId="import-review-title"
              title={`Nothing was imported yet: this file would use ${review.length} thing${review.length === 1 ? '' : 's'} of yours.`}
            >
              A file from someone else can sign with your keys, read your files or send your
              variables to its endpoints. Tick each one you allow; the import goes ahead only with
              all of them.
            </BindingReview>
          )}
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
        <Button
          variant="contained"
          onClick={() => void submit()}
          disabled={!content || busy || (review !== undefined && !allConfirmed)}
        >
          {review ? 'Allow and import' : 'Import'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
