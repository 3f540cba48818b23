/**
 * The token set kept with a saved connection from an earlier session (CloudStreams keeps the
 * populated Connection Groups fields with the connection, seed 004). The engine only ever hands
 * it over masked, so it says what there is — which tokens, their type, scope, expiry and when
 * they were obtained — without a copy button that would copy a mask.
 */
import { Box, Chip, Stack, Typography } from '@mui/material';
import type { LastTokenView } from '../../../shared/contract.js';
import { TimeText, relativeTime, useNow } from '../components/TimeText.js';

export function LastTokenPanel({ last }: { last: LastTokenView }) {
  const now = useNow();
  const expired = last.expiresAt !== undefined && Date.parse(last.expiresAt) <= now;
  const held = [
    last.accessToken ? 'access token' : undefined,
    last.tokenPath !== '$.access_token' ? `token (${last.tokenPath})` : undefined,
    last.refreshToken ? 'refresh token' : undefined,
    last.idToken ? 'ID token' : undefined,
  ].filter((t): t is string => t !== undefined);
  const rows: Array<[string, string]> = [
    ['Token Type', last.tokenType ?? '(not given)'],
    [
      'Expires',
      last.expiresAt
        ? `${expired ? 'expired ' : ''}${relativeTime(last.expiresAt, now)}`
        : 'not given by the server',
    ],
    ...(last.scope !== undefined ? [['Scope', last.scope] as [string, string]] : []),
    ['Holds', held.join(', ') || 'a token'],
  ];
  return (
    <Box
      role="region"
      aria-label="Last token"
      sx={{ borderLeft: 3, borderColor: 'divider', pl: 1.5 }}
    >
      <Stack direction="row" spacing={1} alignItems="center" sx={{ mb: 1 }}>
        <Chip size="small" color={expired ? 'default' : 'info'} label="kept from last time" />
        <Typography variant="body2" color="text.secondary">
          {last.source === 'refresh' ? 'Refreshed' : 'Obtained'} <TimeText iso={last.obtainedAt} />
        </Typography>
      </Stack>
      <Box
        component="dl"
        sx={{
          display: 'grid',
          gridTemplateColumns: 'max-content 1fr',
          columnGap: 2,
          rowGap: 0.5,
          m: 0,
          '& dt': { color: 'text.secondary' },
          '& dd': { m: 0, overflowWrap: 'anywhere' },
        }}
      >
        {rows.map(([k, v]) => (
          <Box key={k} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="body2">
              {k}
            </Typography>
            <Typography component="dd" variant="body2">
              {v}
            </Typography>
          </Box>
        ))}
      </Box>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
        Its tokens stay sealed with the connection and are not shown again.
        {last.refreshToken && !expired
          ? ' Refresh Token uses its refresh token; Generate Access Token gets a new set.'
          : last.refreshToken
            ? ' Refresh Token uses its refresh token for a new set.'
            : ' Generate Access Token gets a new set to copy.'}
      </Typography>
    </Box>
  );
}
