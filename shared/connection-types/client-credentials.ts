/**
 * Client Credentials (RFC 6749 §4.4; z/OS Connect `grantType="client_credentials"`, seed 001)
 * with every client authentication: basic, body (`clientSecretInBody`), ID only, or a JWT.
 */
import * as z from 'zod';
import { clientAuthOf, connectionBase, type ConnectionCommon } from './base.js';
import {
  clientAuthSigning,
  type ConnectionTypeDescriptor,
  type FieldProblem,
} from './descriptor.js';
import {
  FIELDS,
  clientJwtSections,
  endpointsSection,
  foldedSections,
  sslSection,
} from './sections.js';
import { ACTIONS } from './ui.js';

export const clientCredentialsConnection = z.object({
  ...connectionBase,
  type: z.literal('client_credentials'),
});
export type ClientCredentialsConnection = z.infer<typeof clientCredentialsConnection>;

/**
 * RFC 6749 §4.4 and z/OS Connect (seed 001): client credentials is for confidential clients —
 * a client secret, or JWT authentication (private_key_jwt), or a client certificate (RFC 8705).
 */
export function confidentialClientProblems(c: ConnectionCommon): FieldProblem[] {
  const auth = clientAuthOf(c.client);
  const certificate = c.ssl.enabled && c.ssl.keystoreAlias !== '';
  if (c.client.secret || auth === 'private_key_jwt' || certificate) return [];
  return [
    {
      field: 'client.secret',
      message:
        auth === 'client_secret_jwt'
          ? 'client_secret_jwt signs with the Client Secret: enter it.'
          : 'Client credentials needs a Client Secret, or a JWT client authentication (private_key_jwt), or a client certificate: it is for confidential clients only (RFC 6749 §4.4).',
    },
  ];
}

export const clientCredentials: ConnectionTypeDescriptor<ClientCredentialsConnection> = {
  type: 'client_credentials',
  label: 'OAuth 2.0 Client Credentials',
  grantType: 'client_credentials',
  interactive: false,
  defaults: () => ({}),
  clientAuthAsSent: (c) => clientAuthOf(c.client),
  signsJwt: clientAuthSigning,
  prerequisites: confidentialClientProblems,
  cacheInputs: () => ({}),
  exports: { serverXml: { grantType: 'client_credentials' } },
  ui: {
    icon: 'lan',
    groupTitle: 'Connection Groups: OAuth v2.0 (Client Credentials)',
    dialogTitle: 'OAuth 2.0 Client Credentials',
    steps: [
      {
        title: 'Client Credentials',
        sections: [
          endpointsSection(),
          sslSection,
          {
            id: 'requestParameters',
            title: 'Request Parameters',
            level: 'basic',
            fields: [
              FIELDS.clientId,
              FIELDS.clientSecret,
              FIELDS.clientAuth,
              FIELDS.sendClientId,
              FIELDS.scope,
              FIELDS.proxyAlias,
            ],
          },
          ...clientJwtSections,
        ],
        action: ACTIONS.generateAccessToken,
      },
    ],
    advanced: foldedSections({ signs: 'clientAuth' }),
  },
};
