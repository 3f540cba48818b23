/**
 * The z/OS Connect parts of the Configure Connection dialog: the JWT from an authentication
 * server (`zosconnect_authToken`) and the generated signing keys of a JWT builder (`jwkEnabled`)
 * with their JWKS and the server that publishes it.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import {
  Alert,
  Box,
  Button,
  Chip,
  CircularProgress,
  FormControlLabel,
  Link,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import type { JwkServerStatus, SigningKeysView } from '../../../shared/contract.js';
import type { ErrorData } from '../../../shared/result.js';
import { call, download, errorOf } from '../api.js';
import { ErrorAlert } from './ErrorAlert.js';

export const full = { gridColumn: '1 / -1' };

/**
 * What a JWT builder publishes at its JWK API: with `generated`, the keys Tokensmith generates
 * (rotate them here); otherwise the public key of the keystore alias the connection signs with.
 * View and export the JWKS, serve it.
 */
export function SigningKeysPanel({
  builderId,
  generated,
  reloadKey,
}: {
  builderId: string;
  generated: boolean;
  /** Reloads the view when it changes (the draft's keystore and alias, a save). */
  reloadKey?: string;
}) {
  const [view, setView] = useState<SigningKeysView | undefined>();
  const [server, setServer] = useState<JwkServerStatus | undefined>();
  const [port, setPort] = useState('');
  const [error, setError] = useState<ErrorData | undefined>();
  const [busy, setBusy] = useState(false);
  const [showJwks, setShowJwks] = useState(false);

  const load = useCallback(async () => {
    if (!builderId) return;
    try {
      const [keys, status] = await Promise.all([
        call('signingKeys:get', { builderId }),
        call('jwkServer:status', {}),
      ]);
      setView(keys);
      setServer(status);
      setPort(String(status.port));
    } catch (e) {
      setError(errorOf(e));
    }
  }, [builderId]);
  useEffect(() => {
    void load();
  }, [load, reloadKey]);

  const act = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await run();
      await load();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (!builderId) {
    return (
      <Alert severity="info" sx={full}>
        Enter a JWT builder ID: it names the key set and its JWKS URL.
      </Alert>
    );
  }
  const jwksText = view ? JSON.stringify(view.jwks, null, 2) : '';
  const serving = server?.running ?? false;
  const generatedKids = new Set(view?.keys.map((k) => k.kid));
  const fromKeystores = view?.published.filter((p) => !generatedKids.has(p.kid)) ?? [];
  const hasKeys = (view?.jwks.keys.length ?? 0) > 0;
  return (
    <Box sx={full} role="region" aria-label={generated ? 'Signing keys' : 'Published key'}>
      <Stack spacing={1.5}>
        {!generated && view && fromKeystores.length === 0 && view.problems.length === 0 && (
          <Alert severity="info">
            Once the connection is saved, the public key of its Signing Alias is published at the
            builder’s JWKS URL, as z/OS Connect does for keyStoreRef/keyAlias.
          </Alert>
        )}
        {generated && view && view.keys.length === 0 && (
          <Alert severity="info">
            No key yet for “{builderId}”. Saving the connection generates one, or generate it now.
          </Alert>
        )}
        {view && view.keys.length > 0 && (
          <Stack spacing={0.5}>
            {view.keys.map((k) => (
              <Stack key={k.kid} direction="row" spacing={1} alignItems="center" flexWrap="wrap">
                <Chip
                  size="small"
                  color={k.signing ? 'success' : 'default'}
                  label={k.signing ? 'signing' : 'previous, still published'}
                />
                <Typography
                  variant="body2"
                  sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
                >
                  {k.algorithm} kid {k.kid}
                </Typography>
                <Typography variant="body2" color="text.secondary">
                  created {new Date(k.createdAt).toLocaleString()}
                </Typography>
              </Stack>
            ))}
          </Stack>
        )}
        {fromKeystores.map((p) => (
          <Stack key={p.kid} direction="row" spacing={1} alignItems="center" flexWrap="wrap">
            <Chip size="small" color="success" label="keystore" />
            <Typography variant="body2" sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
              kid {p.kid}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {p.source}
            </Typography>
          </Stack>
        ))}
        {view?.problems.map((problem) => (
          <Alert key={problem} severity="warning">
            {problem}
          </Alert>
        ))}
        {view && (
          <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
            JWKS URL: <code>{view.jwksUrl}</code>{' '}
            {serving ? (
              <Chip size="small" color="success" label="served" />
            ) : (
              <Chip size="small" label="not served" />
            )}
            <br />
            Default issuer: <code>{view.issuer}</code>
          </Typography>
        )}
        <Stack direction="row" spacing={1} flexWrap="wrap" useFlexGap>
          {generated && (
            <Button
              variant="outlined"
              disabled={busy}
              onClick={() => void act(() => call('signingKeys:rotate', { builderId }))}
              startIcon={
                busy ? <CircularProgress size={16} color="inherit" aria-hidden /> : undefined
              }
            >
              {view?.keys.length ? 'Rotate key' : 'Generate key'}
            </Button>
          )}
          <Button disabled={!hasKeys} onClick={() => setShowJwks((s) => !s)}>
            {showJwks ? 'Hide JWKS' : 'Show JWKS'}
          </Button>
          <Button
            disabled={!hasKeys}
            onClick={() => download(`${builderId}.jwks.json`, jwksText + '\n', 'application/json')}
          >
            Export JWKS
          </Button>
        </Stack>
        {showJwks && view && (
          <Box
            component="pre"
            tabIndex={0}
            aria-label="JWKS"
            sx={{
              m: 0,
              p: 1.5,
              fontSize: 12,
              bgcolor: 'action.hover',
              borderRadius: 1,
              whiteSpace: 'pre-wrap',
              overflowWrap: 'anywhere',
              maxHeight: 300,
              overflow: 'auto',
            }}
          >
            {jwksText}
          </Box>
        )}
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} alignItems={{ sm: 'center' }}>
          <FormControlLabel
            control={
              <Switch
                checked={server?.enabled ?? false}
                disabled={busy || !server}
                onChange={(e) =>
                  void act(() =>
                    call('jwkServer:configure', { enabled: e.target.checked, port: Number(port) }),
                  )
                }
              />
            }
            label="Serve the JWKS while Tokensmith runs (127.0.0.1 only)"
          />
          <TextField
            label="JWKS port"
            size="small"
            type="number"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            sx={{ width: 130 }}
          />
          <Button
            size="small"
            disabled={busy || !server || String(server.port) === port}
            onClick={() =>
              void act(() =>
                call('jwkServer:configure', {
                  enabled: server?.enabled ?? false,
                  port: Number(port),
                }),
              )
            }
          >
            Apply port
          </Button>
        </Stack>
        {server?.error && <ErrorAlert error={server.error} />}
        <Typography variant="caption" color="text.secondary">
          {generated
            ? `${view?.nextRotationAt ? `The key is replaced automatically at ${new Date(view.nextRotationAt).toLocaleString()} (checked when it signs or its JWKS is fetched). ` : ''}After a rotation, servers that cached the JWKS (often for minutes) accept the new key once they fetch it again; the previous key stays published until the next rotation.`
            : 'The JWKS is built from the saved connections: save to publish a changed Signing Alias.'}{' '}
          {serving && view && (
            <Link href={view.jwksUrl} target="_blank" rel="noreferrer">
              Open the JWKS
            </Link>
          )}
        </Typography>
        {error && <ErrorAlert error={error} onClose={() => setError(undefined)} />}
      </Stack>
    </Box>
  );
}

export function Hint({ children }: { children: ReactNode }) {
  return (
    <Typography variant="body2" color="text.secondary" sx={full}>
      {children}
    </Typography>
  );
}
