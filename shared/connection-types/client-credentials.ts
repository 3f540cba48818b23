/**
 * Client Credentials (RFC 6749 §4.4; z/OS Connect `grantType="client_credentials"`, seed 001)
 * with every client authentication: basic, body (`clientSecretInBody`), ID only, or a JWT.
 */
import { z } from 'zod';
import { clientAuthOf, connectionBase } from './base.js';
import { clientAuthSigning, type ConnectionTypeDescriptor } from './descriptor.js';
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

export const clientCredentials: ConnectionTypeDescriptor<ClientCredentialsConnection> = {
  type: 'client_credentials',
  label: 'OAuth 2.0 Client Credentials',
  grantType: 'client_credentials',
  interactive: false,
  defaults: () => ({}),
  clientAuthAsSent: (c) => clientAuthOf(c.client),
  signsJwt: clientAuthSigning,
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
