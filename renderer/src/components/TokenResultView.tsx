/**
 * A token response as the Connection Groups fields show it (CloudStreams populates them after a
 * successful response): access token, token type, expiry in words (exact on hover), refresh
 * token, scope, id_token and every other member the server returned; warnings, the check of
 * the assertion that was sent, and the exchange with secrets masked.
 */
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Alert,
  Box,
  Stack,
  Typography,
} from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import CheckIcon from '@mui/icons-material/CheckCircleOutline';
import ErrorIcon from '@mui/icons-material/ErrorOutline';
import InfoIcon from '@mui/icons-material/InfoOutlined';
import WarningIcon from '@mui/icons-material/WarningAmber';
import type { TokenRun } from '../../../shared/contract.js';
import type { AssertionCheck } from '../../../shared/assertion-check.js';
import { MONO } from '../theme.js';
import { relativeTime, useNow } from './TimeText.js';
import { ValueField } from './ValueField.js';

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;
const KNOWN = new Set([
  'access_token',
  'token_type',
  'expires_in',
  'refresh_token',
  'scope',
  'id_token',
]);

const FINDING_ICONS = {
  ok: <CheckIcon fontSize="small" color="success" titleAccess="ok" />,
  info: <InfoIcon fontSize="small" color="info" titleAccess="note" />,
  warning: <WarningIcon fontSize="small" color="warning" titleAccess="warning" />,
  error: <ErrorIcon fontSize="small" color="error" titleAccess="error" />,
} as const;

export function AssertionCheckView({ check }: { check: AssertionCheck }) {
  return (
    <Box component="section" aria-label="Assertion check">
      <Typography variant="subtitle2" gutterBottom>
        Assertion check
      </Typography>
      <Stack spacing={0.5} component="ul" sx={{ m: 0, p: 0, listStyle: 'none' }}>
        {check.findings.map((f) => (
          <Stack key={f.code} component="li" direction="row" spacing={1} alignItems="flex-start">
            {FINDING_ICONS[f.level]}
            <Typography variant="body2">{f.message}</Typography>
          </Stack>
        ))}
        {check.findings.length === 0 && <Typography variant="body2">Nothing to report.</Typography>}
      </Stack>
    </Box>
  );
}

/** A token exchange's chain (RFC 8693): where each token came from and what it says. */
function ChainView({ chain }: { chain: NonNullable<TokenRun['chain']> }) {
  return (
    <Box component="section" aria-label="Token chain">
      <Typography variant="subtitle2" gutterBottom>
        Token chain
      </Typography>
      <Stack spacing={1} component="ol" sx={{ m: 0, pl: 2.5 }}>
        {chain.map((hop, i) => (
          <Box component="li" key={i}>
            <Typography variant="body2">
              <strong>{hop.role}</strong>
              {hop.connection
                ? ` from “${hop.connection}”`
                : hop.source === 'pasted'
                  ? ' (pasted)'
                  : ''}
              {hop.tokenType ? ` — ${hop.tokenType}` : ''}
              {hop.source && hop.source !== 'pasted' ? ` (${hop.source})` : ''}
            </Typography>
            {hop.claims && (
              <Box
                component="pre"
                tabIndex={0}
                sx={{
                  m: 0,
                  mt: 0.5,
                  fontFamily: MONO,
                  fontSize: 12,
                  whiteSpace: 'pre-wrap',
                  overflowWrap: 'anywhere',
                  bgcolor: 'action.hover',
                  p: 1,
                  borderRadius: 1,
                  maxHeight: 180,
                  overflow: 'auto',
                }}
              >
                {JSON.stringify(hop.claims, null, 2)}
              </Box>
            )}
          </Box>
        ))}
      </Stack>
    </Box>
  );
}

