/** A core wired for tests: a real HTTP client, the fixture keystores and a sandbox server. */
import {
  connectionSchema,
  type Connection,
  type ConnectionInput,
} from '../../shared/connection.js';
import type { KeystoreEntryInput, ProxyAliasInput } from '../../shared/resources.js';
import { keystoreEntry, proxyAlias } from '../../shared/resources.js';
import { HttpClient } from '../../electron/core/http/http-client.js';
import { ResourceRegistry } from '../../electron/core/resources.js';
import type { FlowContext } from '../../electron/core/oauth/flow-context.js';
import { fixtures } from './fixtures.js';
import { TokensmithError } from '../../electron/core/errors.js';

type WithoutIds<T> = T extends unknown ? Omit<T, 'id' | 'name'> & { name?: string } : never;

export function connection(input: WithoutIds<ConnectionInput>): Connection {
  return connectionSchema.parse({ id: 'test', name: 'test', ...input });
}

export async function fixtureKeystores(
  extra: KeystoreEntryInput[] = [],
): Promise<KeystoreEntryInput[]> {
  const f = await fixtures();
  return [
    { name: 'demo', kind: 'pkcs12', path: f.path('rsa.p12'), password: 'changeit' },
    { name: 'ec', kind: 'pkcs12', path: f.path('ec.p12'), password: 'changeit' },
    {
      name: 'jks',
      kind: 'jks',
      path: f.path('keystore-keypass.jks'),
      password: 'storepass',
      keyPasswords: { jwtsign: 'keypass1' },
    },
    { name: 'expired', kind: 'pem', path: f.path('expired.pem') },
    { name: 'mtls', kind: 'pkcs12', path: f.path('client.p12'), password: 'changeit' },
    { name: 'test-ca', purpose: 'truststore', kind: 'pem', path: f.path('ca.crt') },
    { name: 'cert-only', kind: 'pkcs12', path: f.path('cert-only.p12'), password: 'changeit' },
    ...extra,
  ];
}

export async function testContext(
  options: { keystores?: KeystoreEntryInput[]; proxies?: ProxyAliasInput[] } = {},
): Promise<FlowContext & { http: HttpClient }> {
  const keystores = (options.keystores ?? (await fixtureKeystores())).map((k) =>
    keystoreEntry.parse(k),
  );
  const proxies = (options.proxies ?? []).map((p) => proxyAlias.parse(p));
  return { http: new HttpClient(), resources: new ResourceRegistry({ keystores, proxies }) };
}

/** The TokensmithError a promise rejects with (fails the test otherwise). */
export async function failure(p: Promise<unknown>): Promise<TokensmithError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TokensmithError) return e;
    throw new Error(`Expected a TokensmithError, got: ${String(e)}`, { cause: e });
  }
  throw new Error('Expected a failure, but it succeeded');
}
