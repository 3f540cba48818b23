import { Alert, AlertTitle, Box, Button, Typography } from '@mui/material';
import type { AssertionCheck } from '../../../shared/assertion-check.js';
import type { ConnectionType } from '../../../shared/connection.js';
import type { ErrorData } from '../../../shared/result.js';
import { AssertionCheckView } from './TokenResultView.js';

/** What invalid_grant means for the grant that ran (RFC 6749 §5.2). */
const INVALID_GRANT: Record<string, string> = {
  password:
    'The user name or password was refused: check Username and Password, and that this user may sign in through this client.',
  authorization_code:
    'The authorization code was refused: codes are single-use and short-lived, and the Redirect URI must be the one registered. Sign in again.',
  jwt_bearer:
    'The assertion was refused: check Issuer, Subject and Audience, and that the provider knows the certificate or public key of the Signing Alias (see the assertion check).',
  jwt_client_assertion:
    'The client assertion was refused: check its claims and that the provider knows the certificate (x5t) that signed it (see the assertion check).',
  refresh:
    'The refresh token was refused: it expired, was revoked or was already used. Generate Access Token again.',
};

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
export function hintFor(error: ErrorData, grant?: ConnectionType | 'refresh'): string | undefined {
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
      return (
        (grant && INVALID_GRANT[grant]) ??
        'The grant was refused: it is wrong, expired or already used — or the clocks differ.'
      );
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

export function ErrorAlert({
  error,
  onClose,
  grant,
  onShowField,
}: {
  error: ErrorData;
  onClose?: () => void;
  /** The error is about a field: a button shows it. */
  onShowField?: () => void;
  /** The grant that ran, for hints that fit it. */
  grant?: ConnectionType | 'refresh';
}) {
  const detail = (error.detail ?? {}) as {
    error?: string;
    error_description?: string;
    error_uri?: string;
    body?: string;
    status?: number;
  };
  const hint = hintFor(error, grant);
  const check = (error.detail as { assertionCheck?: AssertionCheck } | undefined)?.assertionCheck;
  return (
    <Alert
      severity={error.code === 'cancelled' ? 'info' : 'error'}
      onClose={onClose}
      closeText="Dismiss"
      {...(onShowField
        ? {
            action: (
              <Button color="inherit" size="small" onClick={onShowField}>
                Show the field
              </Button>
            ),
          }
        : {})}
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
          tabIndex={0}
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
      {check && (
        <Box sx={{ mt: 1.5 }}>
          <AssertionCheckView check={check} />
        </Box>
      )}
    </Alert>
  );
}
