/**
 * Runs a connection's actions (Authorize, Get Token, Generate JWT Token, Submit Request,
 * Generate Access Token, Refresh Token, Get JWT) with honest state: one thing runs at a time,
 * its progress is shown and it can be cancelled; a new run marks the previous result as stale,
 * a failure keeps it but says it is the old one. In browser mode the sign-in opens in a new tab
 * (opened inside the click, so no pop-up blocker stops it, and without `opener`).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LastTokenView, TokenRun } from '../../../shared/contract.js';
import type { ActionSpec } from '../../../shared/connection-types/ui.js';
import type { AssertionCheck } from '../../../shared/assertion-check.js';
import type { Connection } from '../../../shared/connection.js';
import type { ErrorData } from '../../../shared/result.js';
import type { FlowProgress } from '../../../shared/token-result.js';
import { call, errorOf, isDesktop, newRequestId, onProgress } from '../api.js';

export interface RunState {
  /** The token shown in Connection Groups and when it was obtained. */
  result?: TokenRun;
  /** A run is under way: the result above is from before it. */
  busy?: { action: ActionSpec; requestId: string };
  progress?: FlowProgress;
  /** The last run failed; the result (if any) is the previous one. */
  error?: ErrorData;
  errorAction?: ActionSpec;
  /** The check of the client assertion generated or pasted. */
  check?: AssertionCheck;
  /** The authentication server's JWT (Get JWT). */
  jwt?: TokenRun;
  /** The token set kept with the saved connection from an earlier session (masked). */
  last?: LastTokenView;
  /** The last run that went to a server (a token, a refresh, Get JWT): its trace can be exported. */
  tracedRequestId?: string;
}

export interface FlowRunner {
  state: RunState;
  run(action: ActionSpec, values: Connection): Promise<boolean>;
  cancel(): void;
  clearError(): void;
  setCheck(check: AssertionCheck | undefined): void;
  setResult(result: TokenRun | undefined): void;
  /** The token set kept with the connection, shown until a new one is obtained. */
  setLast(last: LastTokenView | undefined): void;
}

export function useFlowRunner(onAssertion: (jwt: string) => void): FlowRunner {
  const [state, setState] = useState<RunState>({});
  const popup = useRef<Window | null>(null);
  const busyId = state.busy?.requestId;

  useEffect(
    () =>
      onProgress((event) => {
        if (event.requestId !== busyId) return;
        setState((s) => ({ ...s, progress: event.progress }));
        if (event.progress.step === 'browser' && event.progress.url && !isDesktop) {
          const tab = popup.current;
          if (tab && !tab.closed) tab.location.href = event.progress.url;
          else popup.current = window.open(event.progress.url, '_blank', 'noopener');
        }
      }),
    [busyId],
  );

  const run = useCallback(
    async (action: ActionSpec, values: Connection) => {
      const requestId = newRequestId();
      if (values.type === 'authorization_code' && action.runs === 'token' && !isDesktop) {
        // Opened now, inside the click, so that the browser does not block it as a pop-up;
        // the sign-in page is loaded into it when the flow knows its URL.
        popup.current = window.open('about:blank', '_blank');
        if (popup.current) popup.current.opener = null;
      }
      setState((s) => ({
        ...s,
        busy: { action, requestId },
        progress: undefined,
        error: undefined,
        ...(action.runs === 'assertion' ? {} : { tracedRequestId: requestId }),
      }));
      try {
        if (action.runs === 'assertion') {
          const out = await call('assertions:generate', { requestId, connection: values });
          onAssertion(out.assertion);
          setState((s) => ({ ...s, check: out.check }));
        } else if (action.runs === 'authToken') {
          const jwt = await call('authToken:fetch', {
            requestId,
            connection: values,
            useCache: false,
          });
          setState((s) => ({ ...s, jwt }));
        } else if (action.runs === 'refresh') {
          // The shown token's refresh token, or (after a restart) the one kept with the connection.
          const refresh = state.result?.refreshToken;
          const result = await call('tokens:refresh', {
            requestId,
            connection: values,
            ...(refresh ? { refreshToken: refresh } : {}),
          });
          setState((s) => ({ ...s, result, last: undefined }));
        } else {
          const result = await call('tokens:generate', {
            requestId,
            connection: values,
            useCache: false,
          });
          setState((s) => ({ ...s, result, last: undefined }));
        }
        return true;
      } catch (e) {
        setState((s) => ({ ...s, error: errorOf(e), errorAction: action }));
        return false;
      } finally {
        setState((s) => ({ ...s, busy: undefined, progress: undefined }));
        // Close the tab opened for the sign-in only if it never left about:blank (a
        // cross-origin page cannot be read, which means it did).
        try {
          const tab = popup.current;
          if (tab && !tab.closed && tab.location.href === 'about:blank') tab.close();
        } catch {
          // It shows the provider's or the loopback page: leave it to the user.
        }
        popup.current = null;
      }
    },
    [onAssertion, state.result?.refreshToken],
  );

  const cancel = useCallback(() => {
    if (busyId) void call('tokens:cancel', { requestId: busyId }).catch(() => undefined);
  }, [busyId]);

  const clearError = useCallback(() => setState((s) => ({ ...s, error: undefined })), []);
  const setCheck = useCallback(
    (check: AssertionCheck | undefined) => setState((s) => ({ ...s, check })),
    [],
  );
  const setResult = useCallback(
    (result: TokenRun | undefined) => setState((s) => ({ ...s, result })),
    [],
  );
  const setLast = useCallback(
    (last: LastTokenView | undefined) => setState((s) => ({ ...s, last })),
    [],
  );
  return useMemo(
    () => ({ state, run, cancel, clearError, setCheck, setResult, setLast }),
    [state, run, cancel, clearError, setCheck, setResult, setLast],
  );
}
