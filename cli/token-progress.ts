/** What a command getting a token tells the person on stderr while it waits (never the token). */
import type { FlowOptions } from '../electron/core/index.js';
import type { DeviceAuthorizationView } from '../shared/token-result.js';
import type { Io } from './io.js';

/** RFC 8628 §3.3: what the person is to do, on stderr (stdout keeps only the token). */
function deviceInstructions(device: DeviceAuthorizationView): string {
  const until = new Date(device.expiresAt).toTimeString().slice(0, 5);
  return [
    `To sign in, open ${device.verificationUri} on any device and enter the code:`,
    `  ${device.userCode}`,
    ...(device.verificationUriComplete
      ? [`or open this link, which carries the code:`, `  ${device.verificationUriComplete}`]
      : []),
    `Waiting for the approval until ${until} (Ctrl+C cancels)…`,
  ].join('\n');
}

/** The sign-in URL, the device code and polling changes, refreshes and chained tokens. */
export function tokenProgress(io: Io): NonNullable<FlowOptions['onProgress']> {
  let interval: number | undefined;
  return (p) => {
    if (p.step === 'browser' && p.url)
      io.err(
        `Sign in to continue. Open this URL in a browser:\n  ${p.url}\nWaiting for the sign-in (Ctrl+C cancels)…`,
      );
    else if (p.step === 'device' && p.device) {
      interval = p.device.intervalSeconds;
      io.err(deviceInstructions(p.device));
    } else if (p.step === 'polling' && p.device && p.device.intervalSeconds !== interval) {
      interval = p.device.intervalSeconds;
      io.err(p.message);
    } else if (p.step === 'refresh' || p.step === 'chain') io.err(p.message);
  };
}
