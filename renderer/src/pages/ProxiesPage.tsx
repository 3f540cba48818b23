import { useState } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  MenuItem,
  Paper,
  Stack,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import type { ProxyAlias } from '../../../shared/resources.js';
import type { ErrorData } from '../../../shared/result.js';
import { SECRET_MASK } from '../../../shared/contract.js';
import { call, errorOf } from '../api.js';
import { useListing } from '../use-listing.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

export function ProxiesPage() {
  const { items: proxies, error, setError, reload: load, act } = useListing('proxies:list');
  const [editing, setEditing] = useState<ProxyAlias | 'new' | undefined>();
  return (
    <Stack spacing={2}>
      <Stack direction="row" alignItems="center">
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          Proxy Aliases
        </Typography>
        <Button variant="contained" onClick={() => setEditing('new')}>
          New Proxy Alias
        </Button>
      </Stack>
      {error && <ErrorAlert error={error} onClose={() => setError(undefined)} />}
      {proxies?.length === 0 && (
        <Alert severity="info">
          No proxy aliases. Create one when token requests must go through a proxy server.
        </Alert>
      )}
      {proxies && proxies.length > 0 && (
        <Paper variant="outlined">
          <Table size="small" aria-label="Proxy aliases">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Proxy</TableCell>
                <TableCell>User</TableCell>
                <TableCell>Bypass</TableCell>
                <TableCell align="right">Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {proxies.map((p) => (
                <TableRow key={p.name}>
                  <TableCell sx={{ fontWeight: 600 }}>
                    {p.name}
                    {!p.enabled && ' (disabled)'}
                  </TableCell>
                  <TableCell>{`${p.protocol}://${p.host}:${p.port}`}</TableCell>
                  <TableCell>{p.username || '—'}</TableCell>
                  <TableCell>{p.bypass.join(', ') || '—'}</TableCell>
                  <TableCell align="right">
                    <Button size="small" onClick={() => setEditing(p)}>
                      Edit
                    </Button>
                    <Button
                      size="small"
                      color="error"
                      onClick={() => void act(() => call('proxies:delete', { name: p.name }))}
                    >
                      Delete
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
      {editing && (
        <ProxyDialog
          initial={editing === 'new' ? undefined : editing}
          onClose={() => {
            setEditing(undefined);
            load();
          }}
        />
      )}
    </Stack>
  );
}

function ProxyDialog({
  initial,
  onClose,
}: {
  initial: ProxyAlias | undefined;
  onClose: () => void;
}) {
  const [p, setP] = useState({
    name: initial?.name ?? '',
    enabled: initial?.enabled ?? true,
    protocol: initial?.protocol ?? 'http',
    host: initial?.host ?? '',
    port: String(initial?.port ?? 3128),
    username: initial?.username ?? '',
    password: initial?.password ?? '',
    bypass: initial?.bypass.join(', ') ?? '',
  });
  const [error, setError] = useState<ErrorData | undefined>();
  const set = (k: keyof typeof p) => (e: { target: { value: string } }) =>
    setP({ ...p, [k]: e.target.value });
  const submit = async () => {
    try {
      await call('proxies:save', {
        proxy: { ...p, port: Number(p.port), bypass: p.bypass.split(/[\s,]+/).filter(Boolean) },
        ...(initial ? { previousName: initial.name } : {}),
      });
      onClose();
    } catch (e) {
      setError(errorOf(e));
    }
  };
  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="proxy-title">
      <DialogTitle id="proxy-title">
        {initial ? `Edit ${initial.name}` : 'New proxy alias'}
      </DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {error && !error.field && <ErrorAlert error={error} />}
          <TextField
            label="Name"
            value={p.name}
            onChange={set('name')}
            error={Boolean(fieldError('name'))}
            helperText={fieldError('name')}
            required
          />
          <Stack direction="row" spacing={1}>
            <TextField
              select
              label="Protocol"
              value={p.protocol}
              onChange={set('protocol')}
              sx={{ width: 120 }}
            >
              <MenuItem value="http">http</MenuItem>
              <MenuItem value="https">https</MenuItem>
            </TextField>
            <TextField
              label="Host"
              value={p.host}
              onChange={set('host')}
              sx={{ flex: 1 }}
              error={Boolean(fieldError('host'))}
              helperText={fieldError('host')}
              required
            />
            <TextField
              label="Port"
              type="number"
              value={p.port}
              onChange={set('port')}
              sx={{ width: 110 }}
              error={Boolean(fieldError('port'))}
              helperText={fieldError('port')}
            />
          </Stack>
          <Stack direction="row" spacing={1}>
            <TextField
              label="User"
              value={p.username}
              onChange={set('username')}
              sx={{ flex: 1 }}
              autoComplete="off"
            />
            <TextField
              label="Password"
              type="password"
              value={p.password}
              onChange={set('password')}
              sx={{ flex: 1 }}
              autoComplete="off"
              helperText={p.password === SECRET_MASK ? 'Stored; type to change.' : undefined}
            />
          </Stack>
          <TextField
            label="Bypass (hosts that go direct)"
            value={p.bypass}
            onChange={set('bypass')}
            helperText="Comma-separated: example.com, .corp.example, 10.0.0.1, *"
          />
          <FormControlLabel
            control={
              <Switch
                checked={p.enabled}
                onChange={(e) => setP({ ...p, enabled: e.target.checked })}
              />
            }
            label="Enabled"
          />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={() => void submit()}>
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
