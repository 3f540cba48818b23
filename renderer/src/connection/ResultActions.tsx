/**
 * What can be done with the token shown (RFC 7662 introspection, RFC 7009 revocation), with the
 * connection's own client authentication; revocation asks first and clears the cached token.
 */
import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Stack,
} from '@mui/material';
import type { Connection } from '../../../shared/connection.js';
import { RESULT_ACTIONS, type ResultActionSpec } from '../../../shared/connection-types/ui.js';
import type { ErrorData } from '../../../shared/result.js';
import type { IntrospectionResult } from '../../../shared/token-result.js';
import { call, errorOf, newRequestId } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { MONO } from '../theme.js';

export function ResultActions({
  connection,
  onRevoked,
}: {
  connection: () => Connection;
  onRevoked: () => void;
}) {
  const [confirming, setConfirming] = useState<ResultActionSpec | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [introspection, setIntrospection] = useState<IntrospectionResult | undefined>();
  const [error, setError] = useState<ErrorData | undefined>();
  const run = async (action: ResultActionSpec) => {
    setConfirming(undefined);
    setBusy(action.id);
    setError(undefined);
    try {
      const request = {
        requestId: newRequestId(),
        connection: connection(),
        tokenTypeHint: 'access_token' as const,
      };
      if (action.runs === 'introspect') setIntrospection(await call('tokens:introspect', request));
      else {
        await call('tokens:revoke', request);
        onRevoked();
      }
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <>
      {RESULT_ACTIONS.map((a) => (
        <Button
          key={a.id}
          size="small"
          variant="text"
          disabled={busy !== undefined}
          onClick={() => (a.confirm ? setConfirming(a) : void run(a))}
        >
          {a.label}
        </Button>
      ))}
      {error && (
        <Box sx={{ width: '100%' }}>
          <ErrorAlert error={error} onClose={() => setError(undefined)} />
        </Box>
      )}
      <Dialog
        open={Boolean(confirming)}
        onClose={() => setConfirming(undefined)}
        aria-labelledby="result-confirm-title"
      >
        <DialogTitle id="result-confirm-title">{confirming?.label} the token?</DialogTitle>
        <DialogContent>
          <DialogContentText>{confirming?.confirm}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(undefined)}>Cancel</Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => confirming && void run(confirming)}
          >
            {confirming?.label}
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog
        open={Boolean(introspection)}
        onClose={() => setIntrospection(undefined)}
        maxWidth="sm"
        fullWidth
        aria-labelledby="introspection-title"
      >
        <DialogTitle id="introspection-title">Introspection</DialogTitle>
        <DialogContent tabIndex={0}>
          <Stack spacing={1.5}>
            <Box>
              <Chip
                size="small"
                color={introspection?.active ? 'success' : 'default'}
                label={introspection?.active ? 'active' : 'not active'}
              />
            </Box>
            {introspection && !introspection.active && (
              <Alert severity="warning">
                The authorization server says this token is not active (expired, revoked or
                unknown).
              </Alert>
            )}
            <Box
              component="pre"
              sx={{
                m: 0,
                fontFamily: MONO,
                fontSize: 12.5,
                whiteSpace: 'pre-wrap',
                overflowWrap: 'anywhere',
              }}
            >
              {JSON.stringify(introspection?.fields ?? {}, null, 2)}
            </Box>
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button variant="contained" onClick={() => setIntrospection(undefined)}>
            Done
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
