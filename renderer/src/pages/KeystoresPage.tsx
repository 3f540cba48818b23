import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Chip,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import type { KeystoreSummary } from '../../../shared/contract.js';
import type { KeystoreAliasInfo } from '../../../shared/certificate-info.js';
import type { ErrorData } from '../../../shared/result.js';
import { call, download, errorOf } from '../api.js';
import { useListing } from '../use-listing.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { GenerateDialog, ImportKeystoreDialog } from '../keystores/KeystoreDialogs.js';

const SOON_MS = 30 * 86_400_000;

function Expiry({ alias }: { alias: KeystoreAliasInfo }) {
  const c = alias.certificate;
  if (!c) return <>—</>;
  const left = Date.parse(c.notAfter) - Date.now();
  const date = new Date(c.notAfter).toLocaleDateString();
  if (c.expired) return <Chip size="small" color="error" label={`Expired ${date}`} />;
  if (left < SOON_MS) return <Chip size="small" color="warning" label={`Expires ${date}`} />;
  return <>{date}</>;
}

function AliasTable({
  store,
  onError,
}: {
  store: KeystoreSummary;
  onError: (e: ErrorData) => void;
}) {
  const exportCert = async (alias: string) => {
    try {
      const out = await call('keystores:exportCertificate', { name: store.name, alias });
      download(out.fileName, out.pem, 'application/x-pem-file');
    } catch (e) {
      onError(errorOf(e));
    }
  };
  return (
    <Table size="small" aria-label={`Aliases of ${store.name}`}>
      <TableHead>
        <TableRow>
          <TableCell>Alias</TableCell>
          <TableCell>Subject / Issuer</TableCell>
          <TableCell>Key</TableCell>
          <TableCell>Valid until</TableCell>
          <TableCell>x5t / x5t#S256</TableCell>
          <TableCell align="right" />
        </TableRow>
      </TableHead>
      <TableBody>
        {store.aliases.map((a) => (
          <TableRow key={a.alias}>
            <TableCell sx={{ fontWeight: 600 }}>
              {a.alias}
              {a.hasPrivateKey && (
                <Chip size="small" variant="outlined" label="private key" sx={{ ml: 1 }} />
              )}
            </TableCell>
            <TableCell sx={{ maxWidth: 260, overflowWrap: 'anywhere', fontSize: 13 }}>
              {a.certificate?.subject}
              <Typography variant="caption" component="div" color="text.secondary">
                issued by {a.certificate?.issuer} · serial{' '}
                {a.certificate?.serialNumber.slice(0, 16)}
                {(a.certificate?.serialNumber.length ?? 0) > 16 ? '…' : ''}
              </Typography>
            </TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              {a.certificate
                ? `${a.certificate.keyType} ${a.certificate.keySize ?? a.certificate.curve ?? ''}`
                : '—'}
            </TableCell>
            <TableCell>
              <Expiry alias={a} />
            </TableCell>
            <TableCell
              sx={{
                fontFamily: 'monospace',
                fontSize: 12,
                maxWidth: 280,
                overflowWrap: 'anywhere',
              }}
            >
              {a.certificate && (
                <>
                  <div title="x5t (SHA-1)">{a.certificate.x5t}</div>
                  <Box sx={{ color: 'text.secondary' }} title="x5t#S256 (SHA-256)">
                    {a.certificate.x5tS256}
                  </Box>
                </>
              )}
            </TableCell>
            <TableCell align="right">
              {a.certificate && (
                <Button
                  size="small"
                  onClick={() => void exportCert(a.alias)}
                  aria-label={`Export certificate of ${a.alias}`}
                >
                  Certificate
                </Button>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function KeystoresPage() {
  const { items: stores, error, setError, reload: load, act } = useListing('keystores:list');
  const [importing, setImporting] = useState(false);
  const [generating, setGenerating] = useState(false);

  return (
    <Stack spacing={2}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} alignItems={{ sm: 'center' }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Keystores &amp; Truststores
        </Typography>
        <Button variant="outlined" onClick={() => setGenerating(true)}>
          Generate Key Pair…
        </Button>
        <Button variant="contained" onClick={() => setImporting(true)}>
          Import Keystore…
        </Button>
      </Stack>
      {error && <ErrorAlert error={error} onClose={() => setError(undefined)} />}
      {stores?.length === 0 && (
        <Alert severity="info">
          No keystores yet. Import a PKCS#12, JKS or PEM file, or generate a key pair for a
          connection.
        </Alert>
      )}
      {stores?.map((s) => (
        <Paper
          key={s.name}
          variant="outlined"
          sx={{ p: 2 }}
          component="section"
          aria-label={`${s.purpose} ${s.name}`}
        >
          <Stack
            direction="row"
            spacing={1}
            alignItems="center"
            sx={{ mb: 1 }}
            flexWrap="wrap"
            useFlexGap
          >
            <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
              {s.name}
            </Typography>
            <Chip size="small" label={s.purpose === 'truststore' ? 'Truststore' : 'Keystore'} />
            <Chip size="small" variant="outlined" label={s.kind.toUpperCase()} />
            <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
              {s.fileName}
            </Typography>
            <Button
              size="small"
              onClick={() =>
                void act(async () => {
                  const out = await call('keystores:exportJwks', { name: s.name });
                  download(out.fileName, JSON.stringify(out.jwks, null, 2), 'application/json');
                })
              }
            >
              Export JWKS
            </Button>
            <Button
              size="small"
              color="error"
              onClick={() => void act(() => call('keystores:delete', { name: s.name }))}
              aria-label={`Delete ${s.name}`}
            >
              Delete
            </Button>
          </Stack>
          {s.error ? (
            <Stack spacing={1.5}>
              <ErrorAlert error={s.error} />
              {['keystore_password', 'keystore_corrupt', 'invalid_input'].includes(
                s.error.code,
              ) && <PassphraseForm name={s.name} onSaved={load} />}
            </Stack>
          ) : (
            <AliasTable store={s} onError={setError} />
          )}
        </Paper>
      ))}
      {importing && (
        <ImportKeystoreDialog
          onClose={() => {
            setImporting(false);
            load();
          }}
        />
      )}
      {generating && (
        <GenerateDialog
          onClose={() => {
            setGenerating(false);
            load();
          }}
        />
      )}
    </Stack>
  );
}

/** The passphrase of a keystore entered again: saved only if it opens the file. */
function PassphraseForm({ name, onSaved }: { name: string; onSaved: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ErrorData | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await call('keystores:setPassword', { name, password });
      setPassword('');
      onSaved();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack
      component="form"
      direction={{ xs: 'column', sm: 'row' }}
      spacing={1}
      alignItems={{ sm: 'flex-start' }}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <TextField
        type="password"
        label={`Passphrase of ${name}`}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoComplete="off"
        error={Boolean(error)}
        helperText={error?.message ?? 'Saved only if it opens the keystore.'}
        sx={{ maxWidth: 360 }}
      />
      <Button type="submit" variant="outlined" disabled={busy || password === ''}>
        Use this passphrase
      </Button>
    </Stack>
  );
}
