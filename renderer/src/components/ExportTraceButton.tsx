/**
 * Export trace: the HTTP legs of a run (request line, headers, bodies, status, timings, TLS
 * certificate) as a HAR 1.2 file, redacted by the engine (`trace:export`) so that it can be sent
 * to a provider's support. Works after a failed run too.
 */
import { useState } from 'react';
import { Button, Tooltip } from '@mui/material';
import { call, download, errorOf } from '../api.js';

export function ExportTraceButton({ requestId }: { requestId: string | undefined }) {
  const [problem, setProblem] = useState<string | undefined>();
  if (!requestId) return null;
  return (
    <Tooltip
      describeChild
      title={problem ?? 'The requests and answers of this run as a HAR file, secrets masked'}
    >
      <Button
        size="small"
        color={problem ? 'error' : 'primary'}
        onClick={() =>
          void call('trace:export', { requestId }).then(
            (out) => {
              setProblem(undefined);
              download(out.fileName, JSON.stringify(out.har, null, 2), 'application/json');
            },
            (e) => setProblem(errorOf(e).message),
          )
        }
      >
        Export trace
      </Button>
    </Tooltip>
  );
}
