import { useEffect, useState } from 'react';
import { Alert, Box, Button, MenuItem, Paper, Stack, TextField, Typography } from '@mui/material';
import type { DecodedJwt, JwtVerification } from '../../../shared/contract.js';
import type { ErrorData } from '../../../shared/result.js';
import { call, errorOf } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

const METHODS = [
  {
    value: 'jwks_uri',
    label: 'JWKS URI',
    placeholder: 'https://login.example.com/.well-known/jwks.json',
  },
  { value: 'certificate', label: 'Certificate (PEM)', placeholder: '-----BEGIN CERTIFICATE-----' },
  { value: 'public_key', label: 'Public key (PEM)', placeholder: '-----BEGIN PUBLIC KEY-----' },
  { value: 'secret', label: 'Shared secret (HS256)', placeholder: 'secret' },
] as const;

function Json({ title, value }: { title: string; value: unknown }) {
  return (
    <Paper variant="outlined" sx={{ p: 2, minWidth: 0 }} component="section" aria-label={title}>
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 1 }}>
        {title}
      </Typography>
      <Box
        component="pre"
        sx={{ m: 0, fontSize: 13, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
      >
        {JSON.stringify(value, null, 2)}
      </Box>
    </Paper>
  );
}

export function JwtInspectorPage({ initialToken }: { initialToken: string }) {
  const [token, setToken] = useState(initialToken);
  const [decoded, setDecoded] = useState<DecodedJwt | undefined>();
  const [error, setError] = useState<ErrorData | undefined>();
  const [method, setMethod] = useState<(typeof METHODS)[number]['value']>('jwks_uri');
  const [value, setValue] = useState('');
  const [issuer, setIssuer] = useState('');
  const [audience, setAudience] = useState('');
  const [verification, setVerification] = useState<JwtVerification | undefined>();

  useEffect(() => {
    setVerification(undefined);
    if (!token.trim()) {
      setDecoded(undefined);
      setError(undefined);
      return;
    }
    call('jwt:decode', { token }).then(
      (d) => {
        setDecoded(d);
        setError(undefined);
      },
      (e: unknown) => {
        setDecoded(undefined);
        setError(errorOf(e));
      },
    );
  }, [token]);

  const verify = async () => {
    try {
      setVerification(await call('jwt:verify', { token, method, value, issuer, audience }));
      setError(undefined);
    } catch (e) {
      setError(errorOf(e));
    }
  };

  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        JWT Inspector
      </Typography>
      <TextField
        label="Token"
        value={token}
        onChange={(e) => setToken(e.target.value)}
        multiline
        minRows={3}
        placeholder="Paste a JWT"
        slotProps={{ input: { sx: { fontFamily: 'monospace', fontSize: 13 } } }}
      />
      {error && <ErrorAlert error={error} />}
      {decoded && (
        <>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 2fr' }, gap: 2 }}>
            <Json title="Header" value={decoded.header} />
            <Json title="Claims" value={decoded.payload} />
          </Box>
          {Object.keys(decoded.times).length > 0 && (
            <Paper variant="outlined" sx={{ p: 2 }}>
              {Object.entries(decoded.times).map(([k, v]) => (
                <Typography key={k} variant="body2">
                  <strong>{k}</strong>: {new Date(v).toLocaleString()} ({v})
                </Typography>
              ))}
            </Paper>
          )}
          <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label="Verify">
            <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 1.5 }}>
              Verify
            </Typography>
            <Box
              sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '220px 1fr' }, gap: 2 }}
            >
              <TextField
                select
                label="Verify with"
                value={method}
                onChange={(e) => setMethod(e.target.value as typeof method)}
              >
                {METHODS.map((m) => (
                  <MenuItem key={m.value} value={m.value}>
                    {m.label}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                label={METHODS.find((m) => m.value === method)?.label}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                multiline={method === 'certificate' || method === 'public_key'}
                minRows={1}
                placeholder={METHODS.find((m) => m.value === method)?.placeholder}
                type={method === 'secret' ? 'password' : 'text'}
              />
              <Box
                sx={{
                  gridColumn: '1 / -1',
                  display: 'grid',
                  gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' },
                  gap: 2,
                }}
              >
                <TextField
                  label="Expected issuer (optional)"
                  value={issuer}
                  onChange={(e) => setIssuer(e.target.value)}
                />
                <TextField
                  label="Expected audience (optional)"
                  value={audience}
                  onChange={(e) => setAudience(e.target.value)}
                />
              </Box>
            </Box>
            <Button
              variant="contained"
              sx={{ mt: 2 }}
              onClick={() => void verify()}
              disabled={!value}
            >
              Verify
            </Button>
            {verification && (
              <Stack spacing={0.5} sx={{ mt: 2 }}>
                <Alert severity={verification.valid ? 'success' : 'error'}>
                  {verification.valid ? 'Valid' : 'Not valid'}
                </Alert>
                {verification.checks.map((c) => (
                  <Alert
                    key={c.name}
                    severity={c.ok ? 'success' : 'error'}
                    variant="outlined"
                    sx={{ py: 0 }}
                  >
                    <strong>{c.name}</strong>: {c.message}
                  </Alert>
                ))}
              </Stack>
            )}
          </Paper>
        </>
      )}
    </Stack>
  );
}
