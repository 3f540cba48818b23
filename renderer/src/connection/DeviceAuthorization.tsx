/**
 * While a device authorization waits (RFC 8628 §3.3): the user code to type, the verification
 * URI, the URI with the code in it as a link and a QR code (for a phone), and the time left.
 */
import { useEffect, useRef, useState } from 'react';
import { Box, Link, Paper, Stack, Typography } from '@mui/material';
import QRCode from 'qrcode';
import { CopyButton } from '../components/CopyButton.js';
import { relativeTime, useNow } from '../components/TimeText.js';
import { MONO } from '../theme.js';
import { useEditor } from './editor-context.js';

export function DeviceAuthorizationField() {
  const { runner } = useEditor();
  const device = runner.state.progress?.device;
  const [qr, setQr] = useState('');
  const now = useNow();
  const complete = device?.verificationUriComplete;
  const panel = useRef<HTMLDivElement>(null);
  // The code is what the user needs now: bring it into view of the dialog.
  const userCode = device?.userCode;
  useEffect(() => {
    if (userCode) panel.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [userCode]);
  useEffect(() => {
    let cancelled = false;
    if (!complete) {
      setQr('');
      return;
    }
    QRCode.toDataURL(complete, { margin: 1, width: 168 }).then(
      (url) => !cancelled && setQr(url),
      () => !cancelled && setQr(''),
    );
    return () => {
      cancelled = true;
    };
  }, [complete]);
  if (!device)
    return (
      <Typography variant="body2" color="text.secondary">
        Get Device Code shows here the code to enter and where to enter it; Tokensmith then waits
        for the sign-in and polls the token endpoint.
      </Typography>
    );
  return (
    <Paper
      ref={panel}
      variant="outlined"
      role="region"
      aria-label="Device authorization"
      sx={{ p: 2 }}
    >
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={3} alignItems="center">
        <Stack spacing={1} sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="body2">Enter this code at the verification page:</Typography>
          <Stack direction="row" alignItems="center" spacing={1}>
            <Typography
              aria-label="User code"
              sx={{ fontFamily: MONO, fontSize: 28, fontWeight: 700, letterSpacing: 3 }}
            >
              {device.userCode}
            </Typography>
            <CopyButton value={device.userCode} label="User code" />
          </Stack>
          <Link
            href={device.verificationUri}
            target="_blank"
            rel="noreferrer noopener"
            sx={{ overflowWrap: 'anywhere' }}
          >
            {device.verificationUri}
          </Link>
          {complete && (
            <Link href={complete} target="_blank" rel="noreferrer noopener">
              Open the page with the code filled in
            </Link>
          )}
          <Typography variant="body2" color="text.secondary" role="status">
            Waiting for the sign-in; the code expires {relativeTime(device.expiresAt, now)}. Polling
            every {device.intervalSeconds} s.
          </Typography>
        </Stack>
        {qr && (
          <Box
            component="img"
            src={qr}
            alt="QR code of the verification page with the code filled in"
            sx={{ width: 168, height: 168, borderRadius: 1, bgcolor: '#fff' }}
          />
        )}
      </Stack>
    </Paper>
  );
}
