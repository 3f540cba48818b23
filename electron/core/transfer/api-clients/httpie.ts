/**
 * HTTPie: a session file (HTTPie 3's format) for calling the connection's API. HTTPie has no
 * OAuth 2.0, so the honest export is a session without a token, plus the command that fills it:
 * HTTPie keeps a header given on the command line in the session, so one call with
 * `"Authorization:Bearer $(tokensmith token NAME)"` stores a token Tokensmith obtained (by any
 * grant, from its cache when still valid) and later calls with `--session` reuse it until it
 * expires. The header and scheme are the ones Tokensmith's own API calls use.
 */
import { apiTokenOf, type Connection } from '../../../../shared/connection.js';
import { TokensmithError } from '../../errors.js';
import { shellQuote } from '../runtime-export.js';
import { sharedRefusal } from './client-oauth.js';

/** The version whose session format this is (the `headers` list form came with 3.2.0). */
const HTTPIE_SESSION_VERSION = '3.2.1';

export interface HttpieExport {
  session: object;
  /** The shell command that puts a fresh token in the session (and calls the API once). */
  fillCommand: string;
  notes: string[];
}

/** A --session value HTTPie reads as a path (a bare name would be a named session). */
const sessionArg = (path: string) => (path.includes('/') ? path : `./${path}`);

export function httpieExport(conn: Connection, sessionPath: string): HttpieExport {
  const refusal = sharedRefusal(conn);
  if (refusal)
    throw new TokensmithError('unsupported', `Not exported to HTTPie: "${conn.name}" ${refusal}`);
  const { header, bearer } = apiTokenOf(conn);
  const notes: string[] = [];
  const url = conn.api.baseUrl ? shellQuote(conn.api.baseUrl) : '"${API_URL}"';
  if (!conn.api.baseUrl)
    notes.push('The connection has no API URL: set API_URL, or put the URL in the command.');
  if (conn.ssl.enabled && conn.ssl.keystoreAlias)
    notes.push(
      'It uses a client certificate (SSL Connection): add --cert and --cert-key to the http commands; a certificate-bound token (RFC 8705) is accepted only with it.',
    );
  // `--`: a name that starts with "-" is a name, not an option.
  const token = `"$(tokensmith token -- ${shellQuote(conn.name)})"`;
  const fillCommand = [
    'http',
    `--session=${shellQuote(sessionArg(sessionPath))}`,
    'GET',
    url,
    `${shellQuote(`${header}:${bearer ? 'Bearer ' : ''}`)}${token}`,
  ].join(' ');
  notes.push(
    `HTTPie has no OAuth 2.0: put a token from Tokensmith in the session with\n  ${fillCommand}\nthen call with --session alone until the token expires, and run that command again. The session file then holds the token: keep it private.`,
  );
  const session = {
    __meta__: {
      about: 'HTTPie session file',
      help: 'https://httpie.io/docs#sessions',
      httpie: HTTPIE_SESSION_VERSION,
    },
    auth: { password: null, type: null, username: null },
    cookies: [],
    headers: [{ name: 'Accept', value: 'application/json, */*;q=0.5' }],
  };
  return { session, fillCommand, notes };
}
