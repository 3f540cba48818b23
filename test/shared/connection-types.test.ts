/**
 * The connection-type registry is whole and consistent: every type has a descriptor and a
 * grant, every field a descriptor shows exists in that type's model, and the flow steps end in
 * the seed's buttons (CloudStreams seed 004).
 */
import { describe, expect, it } from 'vitest';
import {
  CONNECTION_TYPES,
  DESCRIPTORS,
  connectionSchema,
  descriptorOfType,
  newConnection,
  suggestedName,
  type ConnectionType,
} from '../../shared/connection.js';
import { endpointPaths } from '../../shared/connection-types/index.js';
import { DISPLAY_KINDS, fieldsOf, type ConnectionUi } from '../../shared/connection-types/ui.js';
import { sameDestination } from '../../electron/core/transfer/kept-secrets.js';
import { fieldFlags } from '../../cli/connection-flags.js';
import { GRANTS } from '../../electron/core/grants/registry.js';

function sample(type: ConnectionType) {
  return connectionSchema.parse({
    ...newConnection(type, { id: 'x', name: 'x', tokenEndpoint: 'https://as.example/token' }),
    ...(type === 'authorization_code' ? { authorizationEndpoint: 'https://as.example/auth' } : {}),
  });
}

function has(record: unknown, path: string): boolean {
  let node = record;
  for (const part of path.split('.')) {
    if (!node || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return true;
}

describe('connection-type registry', () => {
  it('has a descriptor and a grant for every type, and nothing else', () => {
    expect(Object.keys(DESCRIPTORS).sort()).toEqual([...CONNECTION_TYPES].sort());
    expect(Object.keys(GRANTS).sort()).toEqual([...CONNECTION_TYPES].sort());
  });

  it.each(CONNECTION_TYPES)('%s: every field it shows is a path of its model', (type) => {
    const conn = sample(type);
    const ui = descriptorOfType(type).ui;
    const missing = fieldsOf(ui)
      .filter((f) => !DISPLAY_KINDS.has(f.kind))
      .filter((f) => !has(conn, f.path))
      .map((f) => f.path);
    expect(missing).toEqual([]);
    // Predicates and help texts work on a default connection.
    for (const field of fieldsOf(ui)) {
      field.when?.(conn as never);
      if (typeof field.help === 'function') expect(field.help(conn as never)).toBeTruthy();
    }
  });

  it('the flows end in the seed’s buttons, in the seed’s order', () => {
    const actions = (type: ConnectionType) => DESCRIPTORS[type].ui.steps.map((s) => s.action.label);
    expect(actions('authorization_code')).toEqual(['Authorize']);
    expect(actions('jwt_bearer')).toEqual(['Get Token']);
    expect(actions('jwt_client_assertion')).toEqual(['Generate JWT Token', 'Submit Request']);
    expect(actions('client_credentials')).toEqual(['Generate Access Token']);
    // Client assertion, step 1: Headers → Claims → Keystore and Proxy; step 2: Request Endpoints →
    // SSL → JWT Assertion Request Parameters (seed 004).
    const [first, second] = DESCRIPTORS.jwt_client_assertion.ui.steps;
    expect(first?.sections.map((s) => s.title)).toEqual([
      'Headers',
      'Claims',
      'Keystore and Proxy',
    ]);
    expect(second?.sections.map((s) => s.title)).toEqual([
      'Request Endpoints',
      'SSL Connection',
      'JWT Assertion Request Parameters',
    ]);
    expect(DESCRIPTORS.jwt_client_assertion.ui.groupTitle).toBe(
      'Connection Groups: OAuth v2.0 (JWT Client Assertion)',
    );
  });

  it('the client authentication as sent and the cache inputs come from the descriptor', () => {
    const assertion = sample('jwt_client_assertion');
    expect(DESCRIPTORS.jwt_client_assertion.clientAuthAsSent(assertion as never)).toBe(
      'private_key_jwt',
    );
    const cc = connectionSchema.parse({
      ...newConnection('client_credentials', {
        id: 'c',
        name: 'c',
        tokenEndpoint: 'https://t.example',
      }),
      client: { id: 'a', secret: 's' },
    });
    expect(DESCRIPTORS.client_credentials.clientAuthAsSent(cc as never)).toBe(
      'client_secret_basic',
    );
    expect(DESCRIPTORS.client_credentials.signsJwt(cc as never)).toBeUndefined();
    expect(DESCRIPTORS.jwt_bearer.signsJwt(sample('jwt_bearer') as never)).toEqual({
      use: 'grant',
      key: 'keystore',
    });
  });
});

describe('field roles: the rules that bind secrets to their destination ask the descriptors', () => {
  it('every endpoint field of every type declares its role', () => {
    for (const [type, d] of Object.entries(DESCRIPTORS))
      for (const f of fieldsOf(d.ui as ConnectionUi<never>))
        if (/Endpoint$/.test(f.path)) expect(f.role, `${type}: ${f.path}`).toBe('endpoint');
  });

  it('a new endpoint field is a destination by being declared: no list to edit elsewhere', () => {
    const base = DESCRIPTORS.client_credentials;
    const ciba = {
      ...base,
      ui: {
        ...base.ui,
        advanced: [
          ...base.ui.advanced,
          {
            id: 'ciba',
            title: 'Backchannel authentication',
            level: 'advanced' as const,
            fields: [
              {
                path: 'backchannelAuthenticationEndpoint',
                label: 'Backchannel Authentication Endpoint',
                kind: 'url' as const,
                role: 'endpoint' as const,
              },
            ],
          },
        ],
      },
    };
    const registered = Object.values(DESCRIPTORS) as never[];
    expect(endpointPaths(registered)).not.toContain('backchannelAuthenticationEndpoint');
    expect(endpointPaths([...registered, ciba as never])).toContain(
      'backchannelAuthenticationEndpoint',
    );
    // What the store and the import compare is that list: each registered endpoint counts.
    const mine = { type: 'client_credentials', tokenEndpoint: 'https://as.example/token' };
    for (const path of endpointPaths()) {
      const moved = structuredClone(mine) as Record<string, unknown>;
      const parts = path.split('.');
      let node = moved;
      for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
      node[parts.at(-1)!] = 'https://evil.example/x';
      expect(sameDestination('connection', mine, moved), path).toBe(false);
    }
  });
});

describe('display-only kinds: one list', () => {
  it('no CLI flag for a field that shows something rather than holds a value', () => {
    const flags = [...fieldFlags().values()];
    expect(flags.filter((f) => DISPLAY_KINDS.has(f.kind))).toEqual([]);
    // The device flow's panel (user code and verification URI) was offered as a flag once.
    expect(flags.map((f) => f.flag)).not.toContain('user-code-and-verification-uri');
  });
});

describe('a name for a connection the user has not named', () => {
  it('its type and host, unique among the names taken', () => {
    const conn = { type: 'client_credentials', tokenEndpoint: 'https://login.example.com/t' };
    expect(suggestedName(conn)).toBe('client-credentials@login.example.com');
    expect(
      suggestedName(conn, [
        'client-credentials@login.example.com',
        'client-credentials@login.example.com-2',
      ]),
    ).toBe('client-credentials@login.example.com-3');
    expect(suggestedName({ type: 'jwt_bearer', issuer: 'https://idp.example' })).toBe(
      'jwt-bearer@idp.example',
    );
    expect(suggestedName({ type: 'password', tokenEndpoint: 'not a url' })).toBe('password');
  });
});
