/**
 * The API-client exports' rules, without a server (the tools run them against the sandbox in
 * test/cli/export-api-clients.test.ts): what each tool refuses and why, secrets never written,
 * and the parameters each tool's OAuth 2.0 can carry. Insomnia's fields are those of its
 * `AuthTypeOAuth2` (Kong/insomnia packages/insomnia/src/models/request.ts) and what its
 * get-token.ts sends: scope, audience, one resource (client credentials only).
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionInput } from '../../../shared/connection.js';
import { emptyStore, type StoreDocument } from '../../../shared/store-model.js';
import { connection, failure } from '../../support/engine.js';
import {
  API_CLIENT_FORMATS,
  exportApiClient,
  type ApiClientFormat,
} from '../../../electron/core/transfer/api-clients/index.js';

const SECRET = 'Top-Secret_value.42';
const PASSWORD = 'hunter2-password';
const base = {
  type: 'client_credentials',
  tokenEndpoint: 'https://idp.example/token',
  client: { id: 'app', secret: SECRET },
  params: { scope: 'api:read  api:write' },
  api: { baseUrl: 'https://api.example/v1' },
} as const;

const doc = (): StoreDocument => emptyStore();
/** A connection's fields, as the test support's `connection()` takes them. */
type Input = { type: ConnectionInput['type'] } & Record<string, unknown>;
const exportOf = (format: ApiClientFormat, input: Input) =>
  exportApiClient([connection({ name: 'api', ...input } as never)], doc(), format);
const allText = (out: Awaited<ReturnType<typeof exportApiClient>>) =>
  [out.content, ...(out.files ?? []).map((f) => f.content)].join('\n');

describe('secrets are variables, never values', () => {
  it.each(API_CLIENT_FORMATS)('%s', async (format) => {
    for (const input of [
      base,
      { ...base, type: 'password', username: 'alice', password: PASSWORD },
      { ...base, client: { id: 'app', secret: SECRET, authMethod: 'client_secret_post' } },
    ] as Input[]) {
      const out = await exportOf(format, input);
      const text = allText(out);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(PASSWORD);
      if (format !== 'httpie') expect(out.requiredSecrets[0]).toBe('client_secret');
    }
  });
});

