/**
 * OAuth 2.0 Device Authorization Grant (RFC 8628): the device authorization request, then the
 * user code and verification URI shown to the person (a link and a QR code in the app, stderr in
 * the CLI) while Tokensmith polls the token endpoint at the interval the server gives.
 */
import * as z from 'zod';
import { clientAuthOf, connectionBase } from './base.js';
import { optionalHttpUrl } from './primitives.js';
import { clientAuthSigning, type ConnectionTypeDescriptor } from './descriptor.js';
import {
  FIELDS,
  clientJwtSections,
  endpointsSection,
  foldedSections,
  sslSection,
} from './sections.js';
import { ACTIONS } from './ui.js';

/** RFC 8628 §3.4 grant type. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export const deviceCodeConnection = z.object({
  ...connectionBase,
  type: z.literal('device_code'),
  /** RFC 8628 §3.1; empty: the issuer's `device_authorization_endpoint` (discovery). */
  deviceAuthorizationEndpoint: optionalHttpUrl,
});
export type DeviceCodeConnection = z.infer<typeof deviceCodeConnection>;

export const deviceCode: ConnectionTypeDescriptor<DeviceCodeConnection> = {
  type: 'device_code',
  label: 'OAuth 2.0 Device Authorization',
  grantType: DEVICE_CODE_GRANT,
  interactive: true,
  defaults: () => ({ deviceAuthorizationEndpoint: '' }),
  clientAuthAsSent: (c) => clientAuthOf(c.client),
  signsJwt: clientAuthSigning,
  cacheInputs: (c) => ({
    deviceAuthorizationEndpoint: c.deviceAuthorizationEndpoint,
    issuer: c.issuer,
    authorizationParams: c.params.authorizationParams,
  }),
  exports: {
    serverXml: {
      unsupported:
        'z/OS Connect has no device authorization grant (client_credentials and password only)',
    },
    curlPreamble:
      'Request a device code first (`tokensmith token` does it and waits for you), then set DEVICE_CODE to it.',
  },
  ui: {
    icon: 'devices',
    groupTitle: 'Connection Groups: OAuth v2.0 (Device Authorization)',
    dialogTitle: 'OAuth 2.0 Device Authorization',
    steps: [
      {
        title: 'Device Authorization',
        sections: [
          endpointsSection([
            {
              path: 'deviceAuthorizationEndpoint',
              role: 'endpoint',
              label: 'Device Authorization Endpoint',
              kind: 'url',
              placeholder: 'https://login.example.com/oauth2/device/auth',
              help: "Empty: the issuer's device_authorization_endpoint (Discover)",
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
              FIELDS.clientAuth,
              FIELDS.sendClientId,
              FIELDS.scope,
              FIELDS.proxyAlias,
            ],
          },
          {
            id: 'deviceAuthorization',
            title: 'Sign in on another device',
            level: 'basic',
            fields: [
              {
                path: 'deviceAuthorization',
                label: 'User code and verification URI',
                kind: 'deviceAuthorization',
                full: true,
                help: 'Shown while the flow waits: open the link (or scan the QR code) on any device and enter the code. Cancel stops the polling.',
              },
            ],
          },
          ...clientJwtSections,
        ],
        action: ACTIONS.getDeviceCode,
      },
    ],
    advanced: foldedSections({ authorization: true, signs: 'clientAuth' }),
  },
};