export function ExchangesView({ result }: { result: TokenRun }) {
  if (result.exchanges.length === 0) return null;
  return (
    <Accordion variant="outlined">
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography variant="body2">Request and response (secrets masked)</Typography>
      </AccordionSummary>
      <AccordionDetails>
        {result.exchanges.map((x, i) => (
          <Box
            key={i}
            component="pre"
            sx={{
              fontFamily: MONO,
              fontSize: 12,
              whiteSpace: 'pre-wrap',
              overflowWrap: 'anywhere',
              m: 0,
            }}
          >
            {`${x.request.method} ${x.request.url}\n${Object.entries(x.request.headers)
              .map(([k, v]) => `${k}: ${v}`)
              .join('\n')}\n\n${x.request.body ?? ''}\n\n`}
            {x.response
              ? `HTTP ${x.response.status} (${x.durationMs ?? '?'} ms)\n${x.response.body}`
              : x.error}
          </Box>
        ))}
      </AccordionDetails>
    </Accordion>
  );
}

export function TokenResultView({
  result,
  onInspect,
}: {
  result: TokenRun;
  onInspect: (token: string) => void;
}) {
  const now = useNow();
  const others = Object.entries(result.fields).filter(([k]) => !KNOWN.has(k));
  const inspect = (v: string | undefined) =>
    v && JWT_SHAPE.test(v) ? () => onInspect(v) : undefined;
  const expires = result.expiresAt
    ? Date.parse(result.expiresAt) <= now
      ? `expired ${relativeTime(result.expiresAt, now)}`
      : relativeTime(result.expiresAt, now)
    : 'not given by the server';
  return (
    <Stack spacing={1.5} role="region" aria-label="Result">
      {result.warnings.map((w) => (
        <Alert key={w} severity="warning">
          {w}
        </Alert>
      ))}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 1.5 }}>
        {result.accessToken && (
          <Box sx={{ gridColumn: '1 / -1' }}>
            <ValueField
              label="Access Token"
              value={result.accessToken}
              secret
              onInspect={inspect(result.accessToken)}
            />
          </Box>
        )}
        {result.tokenPath !== '$.access_token' && (
          <Box sx={{ gridColumn: '1 / -1' }}>
            <ValueField
              label={`Token (${result.tokenPath})`}
              value={result.token}
              secret
              onInspect={inspect(result.token)}
            />
          </Box>
        )}
        <ValueField label="Token Type" value={result.tokenType ?? '(not given)'} />
        {result.issuedTokenType && (
          <ValueField label="Issued Token Type" value={result.issuedTokenType} />
        )}
        <ValueField
          label="Expires"
          value={expires}
          helperText={result.expiresAt ? new Date(result.expiresAt).toLocaleString() : undefined}
        />
        {result.refreshToken && (
          <ValueField label="Refresh Token" value={result.refreshToken} secret />
        )}
        {result.scope !== undefined && <ValueField label="Scope" value={result.scope} />}
        {result.idToken && (
          <Box sx={{ gridColumn: '1 / -1' }}>
            <ValueField
              label="ID Token"
              value={result.idToken}
              secret
              onInspect={inspect(result.idToken)}
            />
          </Box>
        )}
        {others.map(([k, v]) => (
          <ValueField key={k} label={k} value={typeof v === 'string' ? v : JSON.stringify(v)} />
        ))}
      </Box>
      {result.bindings && result.bindings.length > 0 && (
        <Box component="section" aria-label="Token binding">
          <Typography variant="subtitle2" gutterBottom>
            Token binding
          </Typography>
          <Stack spacing={0.5} component="ul" sx={{ m: 0, p: 0, listStyle: 'none' }}>
            {result.bindings.map((b) => (
              <Stack key={`${b.kind}-${b.expected}`} component="li" direction="row" spacing={1}>
                {FINDING_ICONS[b.ok === true ? 'ok' : b.ok === false ? 'warning' : 'info']}
                <Typography variant="body2">{b.message}</Typography>
              </Stack>
            ))}
          </Stack>
        </Box>
      )}
      {result.chain && result.chain.length > 0 && <ChainView chain={result.chain} />}
      {result.assertionCheck && <AssertionCheckView check={result.assertionCheck} />}
      <ExchangesView result={result} />
    </Stack>
  );
}
