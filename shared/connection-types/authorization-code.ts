/**
 * OAuth 2.0 Authorization Code Flow (RFC 6749 §4.1; CloudStreams seed 004): the system browser,
 * an RFC 8252 loopback redirect, PKCE S256 and `state`, then the code exchange.
 */
import * as z from 'zod';
import { REDIRECT_HOSTS, clientAuthOf, connectionBase, redirectSettings } from './base.js';
import { optionalHttpUrl } from './primitives.js';
import { clientAuthSigning, type ConnectionTypeDescriptor } from './descriptor.js';
import {
  FIELDS,
  clientJwtSections,
  endpointsSection,
  foldedSections,
  sslSection,
} from './sections.js';
import { ACTIONS, type SectionSpec } from './ui.js';

export const authorizationCodeConnection = z.object({
  ...connectionBase,
  type: z.literal('authorization_code'),
  /** Empty: discovered from the issuer when used (`checkConnection`). */
  authorizationEndpoint: optionalHttpUrl,
  pkce: z.boolean().default(true),
  redirect: redirectSettings.prefault({}),
  loginTimeoutSeconds: z.coerce.number().int().min(10).max(3600).default(300),
  /**
   * RFC 9126: push the authorization request to the server first and send only `client_id` and
   * the `request_uri` through the browser. Also on, whatever this says, when the server's metadata
   * says `require_pushed_authorization_requests`.
   */
  par: z.boolean().default(false),
  /** Empty: the issuer's `pushed_authorization_request_endpoint` (discovery). */
  pushedAuthorizationRequestEndpoint: optionalHttpUrl,
});
export type AuthorizationCodeConnection = z.infer<typeof authorizationCodeConnection>;
type C = AuthorizationCodeConnection;

const loopbackSection: SectionSpec<C> = {
  id: 'loopback',
  title: 'Loopback redirect',
  level: 'advanced',
  fields: [
    {
      path: 'redirect.host',
      label: 'Loopback Host',
      kind: 'select',
      options: REDIRECT_HOSTS.map((h) => ({ value: h, label: h })),
    },
    {
      path: 'redirect.port',
      label: 'Port',
      kind: 'number',
      help: '0: a free port at each sign-in',
    },
    { path: 'redirect.path', label: 'Path', kind: 'text' },
    { path: 'loginTimeoutSeconds', label: 'Sign-in timeout (seconds)', kind: 'number' },
    { path: 'redirect.https', label: 'HTTPS redirect (self-signed certificate)', kind: 'switch' },
    {
      path: 'pkce',
      label: 'PKCE (S256)',
      kind: 'switch',
      help: 'Keep it on: it protects the code from other programs on this machine (RFC 7636)',
    },
  ],
};

const parSection: SectionSpec<C> = {
  id: 'par',
  title: 'Pushed authorization request (RFC 9126)',
  level: 'advanced',
  fields: [
    {
      path: 'par',
      label: 'Push the authorization request (PAR)',
      kind: 'switch',
      help: 'Also on when the server requires it (require_pushed_authorization_requests in its metadata).',
    },
    {
      path: 'pushedAuthorizationRequestEndpoint',
      role: 'endpoint',
      label: 'Pushed Authorization Request Endpoint',
      kind: 'url',
      placeholder: 'https://login.example.com/oauth2/par',
      help: "Empty: the issuer's pushed_authorization_request_endpoint (discovery)",
    },
  ],
};

export const authorizationCode: ConnectionTypeDescriptor<C> = {
  type: 'authorization_code',
  label: 'OAuth 2.0 Authorization Code Flow',
  grantType: 'authorization_code',
  interactive: true,
  defaults: () => ({ authorizationEndpoint: '' }),
  clientAuthAsSent: (c) => clientAuthOf(c.client),
  signsJwt: clientAuthSigning,
  cacheInputs: (c) => ({
    authorizationEndpoint: c.authorizationEndpoint,
    authorizationParams: c.params.authorizationParams,
  }),
  exports: {
    serverXml: {
      unsupported:
        'z/OS Connect has no authorization code grant (client_credentials and password only)',
    },
    curlPreamble:
      'Sign in first (`tokensmith token` does it for you), then set CODE and CODE_VERIFIER to the values of the redirect.',
  },
  ui: {
    icon: 'login',
    groupTitle: 'Connection Groups: OAuth v2.0 (Authorization Code Flow)',
    dialogTitle: 'OAuth 2.0 Authorization Code Flow',
    steps: [
      {
        title: 'Authorization',
        sections: [
          endpointsSection([
            {
              path: 'authorizationEndpoint',
              role: 'endpoint',
              label: 'Authorization Endpoint',
              kind: 'url',
              required: true,
              placeholder: 'https://login.example.com/oauth2/authorize',
            },
          ]),
          sslSection,
          {
            id: 'requestParameters',
            title: 'Request Parameters',
            level: 'basic',
            fields: [
              FIELDS.clientId,
              FIELDS.clientSecret,
              FIELDS.scope,
              FIELDS.proxyAlias,
              {
                path: 'redirectUri',
                label: 'Redirect URI',
                kind: 'redirectUri',
                full: true,
                help: 'Add this same URI to the Redirect URIs (Callback URL) of the OAuth application at your provider. Port 0 picks a free port at each sign-in (providers that follow RFC 8252 accept any loopback port).',
              },
            ],
          },
          ...clientJwtSections,
        ],
        action: ACTIONS.authorize,
      },
    ],
    advanced: [
      {
        id: 'clientAuthentication',
        title: 'Client authentication',
        level: 'advanced',
        fields: [FIELDS.clientAuth, FIELDS.sendClientId],
      },
      loopbackSection,
      parSection,
      ...foldedSections({ authorization: true, signs: 'clientAuth' }),
    ],
  },
};
