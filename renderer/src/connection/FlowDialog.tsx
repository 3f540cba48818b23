/**
 * The flow's dialog (CloudStreams: "OAuth 2.0 Authorization Code Flow", "OAuth 2.0 JWT Flow",
 * "OAuth v2.0 JWT Client Assertion Flow"…): its sections in the seed's order, step by step, each
 * step ending in its own button (Authorize; Get Token; Generate JWT Token, then Submit Request).
 * Enter runs the last step's button; Esc closes; progress, Cancel and the error stay next to the
 * buttons. A field the model refuses is focused with its message; one outside the dialog is
 * named with a way to reach it.
 */
import { useFormContext, useWatch } from 'react-hook-form';
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Divider,
  Stack,
  Typography,
} from '@mui/material';
import { visuallyHidden } from '@mui/utils';
import type { Connection, ConnectionTypeDescriptor } from '../../../shared/connection.js';
import type { ActionSpec } from '../../../shared/connection-types/ui.js';
import type { ErrorData } from '../../../shared/result.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { ExportTraceButton } from '../components/ExportTraceButton.js';
import { shortcutText } from '../shortcuts.js';
import { SectionView } from './SectionView.js';
import type { FlowRunner } from './use-flow-runner.js';

export interface OutsideError {
  path: string;
  message: string;
  where: string;
}

export function FlowDialog({
  open,
  descriptor,
  runner,
  outsideError,
  onRun,
  onClose,
  onReveal,
}: {
  open: boolean;
  descriptor: ConnectionTypeDescriptor<Connection>;
  runner: FlowRunner;
  /** A field outside the dialog the model refused. */
  outsideError: OutsideError | undefined;
  onRun: (action: ActionSpec) => void;
  onClose: () => void;
  /** Closes the dialog and shows the field outside it. */
  onReveal: (path: string) => void;
}) {
  const { control } = useFormContext<Connection>();
  const values = useWatch({ control }) as Connection;
  const { ui } = descriptor;
  const { busy, progress, error, errorAction } = runner.state;
  const steps = ui.steps;
  const last = steps[steps.length - 1];
  const titleId = 'flow-dialog-title';
  const stepError = (action: ActionSpec): ErrorData | undefined =>
    error && errorAction?.id === action.id ? error : undefined;
  const actionButton = (action: ActionSpec, primary: boolean) => (
    <Button
      key={action.id}
      type={primary ? 'submit' : 'button'}
      form={primary ? 'flow-form' : undefined}
      variant={primary ? 'contained' : 'outlined'}
      disabled={Boolean(busy)}
      onClick={primary ? undefined : () => onRun(action)}
      startIcon={
        busy?.action.id === action.id ? (
          <CircularProgress size={16} color="inherit" aria-hidden />
        ) : undefined
      }
      autoFocus={primary}
    >
      {action.label}
    </Button>
  );
  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId} sx={{ pb: 1 }}>
        {ui.dialogTitle}
        {values.name && (
          <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1 }}>
            {/* Read as "…Flow — name", not run together with the title. */}
            <Box component="span" sx={visuallyHidden}>
              {' — '}
            </Box>
            {values.name}
          </Typography>
        )}
      </DialogTitle>
      <DialogContent dividers>
        <Box
          component="form"
          id="flow-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (last && !busy) onRun(last.action);
          }}
        >
          <Stack spacing={2}>
            {steps.map((step, i) => (
              <Stack
                key={step.title}
                spacing={2}
                {...(steps.length > 1 ? { component: 'section', 'aria-label': step.title } : {})}
              >
                {steps.length > 1 && (
                  <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 700 }}>
                    {i + 1}. {step.title}
                  </Typography>
                )}
                {step.sections.map((section) => (
                  <SectionView key={section.id} section={section} values={values} />
                ))}
                {step !== last && (
                  <Stack spacing={1}>
                    {stepError(step.action) && (
                      <ErrorAlert
                        error={stepError(step.action) as ErrorData}
                        onClose={runner.clearError}
                        grant={values.type}
                      />
                    )}
                    <Box>{actionButton(step.action, false)}</Box>
                    <Divider />
                  </Stack>
                )}
              </Stack>
            ))}
          </Stack>
        </Box>
      </DialogContent>
      <Box sx={{ px: 3, pt: 1.5 }} aria-live="polite">
        {busy && (
          <Alert severity="info" icon={<CircularProgress size={18} aria-hidden />} role="status">
            {progress?.message ?? `${busy.action.label}…`}
            {progress?.url && (
              <>
                {' — '}
                <a href={progress.url} target="_blank" rel="noreferrer noopener">
                  open the sign-in page
                </a>
              </>
            )}
          </Alert>
        )}
        {outsideError && !busy && (
          <Alert
            severity="error"
            role="alert"
            action={
              <Button color="inherit" size="small" onClick={() => onReveal(outsideError.path)}>
                Show it
              </Button>
            }
          >
            {outsideError.where}: {outsideError.message}
          </Alert>
        )}
        {last && stepError(last.action) && !busy && (
          <ErrorAlert
            error={stepError(last.action) as ErrorData}
            onClose={runner.clearError}
            grant={values.type}
            {...(stepError(last.action)?.field
              ? { onShowField: () => onReveal(stepError(last.action)?.field as string) }
              : {})}
          />
        )}
      </Box>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }}>
          Enter or {shortcutText('run')} runs {last?.action.label}; Esc closes.
        </Typography>
        {/* After a refusal: what was sent and answered, to look at or to send to support. */}
        {error && !busy && <ExportTraceButton requestId={runner.state.tracedRequestId} />}
        {busy ? (
          <Button onClick={runner.cancel}>Cancel</Button>
        ) : (
          <Button onClick={onClose}>Close</Button>
        )}
        {last && actionButton(last.action, true)}
      </DialogActions>
    </Dialog>
  );
}
