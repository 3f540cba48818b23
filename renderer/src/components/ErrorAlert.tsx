import { Alert, AlertTitle, Box, Typography } from '@mui/material';
import type { ErrorData } from '../../../shared/result.js';

const TITLES: Partial<Record<ErrorData['code'], string>> = {
  oauth_error: 'The authorization server refused the request',
  http_status: 'The server answered with an error page',
  invalid_response: 'The server answered with something unexpected',
  missing_token: 'The response has no token',
  dns: 'Host name not found',
  connection_refused: 'Connection refused',
  timeout: 'Timed out',
  tls_untrusted: 'Untrusted TLS certificate',
  tls_hostname: 'TLS certificate for another host',
  tls_expired: 'Expired TLS certificate',
  tls: 'TLS handshake failed',
  proxy: 'Proxy error',
  proxy_auth: 'Proxy authentication failed',
  keystore_password: 'Wrong password',
  keystore_corrupt: 'Unreadable file',
  keystore_no_key: 'No private key',
  alias_not_found: 'Alias not found',
  certificate_expired: 'Certificate expired',
  key_algorithm: 'Algorithm does not fit the key',
  claims_json: 'Custom claims are not valid JSON',
  state_mismatch: 'Sign-in response refused',
  authorization_denied: 'Access denied',
  port_in_use: 'Redirect port in use',
  invalid_input: 'Check the form',
  not_found: 'Not found',
};

/** Hints for the failures users meet most, keyed by OAuth error or identity-provider code. */
export function hintFor(error: ErrorData): string | undefined {
  const detail = (error.detail ?? {}) as { error?: string; error_description?: string };
  const description = detail.error_description ?? error.message;
  if (/AADSTS700027/.test(description))
    return 'Entra ID does not know the certificate that signed the assertion: upload the certificate (its x5t) to the app registration, or sign with the registered one.';
  if (/AADSTS7000215/.test(description))
    return 'Entra ID says the client secret is wrong: copy the secret value (not its ID) from Certificates & secrets, and check it has not expired.';
  if (/AADSTS700016/.test(description))
    return 'Entra ID does not know this client ID in this tenant: check the Application (client) ID and the tenant in the token endpoint.';
  if (/AADSTS50011/.test(description))
    return 'The redirect URI is not registered: copy the Redirect URI shown here into the app registration.';
  switch (detail.error) {
    case 'invalid_client':
      return 'The client could not be authenticated: check the Client ID and secret, and the Client Authentication method the server expects (basic header or body).';
    case 'invalid_grant':
      return 'The grant was refused: the code, refresh token or assertion is wrong, expired or already used — or the clocks differ. Check exp/iat in the assertion check.';
    case 'unauthorized_client':
      return 'This client may not use this grant type: enable it for the client at the provider.';
    case 'invalid_scope':
      return 'A requested scope is unknown or not allowed for this client: check Scope.';
    case 'unsupported_grant_type':
      return 'The server does not support this grant type.';
  }
  if (/clock|iat|nbf|not yet valid|skew/i.test(description))
    return "A time check failed: compare this machine's clock with the server's.";
  return undefined;
}

export function ErrorAlert({ error, onClose }: { error: ErrorData; onClose?: () => void }) {
  const detail = (error.detail ?? {}) as {
    error?: string;
    error_description?: string;
    error_uri?: string;
    body?: string;
    status?: number;
  };
  const hint = hintFor(error);
  return (
    <Alert
      severity={error.code === 'cancelled' ? 'info' : 'error'}
      onClose={onClose}
      role="alert"
      sx={{ '& .MuiAlert-message': { minWidth: 0, flex: 1 } }}
    >
      <AlertTitle>{TITLES[error.code] ?? 'Something went wrong'}</AlertTitle>
      {detail.error ? (
        <Box>
          <Typography variant="body2" component="div">
            <strong>error:</strong> <code>{detail.error}</code>
          </Typography>
          {detail.error_description && (
            <Typography variant="body2" component="div" sx={{ overflowWrap: 'anywhere' }}>
              <strong>error_description:</strong> {detail.error_description}
            </Typography>
          )}
          {detail.error_uri && (
            <Typography variant="body2" component="div">
              <strong>error_uri:</strong> {detail.error_uri}
            </Typography>
          )}
        </Box>
      ) : (
        <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }}>
          {error.message}
        </Typography>
      )}
      {detail.body && error.code === 'http_status' && (
        <Box
          component="pre"
          sx={{
            mt: 1,
            maxHeight: 160,
            overflow: 'auto',
            fontSize: 12,
            bgcolor: 'action.hover',
            p: 1,
            borderRadius: 1,
            whiteSpace: 'pre-wrap',
          }}
        >
          {detail.body}
        </Box>
      )}
      {hint && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          <strong>Hint:</strong> {hint}
        </Typography>
      )}
    </Alert>
  );
}
