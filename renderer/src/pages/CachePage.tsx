import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { call } from '../api.js';
import type { CacheStatus } from '../../../shared/contract.js';
import { useListing } from '../use-listing.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

export function CachePage() {
  const { items: rows, error, setError, act } = useListing('cache:list');
  const [now, setNow] = useState(Date.now());
  const [status, setStatus] = useState<CacheStatus | undefined>();
  useEffect(() => {
    call('cache:status', {}).then(setStatus, () => undefined);
  }, [rows]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const clear = (connectionId?: string) =>
    void act(() => call('cache:clear', connectionId ? { connectionId } : {}));
  return (
    <Stack spacing={2}>
      <Stack direction="row" alignItems="center">
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Token Cache
        </Typography>
        <Button variant="outlined" color="error" onClick={() => clear()} disabled={!rows?.length}>
          Clear all
        </Button>
      </Stack>
      <Alert severity="info">
        A cached token is reused only while every OAuth input of the connection is unchanged and it
        has at least one second left.
      </Alert>
      {status && (
        <Typography variant="body2" color="text.secondary" aria-label="Pruning">
          Expired tokens that cannot be refreshed are pruned
          {status.pruneIntervalSeconds ? ` every ${status.pruneIntervalSeconds} s` : ' on use'}
          {status.lastPrunedAt
            ? `; last run ${new Date(status.lastPrunedAt).toLocaleTimeString()}, removed ${status.lastRemoved} (${status.totalRemoved} since start).`
            : '.'}
        </Typography>
      )}
      {error && <ErrorAlert error={error} onClose={() => setError(undefined)} />}
      {rows?.length === 0 && <Typography color="text.secondary">The cache is empty.</Typography>}
      {rows && rows.length > 0 && (
        <Paper variant="outlined">
          <Table size="small" aria-label="Cached tokens">
            <TableHead>
              <TableRow>
                <TableCell>Connection</TableCell>
                <TableCell>Scope</TableCell>
                <TableCell>Time left</TableCell>
                <TableCell align="right" />
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((r) => {
                const left = Math.round((Date.parse(r.expiresAt) - now) / 1000);
                return (
                  <TableRow key={`${r.connectionId}:${r.scope}:${r.expiresAt}`}>
                    <TableCell>{r.connectionName}</TableCell>
                    <TableCell>{r.scope || '—'}</TableCell>
                    <TableCell>
                      {left > 0 ? `${Math.floor(left / 60)} min ${left % 60} s` : 'expired'}
                      {r.refreshable ? ' · refreshable' : ''}
                    </TableCell>
                    <TableCell align="right">
                      <Button size="small" onClick={() => clear(r.connectionId)}>
                        Clear
                      </Button>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
