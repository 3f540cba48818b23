/**
 * Import with Replace keeps the user's secrets the file leaves out (the default export has
 * none), but only where they would go as before: a file that points the record at another
 * endpoint, keystore file or proxy server gets none of them.
 */
import { describe, expect, it } from 'vitest';
import { planImport } from '../../../electron/core/transfer/plan-import.js';
import { emptyStore, storeDocument, type StoreDocument } from '../../../shared/store-model.js';
import { secretsToFill } from '../../../shared/transfer.js';

const ENDPOINT = 'https://login.example.test/token';

function userStore(): StoreDocument {
  return storeDocument.parse({
    ...emptyStore(),
    connections: [
      {
        id: 'api',
        name: 'api',
        type: 'password',
        tokenEndpoint: ENDPOINT,
        client: { id: 'app', secret: 'local-client-secret' },
        username: 'me',
        password: 'local-password',
      },
    ],
    keystores: [
      { name: 'signing', kind: 'pem', path: '/home/me/signing.pem', password: 'local-ks-pass' },
    ],
    proxies: [{ name: 'corp', host: 'proxy.corp.test', port: 3128, password: 'local-proxy' }],
  });
}

function incoming(tokenEndpoint: string, keystorePath: string, proxyHost: string): string {
  return JSON.stringify({
    format: 'tokensmith.connections',
    version: 1,
    connections: [
      {
        id: 'api',
        name: 'api',
        type: 'password',
        tokenEndpoint,
        client: { id: 'app', secret: '' },
        username: 'me',
        password: '',
        description: 'from a colleague',
      },
    ],
    keystores: [{ name: 'signing', kind: 'pem', path: keystorePath }],
    proxies: [{ name: 'corp', host: proxyHost, port: 3128 }],
    requiredSecrets: [
      '/connections/0/client/secret',
      '/connections/0/password',
      '/keystores/0/password',
      '/proxies/0/password',
    ],
  });
}

describe('import with Replace and the local secrets', () => {
  it('keeps them where the file leaves them out and they go where they went', () => {
    const plan = planImport(
      incoming(ENDPOINT, '/home/me/signing.pem', 'proxy.corp.test'),
      userStore(),
      { replace: true, confirmAll: true },
    );
    const [conn] = plan.document.connections;
    expect(conn?.description).toBe('from a colleague');
    expect(conn?.client.secret).toBe('local-client-secret');
    expect(conn?.type === 'password' && conn.password).toBe('local-password');
    expect(plan.document.keystores[0]?.password).toBe('local-ks-pass');
    expect(plan.document.proxies[0]?.password).toBe('local-proxy');
    expect(plan.missingSecrets).toEqual([]);
  });

  it('gives none of them to a record the file points elsewhere; they are left to fill', () => {
    const plan = planImport(
      incoming('https://attacker.example.test/token', '/tmp/other.pem', 'proxy.attacker.test'),
      userStore(),
      { replace: true, confirmAll: true },
    );
    const [conn] = plan.document.connections;
    expect(conn?.client.secret).toBe('');
    expect(conn?.type === 'password' && conn.password).toBe('');
    expect(plan.document.keystores[0]?.password).toBe('');
    expect(plan.document.proxies[0]?.password).toBe('');
    expect(plan.missingSecrets).toEqual([
      '/connections/0/client/secret',
      '/connections/0/password',
      '/keystores/0/password',
      '/proxies/0/password',
    ]);
    // What the import dialog lists to fill in, by record.
    expect(secretsToFill(plan.missingSecrets, plan.imported)).toEqual([
      'connection "api": client secret, password',
      'keystore "signing": password',
      'proxy alias "corp": password',
    ]);
  });

  it('takes a secret the file brings over the local one', () => {
    const file = JSON.parse(incoming(ENDPOINT, '/home/me/signing.pem', 'proxy.corp.test')) as {
      connections: Array<{ password: string }>;
    };
    file.connections[0]!.password = '${env:MYAPP_PASSWORD}';
    const plan = planImport(JSON.stringify(file), userStore(), {
      replace: true,
      confirmAll: true,
    });
    const [conn] = plan.document.connections;
    expect(conn?.type === 'password' && conn.password).toBe('${env:MYAPP_PASSWORD}');
    expect(conn?.client.secret).toBe('local-client-secret');
  });

  it('keeps none when another endpoint that gets the client authentication is the file’s', () => {
    const file = JSON.parse(incoming(ENDPOINT, '/home/me/signing.pem', 'proxy.corp.test')) as {
      connections: Array<Record<string, unknown>>;
    };
    file.connections[0]!.introspectionEndpoint = 'https://attacker.example.test/introspect';
    const store = userStore();
    store.lastTokens = [
      {
        connectionId: 'api',
        savedAt: new Date().toISOString(),
        source: 'network',
        result: { token: 'user-token', accessToken: 'user-token', fields: {} },
      } as unknown as StoreDocument['lastTokens'][number],
    ];
    const plan = planImport(JSON.stringify(file), store, { replace: true, confirmAll: true });
    const [conn] = plan.document.connections;
    expect(conn?.client.secret).toBe('');
    // Redirected, it starts afresh: a new ID, so the user's tokens (cache, last token set, DPoP
    // key, all found by ID) are out of its reach.
    expect(conn?.id).not.toBe('api');
    expect(plan.document.lastTokens).toEqual([]);
    expect(plan.missingSecrets).toContain('/connections/0/client/secret');
  });

  it('over a truststore the file brings too: kept when it is the same CA file, not when another', () => {
    const store = userStore();
    store.keystores.push({
      ...store.keystores[0]!,
      name: 'corp-ca',
      purpose: 'truststore',
      path: '/home/me/ca.pem',
      password: '',
    });
    store.connections[0]!.ssl.truststoreAlias = 'corp-ca';
    const withCa = (path: string) => {
      const file = JSON.parse(incoming(ENDPOINT, '/home/me/signing.pem', 'proxy.corp.test')) as {
        connections: Array<{ ssl?: unknown }>;
        keystores: unknown[];
      };
      file.connections[0]!.ssl = { enabled: true, truststoreAlias: 'corp-ca' };
      file.keystores.push({ name: 'corp-ca', purpose: 'truststore', kind: 'pem', path });
      return planImport(JSON.stringify(file), store, { replace: true, confirmAll: true });
    };
    expect(withCa('/home/me/ca.pem').document.connections[0]?.client.secret).toBe(
      'local-client-secret',
    );
    expect(withCa('/tmp/attacker-ca.pem').document.connections[0]?.client.secret).toBe('');
  });
});
