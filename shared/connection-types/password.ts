/**
 * Resource Owner Password Credentials (RFC 6749 §4.3; z/OS Connect `grantType="password"`,
 * seed 001), with the same client authentication choices as client credentials.
 */
import * as z from 'zod';
import { clientAuthOf, connectionBase, singleLine } from './base.js';
import { clientAuthSigning, type ConnectionTypeDescriptor } from './descriptor.js';
import {
  FIELDS,
  clientJwtSections,
  endpointsSection,
  foldedSections,
  sslSection,
} from './sections.js';
import { ACTIONS } from './ui.js';

export const passwordConnection = z.object({
  ...connectionBase,
  type: z.literal('password'),
  /** Checked when a token is requested: an imported server.xml has no resource owner (z/OS takes it from the application). */
  username: singleLine('Username').trim().default(''),
  password: singleLine('Password').default(''),
});
export type PasswordConnection = z.infer<typeof passwordConnection>;

export const password: ConnectionTypeDescriptor<PasswordConnection> = {
  type: 'password',
  label: 'OAuth 2.0 Password (Resource Owner)',
  grantType: 'password',
  interactive: false,
  defaults: () => ({ username: '' }),
  clientAuthAsSent: (c) => clientAuthOf(c.client),
  signsJwt: clientAuthSigning,
  // Seed 001: for the resource owner password grant the client ID is required, the secret optional.
  prerequisites: (c) => [
    ...(c.client.id || (c.client.authMethod === 'private_key_jwt' && c.jwt.claims.subject)
      ? []
      : [{ field: 'client.id', message: 'The password grant needs a Client ID.' }]),
    ...(c.username ? [] : [{ field: 'username', message: "Enter the resource owner's Username." }]),
  ],
  cacheInputs: (c, hash) => ({ username: c.username, password: hash(c.password) }),
  exports: {
    serverXml: {
      grantType: 'password',
      note: "the resource owner's user name and password come from the z/OS application (BAQ-OAUTH-USERNAME, BAQ-OAUTH-PASSWORD); they are not written",
    },
  },
  ui: {
    icon: 'person',
    groupTitle: 'Connection Groups: OAuth v2.0 (Password)',
    dialogTitle: 'OAuth 2.0 Password (Resource Owner)',
    steps: [
      {
        title: 'Password',
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
              { path: 'username', label: 'Username', kind: 'text' },
              { path: 'password', label: 'Password', kind: 'secret' },
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
