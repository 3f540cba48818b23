/**
 * OAuth 2.0 JWT Flow (RFC 7523 §2.1; CloudStreams seed 004): a JWT signed with the Signing Alias
 * is the grant itself. Salesforce and Google service accounts are the typical targets.
 */
import * as z from 'zod';
import { clientAuthOf, connectionBase } from './base.js';
import type { ConnectionTypeDescriptor } from './descriptor.js';
import {
  FIELDS,
  endpointsSection,
  foldedSections,
  grantClaimsSection,
  headersSection,
  keystoreProxySection,
  sslSection,
} from './sections.js';
import { ACTIONS } from './ui.js';

export const jwtBearerConnection = z.object({
  ...connectionBase,
  type: z.literal('jwt_bearer'),
});
export type JwtBearerConnection = z.infer<typeof jwtBearerConnection>;

/** RFC 7523 §2.1 grant type. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export const jwtBearer: ConnectionTypeDescriptor<JwtBearerConnection> = {
  type: 'jwt_bearer',
  label: 'OAuth 2.0 JWT Flow',
  grantType: JWT_BEARER_GRANT,
  interactive: false,
  defaults: () => ({}),
  // RFC 7523 §3.1: the assertion is the grant; the client may still authenticate (Google does not,
  // Salesforce does not, some servers want client_id + secret as well).
  clientAuthAsSent: (c) => clientAuthOf(c.client),
  signsJwt: () => ({ use: 'grant', key: 'keystore' }),
  cacheInputs: () => ({}),
  exports: {
    serverXml: {
      unsupported: 'z/OS Connect has no JWT bearer grant (client_credentials and password only)',
    },
  },
  ui: {
    icon: 'key',
    groupTitle: 'Connection Groups: OAuth V2.0 (JWT Flow)',
    dialogTitle: 'OAuth 2.0 JWT Flow',
    steps: [
      {
        title: 'JWT Flow',
        sections: [
          endpointsSection(),
          sslSection,
          grantClaimsSection,
          keystoreProxySection(true, true),
          {
            id: 'requestParameters',
            title: 'Request Parameters',
            level: 'basic',
            fields: [
              {
                ...FIELDS.clientId,
                help: 'When the server wants the client identified as well (optional)',
              },
              FIELDS.clientSecret,
              FIELDS.scope,
            ],
          },
        ],
        action: ACTIONS.getToken,
      },
    ],
    advanced: [
      { ...headersSection, id: 'headers', title: 'Headers', level: 'advanced' },
      {
        id: 'clientAuthentication',
        title: 'Client authentication',
        level: 'advanced',
        fields: [FIELDS.clientAuth],
      },
      ...foldedSections({ signs: 'always', scopeClaim: true }),
    ],
  },
};
