import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
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
import { call, download, errorOf, fileToBase64 } from '../api.js';
import { useListing } from '../use-listing.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

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
          {s.error ? <ErrorAlert error={s.error} /> : <AliasTable store={s} onError={setError} />}
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

function ImportKeystoreDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [purpose, setPurpose] = useState<'keystore' | 'truststore'>('keystore');
  const [file, setFile] = useState<File | undefined>();
  const [certFile, setCertFile] = useState<File | undefined>();
  const [password, setPassword] = useState('');
  const [keyPassword, setKeyPassword] = useState('');
  const [error, setError] = useState<ErrorData | undefined>();
  const [busy, setBusy] = useState(false);
  const isPem = /\.(pem|key)$/i.test(file?.name ?? '');
  const isJks = /\.(jks|keystore|ks)$/i.test(file?.name ?? '');
  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      await call('keystores:import', {
        name: name || file.name.replace(/\.[^.]+$/, ''),
        purpose,
        fileName: file.name,
        content: await fileToBase64(file),
        ...(certFile
          ? { certificateFileName: certFile.name, certificateContent: await fileToBase64(certFile) }
          : {}),
        password,
        ...(isJks && keyPassword ? { keyPasswords: { '*': keyPassword } } : {}),
      });
      onClose();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="import-keystore-title">
      <DialogTitle id="import-keystore-title">Import keystore</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <Button variant="outlined" component="label">
            {file ? `File: ${file.name}` : 'Choose a .p12, .pfx, .jks or .pem file…'}
            <input
              hidden
              type="file"
              accept=".p12,.pfx,.jks,.keystore,.pem,.key,.crt,.cer"
              aria-label="Keystore file"
              onChange={(e) => setFile(e.target.files?.[0])}
            />
          </Button>
          {isPem && (
            <Button variant="outlined" component="label">
              {certFile
                ? `Certificate chain: ${certFile.name}`
                : 'Certificate chain file (if not in the key file)…'}
              <input
                hidden
                type="file"
                accept=".pem,.crt,.cer"
                aria-label="Certificate chain file"
                onChange={(e) => setCertFile(e.target.files?.[0])}
              />
            </Button>
          )}
          <TextField
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={file?.name.replace(/\.[^.]+$/, '') ?? ''}
            helperText="The Keystore Name connections refer to."
          />
          <TextField
            select
            label="Use"
            value={purpose}
            onChange={(e) => setPurpose(e.target.value as 'keystore' | 'truststore')}
          >
            <MenuItem value="keystore">Keystore (signing keys, client certificates)</MenuItem>
            <MenuItem value="truststore">Truststore (CAs trusted for TLS)</MenuItem>
          </TextField>
          <TextField
            type="password"
            label={isPem ? 'Key passphrase (if encrypted)' : 'Keystore password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="off"
            error={error?.code === 'keystore_password'}
          />
          {isJks && (
            <TextField
              type="password"
              label="Key password (if different from the store password)"
              value={keyPassword}
              onChange={(e) => setKeyPassword(e.target.value)}
              autoComplete="off"
            />
          )}
          {error && <ErrorAlert error={error} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={() => void submit()} disabled={!file || busy}>
          Import
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function GenerateDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [subject, setSubject] = useState('CN=tokensmith-signing');
  const [algorithm, setAlgorithm] = useState<
    'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'EC-P256' | 'EC-P384' | 'EC-P521'
  >('RSA-2048');
  const [days, setDays] = useState('730');
  const [error, setError] = useState<ErrorData | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await call('keystores:generate', { name, subject, algorithm, validityDays: Number(days) });
      onClose();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="generate-title">
      <DialogTitle id="generate-title">Generate key pair and self-signed certificate</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            label="Keystore Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
          />
          <TextField
            label="Subject"
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
            helperText="A distinguished name, e.g. CN=my-app, O=Example"
          />
          <TextField
            select
            label="Key type"
            value={algorithm}
            onChange={(e) => setAlgorithm(e.target.value as typeof algorithm)}
          >
            {['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P256', 'EC-P384', 'EC-P521'].map((a) => (
              <MenuItem key={a} value={a}>
                {a}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            type="number"
            label="Valid for (days)"
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
          <Alert severity="info">
            Then export its certificate or JWKS and register it at the provider.
          </Alert>
          {error && <ErrorAlert error={error} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={() => void submit()} disabled={!name || busy}>
          Generate
        </Button>
      </DialogActions>
    </Dialog>
  );
}
