import { useEffect, useState } from 'react';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Alert,
  Box,
  Chip,
  Stack,
  Typography,
} from '@mui/material';
import type { TokenRun } from '../../../shared/contract.js';
import type { AssertionCheck } from '../../../shared/assertion-check.js';
import { ValueField } from './ValueField.js';

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

function countdown(expiresAt: string, now: number): string {
  const s = Math.round((Date.parse(expiresAt) - now) / 1000);
  if (s <= 0) return 'expired';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h ? `${h} h ` : ''}${h || m ? `${m} min ` : ''}${sec} s left`;
}

export function AssertionCheckView({ check }: { check: AssertionCheck }) {
  const problems = check.findings.filter((f) => f.level !== 'ok');
  return (
    <Box>
      <Typography variant="subtitle2" gutterBottom>
        Assertion check
      </Typography>
      <Stack spacing={0.5}>
        {check.findings.map((f) => (
          <Alert
            key={f.code}
            severity={f.level === 'ok' ? 'success' : f.level}
            variant="outlined"
            sx={{ py: 0 }}
          >
            {f.message}
          </Alert>
        ))}
        {problems.length === 0 && check.findings.length === 0 && (
          <Typography variant="body2">Nothing to report.</Typography>
        )}
      </Stack>
    </Box>
  );
}

export function TokenResultView({
  result,
  onInspect,
}: {
  result: TokenRun;
  onInspect: (token: string) => void;
}) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const known = new Set([
    'access_token',
    'token_type',
    'expires_in',
    'refresh_token',
    'scope',
    'id_token',
  ]);
  const others = Object.entries(result.fields).filter(([k]) => !known.has(k));
  const inspect = (v: string | undefined) =>
    v && JWT_SHAPE.test(v) ? () => onInspect(v) : undefined;
  return (
    <Stack spacing={2} component="section" aria-label="Result">
      <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap">
        <Typography variant="h6" component="h2">
          Result
        </Typography>
        <Chip
          size="small"
          color="success"
          label={
            result.source === 'cache'
              ? 'from the cache'
              : result.source === 'refresh'
                ? 'refreshed'
                : 'new token'
          }
        />
        {result.tokenPath !== '$.access_token' && (
          <Chip size="small" label={`token path ${result.tokenPath}`} />
        )}
      </Stack>
      {result.warnings.map((w) => (
        <Alert key={w} severity="warning">
          {w}
        </Alert>
      ))}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2 }}>
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
        <ValueField
          label="Expires At"
          value={
            result.expiresAt
              ? `${new Date(result.expiresAt).toLocaleString()} — ${countdown(result.expiresAt, now)}`
              : 'not given by the server'
          }
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
      {result.assertionCheck && <AssertionCheckView check={result.assertionCheck} />}
      {result.exchanges.length > 0 && (
        <Accordion disableGutters variant="outlined">
          <AccordionSummary aria-controls="exchange-content" id="exchange-header">
            <Typography variant="body2">Request and response (secrets masked)</Typography>
          </AccordionSummary>
          <AccordionDetails>
            {result.exchanges.map((x, i) => (
              <Box
                key={i}
                component="pre"
                sx={{ fontSize: 12, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', m: 0 }}
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
      )}
    </Stack>
  );
}
