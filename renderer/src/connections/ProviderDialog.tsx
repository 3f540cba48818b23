/**
 * New Connection → "From a provider…" (issue 25): choose a provider profile, fill the few values
 * it asks for (tenant, domain, realm, region), the client fields it needs and, for the profiles
 * that sign, the provider's key file (a Google service-account key JSON, a certificate with its
 * key). The core builds the connection (`providers:build`); when it would use anything of the
 * user's (replacing one of their keystores…), the bindings are reviewed and ticked first, as for
 * an imported file.
 */
import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Link,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import type { ProviderView } from '../../../shared/providers/view.js';
import type { ErrorData } from '../../../shared/result.js';
import type { ConfirmationDetail, ImportBinding } from '../../../shared/transfer.js';
import { call, errorOf, fileToBase64 } from '../api.js';
import { BindingReview, toggled } from '../components/BindingReview.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

const VALUES = ['tenant', 'domain', 'realm', 'region'] as const;
type ValueName = (typeof VALUES)[number];

interface KeyFile {
  fileName: string;
  content: string;
  /** PKCS#12, or a PEM whose key is encrypted: its password is asked for. */
  needsPassword: boolean;
}

async function readKeyFile(file: File): Promise<KeyFile> {
  const content = await fileToBase64(file);
  const head = new TextDecoder().decode(await file.slice(0, 65_536).arrayBuffer());
  const pfx = /\.(p12|pfx)$/i.test(file.name) || !/-----BEGIN |^\s*\{/.test(head);
  return { fileName: file.name, content, needsPassword: pfx || /ENCRYPTED/.test(head) };
}

export function ProviderDialog({
  onClose,
}: {
  /** Closed: with a message and the new connection's ID once one is added. */
  onClose: (result?: { message: string; connectionId: string }) => void;
}) {
  const [profiles, setProfiles] = useState<ProviderView[]>([]);
  const [providerId, setProviderId] = useState('');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Partial<Record<ValueName, string>>>({});
  const [fields, setFields] = useState({ clientId: '', clientSecret: '', scope: '', subject: '' });
  const [keyFile, setKeyFile] = useState<KeyFile | undefined>();
  const [password, setPassword] = useState('');
  const [keystoreName, setKeystoreName] = useState('');
  const [replace, setReplace] = useState(false);
  const [review, setReview] = useState<ImportBinding[] | undefined>();
  const [confirmed, setConfirmed] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<ErrorData | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call('providers:list', {})
      .then((list) => {
        setProfiles(list);
        setProviderId((was) => was || (list[0]?.id ?? ''));
      })
      .catch((e: unknown) => setError(errorOf(e)));
  }, []);

  const profile = profiles.find((p) => p.id === providerId);
  // Another provider, file or replace asks for other bindings: review them again.
  const restart = () => {
    setReview(undefined);
    setConfirmed(new Set());
    setError(undefined);
  };
  const assertion = profile?.assertion;
  const signs = Boolean(profile?.credentials);
  const needsSecret = profile?.connection.authMethod.startsWith('client_secret') ?? false;
  const clientIdLabel =
    assertion?.iss === 'consumer_key'
      ? 'Consumer Key'
      : profile?.id === 'entra'
        ? 'Application (client) ID'
        : 'Client ID';

  const submit = async () => {
    if (!profile) return;
    setError(undefined);
    setBusy(true);
    try {
      const out = await call('providers:build', {
        provider: profile.id,
        name,
        values,
        ...(keyFile
          ? {
              keyFile: {
                fileName: keyFile.fileName,
                content: keyFile.content,
                ...(keyFile.needsPassword ? { password } : {}),
              },
            }
          : {}),
        ...(keystoreName ? { keystoreName } : {}),
        replace,
        confirm: [...confirmed],
        fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== '')),
      });
      const notes = out.notes.length ? ` ${out.notes.join(' ')}` : '';
      onClose({
        message: `Added "${out.connection.name}" from the ${profile.label} profile.${notes}`,
        connectionId: out.connection.id,
      });
    } catch (e) {
      const err = errorOf(e);
      if (err.code === 'confirmation_required')
        setReview((err.detail as unknown as ConfirmationDetail).bindings);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const missing =
    !profile ||
    !name.trim() ||
    VALUES.some((v) => profile.values[v]?.required && !values[v]?.trim()) ||
    (signs && !keyFile && profile.credentials === 'google_service_account');
  const allConfirmed = review === undefined || review.every((b) => confirmed.has(b.id));
  return (
    <Dialog open onClose={() => onClose()} maxWidth="sm" fullWidth aria-labelledby="provider-title">
      <DialogTitle id="provider-title">
        {review ? 'New connection from a provider — review' : 'New connection from a provider'}
      </DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            select
            label="Provider"
            value={providerId}
            onChange={(e) => {
              restart();
              setProviderId(e.target.value);
              setValues({});
              setKeyFile(undefined);
            }}
          >
            {profiles.map((p) => (
              <MenuItem key={p.id} value={p.id}>
                {p.label}
              </MenuItem>
            ))}
          </TextField>
          {profile && (
            <Typography variant="body2" color="text.secondary">
              Builds a {profile.connection.type.replace(/_/g, ' ')} connection.{' '}
              <Link href={profile.docs} target="_blank" rel="noreferrer">
                Provider documentation
              </Link>
            </Typography>
          )}
          <TextField label="Name" required value={name} onChange={(e) => setName(e.target.value)} />
          {profile &&
            VALUES.filter((v) => profile.values[v]).map((v) => {
              const spec = profile.values[v];
              return (
                <TextField
                  key={v}
                  label={spec?.label}
                  required={spec?.required}
                  placeholder={spec?.default ?? spec?.example}
                  helperText={spec?.help}
                  value={values[v] ?? ''}
                  onChange={(e) => setValues((was) => ({ ...was, [v]: e.target.value }))}
                />
              );
            })}
          {profile && profile.credentials !== 'google_service_account' && (
            <TextField
              label={clientIdLabel}
              value={fields.clientId}
              onChange={(e) => setFields((was) => ({ ...was, clientId: e.target.value }))}
            />
          )}
          {needsSecret && (
            <TextField
              type="password"
              label="Client Secret"
              autoComplete="off"
              value={fields.clientSecret}
              onChange={(e) => setFields((was) => ({ ...was, clientSecret: e.target.value }))}
            />
          )}
          {assertion?.sub === 'username' && (
            <TextField
              label="Username (the JWT's subject)"
              value={fields.subject}
              onChange={(e) => setFields((was) => ({ ...was, subject: e.target.value }))}
            />
          )}
          {profile && (
            <TextField
              label="Scope"
              placeholder={profile.connection.scope ?? ''}
              value={fields.scope}
              onChange={(e) => setFields((was) => ({ ...was, scope: e.target.value }))}
            />
          )}
          {signs && (
            <Button variant="outlined" component="label">
              {keyFile
                ? `Key file: ${keyFile.fileName}`
                : profile?.credentials === 'google_service_account'
                  ? 'Choose the service account key (JSON)…'
                  : 'Choose the certificate with its private key (PFX, P12 or PEM)…'}
              <input
                hidden
                type="file"
                accept={
                  profile?.credentials === 'google_service_account'
                    ? '.json,application/json'
                    : '.pfx,.p12,.pem,.key,.crt'
                }
                aria-label="Key file"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (!file) return;
                  restart();
                  setKeyFile(undefined);
                  void readKeyFile(file).then(setKeyFile);
                }}
              />
            </Button>
          )}
          {keyFile?.needsPassword && (
            <TextField
              type="password"
              label="Key file password"
              autoComplete="off"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
          {keyFile && (
            <>
              <TextField
                label="Keystore name"
                placeholder={name || 'the connection’s name'}
                value={keystoreName}
                onChange={(e) => {
                  restart();
                  setKeystoreName(e.target.value);
                }}
              />
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
                label="Replace a keystore with the same name"
              />
            </>
          )}
          {review && (
            <BindingReview
              bindings={review}
              confirmed={confirmed}
              onToggle={(id, on) => setConfirmed((was) => toggled(was, id, on))}
              titleId="provider-review-title"
              title={`Nothing was added yet: this connection would use ${review.length} thing${review.length === 1 ? '' : 's'} of yours.`}
            >
              Tick each one you allow; the connection is added only with all of them.
            </BindingReview>
          )}
          {error && <ErrorAlert error={error} />}
          {profile && profile.discovery.quirks.length > 0 && !review && (
            <Alert severity="info">
              {profile.discovery.quirks.map((q) => (
                <div key={q}>{q}</div>
              ))}
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose()}>Cancel</Button>
        <Button
          variant="contained"
          onClick={() => void submit()}
          disabled={missing || busy || !allConfirmed}
        >
          {review ? 'Allow and add' : 'Add'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