const REFUSALS: Array<[string, Input, Partial<Record<ApiClientFormat, RegExp>>]> = [
  [
    'private_key_jwt',
    { ...base, client: { id: 'app', authMethod: 'private_key_jwt' } },
    {
      postman: /Postman cannot sign the client assertion/,
      insomnia: /Insomnia cannot sign/,
      bruno: /Bruno cannot sign/,
    },
  ],
  [
    'DPoP',
    { ...base, dpop: { enabled: true } },
    {
      postman: /DPoP \(RFC 9449\)/,
      insomnia: /DPoP/,
      bruno: /DPoP/,
      httpie: /Not exported to HTTPie: "api" uses DPoP/,
    },
  ],
  [
    'a client certificate',
    { ...base, ssl: { enabled: true, keystoreAlias: 'mtls' } },
    { postman: /SSL Connection/, insomnia: /SSL Connection/, bruno: /SSL Connection/ },
  ],
  [
    'the id_token as the token',
    { ...base, tokenPath: '$.id_token' },
    { postman: /\$\.access_token only/, insomnia: /\$\.access_token only/ },
  ],
  [
    'a custom parameter',
    { ...base, params: { scope: 'a', tokenParams: [{ name: 'tenant', value: 't1' }] } },
    { insomnia: /sends the parameter tenant; Insomnia's OAuth 2.0/ },
  ],
  [
    'two resources',
    { ...base, params: { resource: ['https://a.example', 'https://b.example'] } },
    { insomnia: /resource more than once/, bruno: /resource more than once/ },
  ],
  [
    'a resource on the password grant',
    { ...base, type: 'password', username: 'u', params: { resource: ['https://a.example'] } },
    { insomnia: /sends the parameter resource/ },
  ],
  [
    'a value the tool reads as a template',
    { ...base, params: { scope: '{{scope}}' } },
    {
      postman: /reads as a variable/,
      insomnia: /reads as a variable/,
      bruno: /reads as a variable/,
    },
  ],
  [
    'a Basic client ID RFC 6749 §2.3.1 encodes',
    { ...base, client: { id: 'my app', secret: SECRET } },
    { postman: /Client ID with characters/, insomnia: /Client ID/, bruno: /Client ID/ },
  ],
  [
    'a Basic secret RFC 6749 §2.3.1 encodes',
    { ...base, client: { id: 'app', secret: 'a+b/c' } },
    {
      postman: /Client Secret with characters/,
      insomnia: /Client Secret with characters/,
      bruno: /Client Secret with characters/,
    },
  ],
  [
    'the JWT bearer grant',
    { type: 'jwt_bearer', tokenEndpoint: base.tokenEndpoint },
    { postman: /JWT bearer grant/, bruno: /JWT bearer grant/, insomnia: /JWT bearer grant/ },
  ],
  [
    'token exchange',
    { type: 'token_exchange', tokenEndpoint: base.tokenEndpoint },
    { postman: /token exchange \(RFC 8693\)/ },
  ],
];

describe('what a tool cannot do the same is refused, naming what it lacks', () => {
  it.each(REFUSALS)('%s', async (_label, input, refused) => {
    for (const format of API_CLIENT_FORMATS) {
      const expected = refused[format];
      if (expected) {
        const e = await failure(exportOf(format, input));
        expect(e.code, format).toBe('unsupported');
        expect(e.message, format).toMatch(expected);
      } else if (input.type === 'client_credentials' || input.type === 'password') {
        await expect(exportOf(format, input), format).resolves.toBeDefined();
      }
    }
  });

  it('a secret from the environment is exported as the variable, with a note', async () => {
    const out = await exportOf('bruno', {
      ...base,
      client: { id: 'app', secret: '${env:APP_SECRET}' },
    });
    expect(out.notes.join('\n')).toContain('Tokensmith reads the Client Secret from $APP_SECRET');
    expect(allText(out)).not.toContain('APP_SECRET}');
  });
});

describe('each tool carries the request parameters it can', () => {
  const params = {
    scope: 'api:read  api:write',
    audience: 'https://api.example',
    resource: ['https://api.example/v1'],
    tokenParams: [{ name: 'tenant', value: 't1' }],
  };
  const input: Input = { ...base, params };

  it('Postman: the scope as Tokensmith sends it, the others as token request parameters', async () => {
    const out = await exportOf('postman', input);
    const collection = JSON.parse(out.content) as {
      auth: { oauth2: Array<{ key: string; value: unknown }> };
      event: Array<{ script: { exec: string[] } }>;
    };
    const auth = Object.fromEntries(collection.auth.oauth2.map((p) => [p.key, p.value]));
    expect(auth.scope).toBe('api:read api:write');
    expect(auth.tokenRequestParams).toEqual([
      { key: 'resource', value: 'https://api.example/v1', enabled: true, send_as: 'request_body' },
      { key: 'audience', value: 'https://api.example', enabled: true, send_as: 'request_body' },
      { key: 'tenant', value: 't1', enabled: true, send_as: 'request_body' },
    ]);
    const script = collection.event[0]!.script.exec.join('\n');
    expect(script).toContain(`["tenant", "t1"]`);
    expect(script).toContain(`formEncode(secret('client_secret'))`);
  });

  it('Bruno: the others in the access token request body block', async () => {
    const out = await exportOf('bruno', input);
    expect(out.content).toContain(
      'auth:oauth2:additional_params:access_token_req:body {\n  resource: https://api.example/v1\n  audience: https://api.example\n  tenant: t1\n}',
    );
    expect(out.content).toContain('  scope: api:read api:write\n');
  });

  it("Insomnia: audience and one resource, in its AuthTypeOAuth2's fields", async () => {
    const out = await exportOf('insomnia', {
      ...input,
      params: { ...params, tokenParams: [] },
      client: { id: 'app', secret: SECRET, authMethod: 'client_secret_post' },
    });
    const exported = JSON.parse(out.content) as {
      _type: string;
      __export_format: number;
      resources: Array<{
        _type: string;
        authentication?: Record<string, unknown>;
        data?: object;
        isPrivate?: boolean;
      }>;
    };
    expect(exported._type).toBe('export');
    expect(exported.__export_format).toBe(4);
    const request = exported.resources.find((r) => r._type === 'request')!;
    // The fields of Insomnia's AuthTypeOAuth2 this export uses.
    const fields = [
      'type',
      'disabled',
      'grantType',
      'accessTokenUrl',
      'clientId',
      'clientSecret',
      'credentialsInBody',
      'scope',
      'audience',
      'resource',
      'username',
      'password',
      'tokenPrefix',
    ];
    expect(Object.keys(request.authentication!).every((k) => fields.includes(k))).toBe(true);
    expect(request.authentication).toMatchObject({
      type: 'oauth2',
      grantType: 'client_credentials',
      clientSecret: '{{ _.client_secret }}',
      credentialsInBody: true,
      scope: 'api:read api:write',
      audience: 'https://api.example',
      resource: 'https://api.example/v1',
    });
    const secrets = exported.resources.find((r) => r._type === 'environment' && r.isPrivate);
    expect(secrets?.data).toEqual({ client_secret: '' });
  });
});
