/**
 * Workspace trust in the app: a workspace folder from git is someone else's file, so what its
 * files would use of the user's outside the folder waits for the user's review — a banner says
 * how many, and Review… lists each binding to tick (the same review as an import). Secrets kept
 * back because a record now sends them elsewhere are named with the old and new destination.
 */
import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
} from '@mui/material';
import type { ErrorData } from '../../../shared/result.js';
import type { WorkspaceInfo } from '../../../shared/contract.js';
import { call, errorOf } from '../api.js';
import { BindingReview, toggled } from '../components/BindingReview.js';
import { ErrorAlert } from '../components/ErrorAlert.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function TrustDialog({
  workspace,
  onClose,
}: {
  workspace: WorkspaceInfo;
  onClose: (updated?: WorkspaceInfo) => void;
}) {
  const pending = (workspace.bindings ?? []).filter((b) => !b.trusted);
  const [confirmed, setConfirmed] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<ErrorData | undefined>();
  const [busy, setBusy] = useState(false);
  const allow = async () => {
    setBusy(true);
    try {
      onClose(await call('workspace:trust', { confirm: [...confirmed] }));
    } catch (e) {
      setError(errorOf(e));
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={() => onClose()} maxWidth="sm" fullWidth aria-labelledby="trust-title">
      <DialogTitle id="trust-title">Workspace “{workspace.name}” — review</DialogTitle>
      <DialogContent>
        <BindingReview
          bindings={pending}
          keyOf={(b) => b.digest}
          confirmed={confirmed}
          onToggle={(key, on) => setConfirmed((was) => toggled(was, key, on))}
          titleId="trust-review-title"
          title={`Its files would use ${plural(pending.length, 'thing')} of yours outside the folder.`}
        >
          A workspace from git is someone else's file: it can read your files or send your variables
          and tokens to its endpoints. Nothing is used until you allow it; a change that sends it
          elsewhere asks again.
        </BindingReview>
        {error && <ErrorAlert error={error} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose()}>Cancel</Button>
        <Button
          variant="contained"
          onClick={() => void allow()}
          disabled={busy || confirmed.size === 0}
        >
          Allow {confirmed.size ? plural(confirmed.size, 'binding') : ''}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function WorkspaceTrust({
  workspace,
  onChange,
}: {
  workspace: WorkspaceInfo;
  onChange: (updated: WorkspaceInfo) => void;
}) {
  const [reviewing, setReviewing] = useState(false);
  const pending = (workspace.bindings ?? []).filter((b) => !b.trusted);
  const withheld = workspace.withheld ?? [];
  return (
    <>
      {pending.length > 0 && (
        <Alert severity="warning" sx={{ mt: 1, py: 0, overflowWrap: 'anywhere' }}>
          {plural(pending.length, 'binding')} to review: the connections using{' '}
          {pending.length === 1 ? 'it wait' : 'them wait'} for you.
          <Box>
            <Button
              color="inherit"
              size="small"
              sx={{ ml: -0.5 }}
              onClick={() => setReviewing(true)}
            >
              Review…
            </Button>
          </Box>
        </Alert>
      )}
      {withheld.length > 0 && (
        <Alert severity="info" sx={{ mt: 1, py: 0, overflowWrap: 'anywhere' }}>
          Secrets not sent to a new destination:
          <Box component="ul" sx={{ m: 0, pl: 2 }}>
            {withheld.map((w) => (
              <li key={`${w.kind}:${w.name}`}>
                {w.kind} “{w.name}”: {w.field} changed from {w.from || '(empty)'} to{' '}
                {w.to || '(empty)'} — enter {w.paths.join(', ')} again to use it there.
              </li>
            ))}
          </Box>
        </Alert>
      )}
      {reviewing && (
        <TrustDialog
          workspace={workspace}
          onClose={(updated) => {
            setReviewing(false);
            if (updated) onChange(updated);
          }}
        />
      )}
    </>
  );
}
