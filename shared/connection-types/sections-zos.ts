/**
 * The z/OS Connect sections (seeds 000–002), folded under "z/OS Connect" in every type: the JWT
 * builder's generated keys, calling the API with its retry rule, and a JWT from an
 * authentication server sent in its own header.
 */
import { JWK_KEY_SIZES, type ConnectionCommon } from './base.js';
import { ACTIONS, type FieldSpec, type SectionSpec } from './ui.js';

type Common = ConnectionCommon;
type Field = FieldSpec<Common>;

/** z/OS Connect JWT builder (seed 002): generated keys served as a JWKS, builder ID, rotation. */
export const jwtBuilderSection: SectionSpec<Common> = {
  id: 'jwtBuilder',
  title: 'JWT builder (z/OS Connect)',
  level: 'zos',
  fields: [
    {
      path: 'jwt.signing.jwkEnabled',
      label: 'Sign with a key Tokensmith generates and publishes as a JWKS (jwkEnabled)',
      kind: 'switch',
      full: true,
    },
    {
      path: 'jwt.signing.builderId',
      label: 'JWT Builder ID',
      kind: 'text',
      help: (c) =>
        c.jwt.signing.jwkEnabled
          ? 'Names the key set and its URL /jwt/ibm/api/{id}/jwk'
          : 'Optional: the default issuer becomes its URL and the alias’s public key is published at /jwt/ibm/api/{id}/jwk',
    },
    {
      path: 'jwt.signing.jwkRotationMinutes',
      label: 'Rotate the key every (minutes)',
      kind: 'number',
      help: 'jwkRotationTime, 720 by default; 0: only by hand',
      when: (c) => c.jwt.signing.jwkEnabled,
    },
    {
      path: 'jwt.signing.jwkKeySize',
      label: 'Key size',
      kind: 'select',
      options: JWK_KEY_SIZES.map((bits) => ({ value: String(bits), label: `RSA ${bits} bits` })),
      help: 'jwkSigningKeySize: for the next key generated',
      when: (c) => c.jwt.signing.jwkEnabled,
    },
    {
      path: 'jwt.signing.keys',
      label: 'Signing keys',
      kind: 'signingKeys',
      full: true,
      when: (c) => c.jwt.signing.jwkEnabled || c.jwt.signing.builderId !== '',
    },
  ],
};

/** Calling the API (z/OS endpoint connection, tokenRetryCheckLevel). */
export const apiSection: SectionSpec<Common> = {
  id: 'api',
  title: 'API',
  level: 'zos',
  fields: [
    {
      path: 'api.baseUrl',
      label: 'API Base URL',
      kind: 'url',
      placeholder: 'https://api.example.com:8443',
      help: 'Where Try API starts (z/OS endpoint connection host and port)',
    },
    {
      path: 'api.retryCheckLevel',
      label: 'Token retry check level',
      kind: 'select',
      options: [
        { value: '0', label: '0: on 401 with WWW-Authenticate invalid_token' },
        { value: '1', label: '1: on any 401' },
      ],
      help: 'z/OS tokenRetryCheckLevel: when an API call is retried with a new token',
    },
  ],
};

const authTokenOn = (c: Common) => c.authToken.enabled;

/** A JWT from an authentication server, sent in its own header (z/OS zosconnect_authToken, seed 000). */
export const authTokenSection: SectionSpec<Common> = {
  id: 'authToken',
  title: 'Authentication Server JWT',
  level: 'zos',
  actions: [ACTIONS.getJwt],
  fields: [
    {
      path: 'authToken.enabled',
      label:
        'Also send a JWT from an authentication server, in its own header (zosconnect_authToken)',
      kind: 'switch',
      full: true,
    },
    ...(
      [
        {
          path: 'authToken.tokenEndpoint',
          role: 'endpoint',
          label: 'Authentication Server URL',
          kind: 'url',
          required: true,
          placeholder: 'https://auth.example.com/jwt',
        },
        {
          path: 'authToken.requestMethod',
          label: 'Request Method',
          kind: 'select',
          options: ['GET', 'POST', 'PUT'].map((m) => ({ value: m, label: m })),
        },
        { path: 'authToken.username', label: 'User', kind: 'text' },
        {
          path: 'authToken.password',
          label: 'Password',
          kind: 'secret',
          help: 'Write ${env:NAME} to read it from the environment.',
        },
        {
          path: 'authToken.credentialLocation',
          label: 'Credentials Location',
          kind: 'select',
          options: [
            { value: 'header', label: 'Header (Basic user:password)' },
            { value: 'body', label: 'Request body' },
          ],
        },
        {
          path: 'authToken.requestHeader',
          label: 'Credentials Header',
          kind: 'text',
          help: 'e.g. JWTReqAuthorization',
          when: (c) => c.authToken.credentialLocation === 'header',
        },
        {
          path: 'authToken.requestBody',
          label: 'Request Body',
          kind: 'code',
          help: '${userid} and ${password} are replaced',
          when: (c) => c.authToken.credentialLocation === 'body',
        },
        {
          path: 'authToken.tokenLocation',
          label: 'JWT Location in the Response',
          kind: 'select',
          options: [
            { value: 'header', label: 'Header' },
            { value: 'body', label: 'Body' },
          ],
        },
        {
          path: 'authToken.responseHeader',
          label: 'JWT Response Header',
          kind: 'text',
          help: 'e.g. JWTResAuthorization',
          when: (c) => c.authToken.tokenLocation === 'header',
        },
        {
          path: 'authToken.responseFormat',
          label: 'Format',
          kind: 'select',
          options: ['JSON', 'Text'].map((m) => ({ value: m, label: m })),
          when: (c) => c.authToken.tokenLocation === 'body',
        },
        {
          path: 'authToken.tokenPath',
          label: 'JWT Path',
          kind: 'text',
          when: (c) =>
            c.authToken.tokenLocation === 'body' && c.authToken.responseFormat === 'JSON',
        },
        {
          path: 'authToken.header',
          label: 'API Request Header for the JWT',
          kind: 'text',
          help: 'Not Authorization: that carries the OAuth access token',
        },
        { path: 'authToken.useBearerScheme', label: 'Send as “Bearer <JWT>”', kind: 'switch' },
      ] satisfies Field[]
    ).map((f): Field => ({ ...f, when: (c) => authTokenOn(c) && (f.when?.(c) ?? true) })),
  ],
};
