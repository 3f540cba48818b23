/** The Keystores page's dialogs: import a keystore (checked before anything is saved), generate a key pair. */
import { useState } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
} from '@mui/material';
import type { ErrorData } from '../../../shared/result.js';
import { call, errorOf, fileToBase64 } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

export function ImportKeystoreDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [purpose, setPurpose] = useState<'keystore' | 'truststore'>('keystore');
  const [file, setFile] = useState<File | undefined>();
  const [certFile, setCertFile] = useState<File | undefined>();
  const [password, setPassword] = useState('');
  const [keyPassword, setKeyPassword] = useState('');
  const [error, setError] = useState<ErrorData | undefined>();
  const [busy, setBusy] = useState(false);
  // A PKCS#11 token (HSM, smart card): its RFC 7512 URI, the module that speaks to it, its PIN.
  const [onToken, setOnToken] = useState(false);
  const [uri, setUri] = useState('');
  const [module, setModule] = useState('');
  const isPem = /\.(pem|key)$/i.test(file?.name ?? '');
  const isJks = /\.(jks|keystore|ks)$/i.test(file?.name ?? '');
  const submit = async () => {
    if (onToken ? !uri || !module || !name : !file) return;
    setBusy(true);
    setError(undefined);
    try {
      if (onToken)
        await call('keystores:import', {
          name,
          purpose: 'keystore',
          kind: 'pkcs11',
          fileName: uri,
          content: '',
          uri,
          module,
          password,
        });
      else if (file)
        await call('keystores:import', {
          name: name || file.name.replace(/\.[^.]+$/, ''),
          purpose,
          fileName: file.name,
          content: await fileToBase64(file),
          ...(certFile
            ? {
                certificateFileName: certFile.name,
                certificateContent: await fileToBase64(certFile),
              }
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
          <TextField
            select
            label="Keys in"
            value={onToken ? 'token' : 'file'}
            onChange={(e) => setOnToken(e.target.value === 'token')}
          >
            <MenuItem value="file">A file (PKCS#12, JKS, PEM)</MenuItem>
            <MenuItem value="token">
              A PKCS#11 token (HSM, smart card): the key never leaves it
            </MenuItem>
          </TextField>
          {onToken && (
            <>
              <TextField
                label="Token URI"
                required
                value={uri}
                onChange={(e) => setUri(e.target.value)}
                placeholder="pkcs11:token=prod-hsm;object=signing"
                helperText="RFC 7512; object= picks one key, without it every key and certificate is an alias."
                slotProps={{ htmlInput: { spellCheck: false } }}
              />
              <TextField
                label="PKCS#11 module"
                required
                value={module}
                onChange={(e) => setModule(e.target.value)}
                placeholder="/usr/lib/softhsm/libsofthsm2.so"
                helperText="The library that speaks to the token (it runs inside Tokensmith)."
                slotProps={{ htmlInput: { spellCheck: false } }}
              />
            </>
          )}
          <Button
            variant="outlined"
            component="label"
            sx={{ display: onToken ? 'none' : undefined }}
          >
            {file ? `File: ${file.name}` : 'Choose a .p12, .pfx, .jks or .pem file…'}
            <input
              hidden
              type="file"
              accept=".p12,.pfx,.jks,.keystore,.pem,.key,.crt,.cer"
              aria-label="Keystore file"
              onChange={(e) => setFile(e.target.files?.[0])}
            />
          </Button>
          {isPem && !onToken && (
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
            disabled={onToken}
            value={onToken ? 'keystore' : purpose}
            onChange={(e) => setPurpose(e.target.value as 'keystore' | 'truststore')}
          >
            <MenuItem value="keystore">Keystore (signing keys, client certificates)</MenuItem>
            <MenuItem value="truststore">Truststore (CAs trusted for TLS)</MenuItem>
          </TextField>
          <TextField
            type="password"
            label={
              onToken ? 'Token PIN' : isPem ? 'Key passphrase (if encrypted)' : 'Keystore password'
            }
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
        <Button
          variant="contained"
          onClick={() => void submit()}
          disabled={(onToken ? !uri || !module || !name : !file) || busy}
        >
          Import
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function GenerateDialog({ onClose }: { onClose: () => void }) {
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
