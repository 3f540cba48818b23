/**
 * "Connection Groups: OAuth v2.0 (<flow>)" (CloudStreams seed 004): the connection's token
 * fields, populated after a successful response, with Generate Access Token (it opens the
 * flow's dialog) and Refresh Token. The state is honest: while a request runs the shown token
 * is marked as the previous one; after a failure it says so and when the shown token was got.
 */
import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Chip,
  CircularProgress,
  Paper,
  Stack,
  Tooltip,
  Typography,
} from '@mui/material';
import PlayIcon from '@mui/icons-material/PlayArrowRounded';
import RefreshIcon from '@mui/icons-material/Refresh';
import type { ConnectionTypeDescriptor } from '../../../shared/connection.js';
import type { Connection } from '../../../shared/connection.js';
import { ACTIONS } from '../../../shared/connection-types/ui.js';
import { TokenResultView } from '../components/TokenResultView.js';
import { TimeText } from '../components/TimeText.js';
import { openInInspector } from '../navigation.js';
import { shortcutText } from '../shortcuts.js';
import { useEditor } from './editor-context.js';
import { LastTokenPanel } from './LastTokenPanel.js';
import { ResultActions } from './ResultActions.js';
import { ExportTraceButton } from '../components/ExportTraceButton.js';
import type { FlowRunner } from './use-flow-runner.js';

function sourceLabel(source: 'cache' | 'refresh' | 'network'): string {
  return source === 'cache' ? 'from the cache' : source === 'refresh' ? 'refreshed' : 'new token';
}

export function ConnectionGroups({
  descriptor,
  runner,
  connection,
  onGenerate,
  onRefresh,
}: {
  descriptor: ConnectionTypeDescriptor<Connection>;
  runner: FlowRunner;
  /** The connection as it is now (for introspection and revocation). */
  connection: () => Connection;
  onGenerate: () => void;
  onRefresh: () => void;
}) {
  const [revoked, setRevoked] = useState(false);
  const { result, busy, error, last } = runner.state;
  const running = busy !== undefined && busy.action.runs !== 'authToken';
  const headingId = `${useEditor().idPrefix}-connection-groups`;
  // Introspection and revocation are OAuth's (RFC 7662, 7009): only types that have the section.
  const manageable = descriptor.ui.advanced.some((s) => s.id === 'tokenManagement');
  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: 2 }}>
      <Stack
        direction="row"
        spacing={1}
        alignItems="center"
        flexWrap="wrap"
        useFlexGap
        sx={{ mb: 1.5 }}
      >
        <Typography
          id={headingId}
          variant="subtitle1"
          component="h2"
          sx={{ fontWeight: 700, flex: 1, minWidth: 240 }}
        >
          {descriptor.ui.groupTitle}
        </Typography>
        {(result?.refreshToken ?? (!result && last?.refreshToken)) && (
          <Button
            variant="outlined"
            startIcon={
              busy?.action.id === 'refresh' ? (
                <CircularProgress size={16} color="inherit" aria-hidden />
              ) : (
                <RefreshIcon />
              )
            }
            disabled={Boolean(busy)}
            onClick={onRefresh}
          >
            {ACTIONS.refresh.label}
          </Button>
        )}
        <Tooltip
          title={`Opens the ${descriptor.ui.dialogTitle} dialog (${shortcutText('run')} runs it at once)`}
        >
          <span>
            <Button
              variant="contained"
              startIcon={
                running ? <CircularProgress size={16} color="inherit" aria-hidden /> : <PlayIcon />
              }
              disabled={Boolean(busy)}
              onClick={onGenerate}
            >
              {ACTIONS.generateAccessToken.label}
            </Button>
          </span>
        </Tooltip>
      </Stack>
      {running && (
        <Alert
          severity="info"
          icon={<CircularProgress size={18} aria-hidden />}
          sx={{ mb: 1.5 }}
          role="status"
        >
          {runner.state.progress?.message ?? `${busy.action.label}…`}
          {result && ' The token below is the previous one.'}
        </Alert>
      )}
      {error && !running && runner.state.errorAction?.runs !== 'assertion' && (
        <Alert severity="error" sx={{ mb: 1.5 }} role="alert" onClose={runner.clearError}>
          {runner.state.errorAction?.label ?? 'The request'} failed: {error.message}
          {result && (
            <>
              {' '}
              The token below is the one obtained <TimeText iso={result.obtainedAt} />.
            </>
          )}
        </Alert>
      )}
      {revoked && !result && (
        <Alert severity="info" sx={{ mb: 1.5 }} onClose={() => setRevoked(false)}>
          The token was revoked at the authorization server and its cached copy cleared.
        </Alert>
      )}
      {result ? (
        <Box
          sx={
            running || error ? { borderLeft: 3, borderColor: 'warning.main', pl: 1.5 } : undefined
          }
        >
          <Stack direction="row" spacing={1} alignItems="center" sx={{ mb: 1.5 }}>
            <Chip
              size="small"
              color={running || error ? 'default' : 'success'}
              label={running || error ? 'previous token' : sourceLabel(result.source)}
            />
            <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
              Obtained <TimeText iso={result.obtainedAt} />
            </Typography>
            <ExportTraceButton requestId={runner.state.tracedRequestId} />
            {manageable && (
              <ResultActions
                connection={connection}
                onRevoked={() => {
                  runner.setResult(undefined);
                  setRevoked(true);
                }}
              />
            )}
          </Stack>
          <TokenResultView result={result} onInspect={openInInspector} />
        </Box>
      ) : last ? (
        <LastTokenPanel last={last} />
      ) : (
        !running && (
          <Typography variant="body2" color="text.secondary">
            No token yet. {ACTIONS.generateAccessToken.label} opens the {descriptor.ui.dialogTitle}{' '}
            dialog: fill its sections in order and press{' '}
            {descriptor.ui.steps.map((s) => s.action.label).join(', then ')}.
          </Typography>
        )
      )}
    </Paper>
  );
}
