import { memo, useEffect, useRef, useState } from 'react';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Button,
  Chip,
  CircularProgress,
  FormControlLabel,
  MenuItem,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import type { ApiCallView } from '../../../shared/contract.js';
import type { ErrorData } from '../../../shared/result.js';
import { ApiError, call, errorOf, newRequestId } from '../api.js';
import { ErrorAlert } from './ErrorAlert.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

type Method = (typeof METHODS)[number];
interface SentCall {
  method: Method;
  url: string;
  headers: string;
  body: string;
  status?: number;
}
/**
 * The calls sent in this session, per connection, newest first: the panel opens on the last one
 * and offers the others. Memory only: a URL or a header can hold a key, and nothing typed here
 * is written to disk.
 */
const sessionCalls = new Map<string, SentCall[]>();

/**
 * Try API: call a URL with the connection's token; one retry on 401 invalid_token (or any 401).
 * Memoised: a token request elsewhere on the page does not re-render (and re-measure) its fields.
 */
export const TryApiPanel = memo(function TryApiPanel({
  connection,
  historyKey,
  baseUrl = '',
  retryCheckLevel = 0,
}: {
  connection: () => unknown;
  /** Whose calls these are (the connection): the panel opens on its last call. */
  historyKey: string;
  /** The connection's API base URL: the URL starts from it. */
  baseUrl?: string;
  /** The connection's retry-check level: the switch starts from it. */
  retryCheckLevel?: number;
}) {
  const last = sessionCalls.get(historyKey)?.[0];
  const [recent, setRecent] = useState<SentCall[]>(() => sessionCalls.get(historyKey) ?? []);
  const [method, setMethod] = useState<Method>(last?.method ?? 'GET');
  const [url, setUrl] = useState(last?.url ?? baseUrl);
  const [headers, setHeaders] = useState(last?.headers ?? '');
  const [body, setBody] = useState(last?.body ?? '');
  const remember = (status: number | undefined) => {
    const sent: SentCall = { method, url, headers, body, ...(status ? { status } : {}) };
    const calls = [
      sent,
      ...recent.filter((c) => c.method !== method || c.url !== url || c.headers !== headers),
    ].slice(0, 10);
    sessionCalls.set(historyKey, calls);
    setRecent(calls);
  };
  const [anyUnauthorized, setAnyUnauthorized] = useState(retryCheckLevel === 1);
  // Follow the connection's base URL and level while the user has not changed them here.
  const followed = useRef({ baseUrl, retryCheckLevel });
  useEffect(() => {
    if (url === followed.current.baseUrl) setUrl(baseUrl);
    if (anyUnauthorized === (followed.current.retryCheckLevel === 1))
      setAnyUnauthorized(retryCheckLevel === 1);
    followed.current = { baseUrl, retryCheckLevel };
  }, [baseUrl, retryCheckLevel]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ApiCallView | undefined>();
  const [error, setError] = useState<ErrorData | undefined>();

  const send = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const parsed = headers
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
          const colon = l.indexOf(':');
          if (colon <= 0)
            throw new ApiError({
              code: 'invalid_input',
              message: `A header is "Name: value", not "${l}".`,
              field: 'headers',
            });
          return { name: l.slice(0, colon).trim(), value: l.slice(colon + 1).trim() };
        });
      const answer = await call('api:call', {
        requestId: newRequestId(),
        connection: connection(),
        method,
        url,
        headers: parsed,
        ...(method !== 'GET' && method !== 'HEAD' ? { body } : {}),
        retryCheckLevel: anyUnauthorized ? 1 : 0,
      });
      setResult(answer);
      remember(answer.status);
    } catch (e) {
      setError(errorOf(e));
      remember(undefined);
    } finally {
      setBusy(false);
    }
  };

  const ok = result && result.status >= 200 && result.status < 300;
  return (
    <Box component="section" aria-label="Try API">
      <Stack spacing={2}>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={1}>
          <TextField
            select
            label="Method"
            value={method}
            onChange={(e) => setMethod(e.target.value as Method)}
            sx={{ flex: { md: '0 0 130px' } }}
          >
            {METHODS.map((m) => (
              <MenuItem key={m} value={m}>
                {m}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="API URL"
            name="apiUrl"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://api.example.com/v1/resource"
            sx={{ flex: 1 }}
          />
          <Button
            variant="contained"
            onClick={() => void send()}
            disabled={!url || busy}
            startIcon={
              busy ? <CircularProgress size={16} color="inherit" aria-hidden /> : undefined
            }
          >
            Send
          </Button>
        </Stack>
        {recent.length > 1 && (
          <TextField
            select
            label="Recent calls (this session)"
            value=""
            onChange={(e) => {
              const chosen = recent[Number(e.target.value)];
              if (!chosen) return;
              setMethod(chosen.method);
              setUrl(chosen.url);
              setHeaders(chosen.headers);
              setBody(chosen.body);
            }}
          >
            {recent.map((c, i) => (
              <MenuItem key={`${c.method} ${c.url} ${i}`} value={String(i)}>
                {c.method} {c.url}
                {c.status ? ` — HTTP ${c.status}` : ' — failed'}
              </MenuItem>
            ))}
          </TextField>
        )}
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2 }}>
          <TextField
            label="Headers (one per line, Name: value)"
            value={headers}
            onChange={(e) => setHeaders(e.target.value)}
            multiline
            minRows={2}
            slotProps={{ input: { sx: { fontFamily: 'monospace', fontSize: 13 } } }}
          />
          {method !== 'GET' && method !== 'HEAD' ? (
            <TextField
              label="Body"
              value={body}
              onChange={(e) => setBody(e.target.value)}
              multiline
              minRows={2}
              slotProps={{ input: { sx: { fontFamily: 'monospace', fontSize: 13 } } }}
            />
          ) : (
            <Box />
          )}
        </Box>
        <FormControlLabel
          control={
            <Switch
              checked={anyUnauthorized}
              onChange={(e) => setAnyUnauthorized(e.target.checked)}
            />
          }
          label="Retry on any 401 (retry-check level 1); otherwise only when WWW-Authenticate says invalid_token"
        />
        {error && <ErrorAlert error={error} onClose={() => setError(undefined)} />}
        {result && (
          <Stack spacing={1} aria-label="API response" role="region">
            <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap" useFlexGap>
              <Chip color={ok ? 'success' : 'error'} label={`HTTP ${result.status}`} />
              <Typography variant="body2" color="text.secondary">
                {result.durationMs} ms · token{' '}
                {result.tokenSource === 'cache'
                  ? 'from the cache'
                  : result.tokenSource === 'refresh'
                    ? 'refreshed'
                    : 'new'}
                {result.authTokenHeader
                  ? ` · JWT in ${result.authTokenHeader} (${result.authTokenSource === 'cache' ? 'from the cache' : 'new'})`
                  : ''}
                {result.attempts > 1
                  ? ` · retried once with ${result.authTokenHeader ? 'new tokens' : 'a new token'}`
                  : ''}
              </Typography>
            </Stack>
            <Accordion disableGutters variant="outlined">
              <AccordionSummary>
                <Typography variant="body2">Response headers</Typography>
              </AccordionSummary>
              <AccordionDetails>
                <Box component="pre" sx={{ m: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}>
                  {Object.entries(result.headers)
                    .map(([k, v]) => `${k}: ${v}`)
                    .join('\n')}
                </Box>
              </AccordionDetails>
            </Accordion>
            <Box
              component="pre"
              tabIndex={0}
              aria-label="Response body"
              sx={{
                m: 0,
                p: 1.5,
                fontSize: 13,
                bgcolor: 'action.hover',
                borderRadius: 1,
                whiteSpace: 'pre-wrap',
                overflowWrap: 'anywhere',
                maxHeight: 400,
                overflow: 'auto',
              }}
            >
              {pretty(result.body) || '(empty body)'}
            </Box>
          </Stack>
        )}
      </Stack>
    </Box>
  );
});
