/**
 * Insomnia: an export in Insomnia's format 4 (`_type: export`, `__export_format: 4`) holding a
 * workspace, its base environment (the API URL), a private sub-environment whose secrets are
 * empty (Insomnia does not sync private environments) and one request whose authentication is
 * OAuth 2.0 with the connection's grant, token URL, client ID and client authentication; the
 * secrets are the Nunjucks variables `{{ _.client_secret }}` and `{{ _.password }}`.
 *
 * Insomnia's OAuth 2.0 (packages/insomnia/src/network/o-auth-2/get-token.ts) sends scope,
 * audience and (client credentials only) one resource, and no other parameter: a connection
 * with more is refused rather than exported to send a different request.
 */
import { createHash } from 'node:crypto';
import { TokensmithError } from '../../errors.js';
import type { ClientOAuth } from './client-oauth.js';

const idOf = (prefix: string, ...parts: string[]) =>
  `${prefix}_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;

/** The parameters Insomnia's OAuth 2.0 can send beside the grant's own, per grant. */
const SENDABLE = {
  client_credentials: ['audience', 'resource'],
  password: ['audience'],
} as const;

export function insomniaExport(o: ClientOAuth, exportedAt: Date = new Date()): object {
  const sendable: readonly string[] = SENDABLE[o.grant];
  const values = new Map<string, string>();
  for (const [k, v] of o.extra) {
    if (!sendable.includes(k) || values.has(k))
      throw new TokensmithError(
        'unsupported',
        `Not exported to Insomnia: "${o.name}" sends ${values.has(k) ? `${k} more than once` : `the parameter ${k}`}; Insomnia's OAuth 2.0 (${o.grant === 'password' ? 'password' : 'client credentials'}) sends only ${sendable.join(' and ')} beside ${o.grant === 'password' ? 'username, password and scope' : 'scope'}, once each.`,
      );
    values.set(k, v);
  }
  const workspace = idOf('wrk', o.name);
  const base = idOf('env', o.name, 'base');
  const hasSecret = o.secrets.some((s) => s.variable === 'client_secret');
  const authentication = {
    type: 'oauth2',
    disabled: false,
    grantType: o.grant,
    accessTokenUrl: o.tokenUrl,
    clientId: o.clientId,
    clientSecret: hasSecret ? '{{ _.client_secret }}' : '',
    // Insomnia puts client_id (and a secret, if any) in the body when this is set, else Basic.
    credentialsInBody: o.clientAuth !== 'basic',
    scope: o.scope,
    audience: values.get('audience') ?? '',
    ...(o.grant === 'client_credentials' ? { resource: values.get('resource') ?? '' } : {}),
    ...(o.grant === 'password' ? { username: o.username, password: '{{ _.password }}' } : {}),
    tokenPrefix: 'Bearer',
  };
  return {
    _type: 'export',
    __export_format: 4,
    __export_date: exportedAt.toISOString(),
    __export_source: 'tokensmith',
    resources: [
      {
        _id: workspace,
        _type: 'workspace',
        parentId: null,
        name: o.name,
        description: 'Exported by Tokensmith. Set the secrets in the private environment.',
        scope: 'collection',
      },
      {
        _id: base,
        _type: 'environment',
        parentId: workspace,
        name: 'Base Environment',
        data: { base_url: o.apiUrl },
        isPrivate: false,
      },
      ...(o.secrets.length
        ? [
            {
              _id: idOf('env', o.name, 'secrets'),
              _type: 'environment',
              parentId: base,
              name: 'Secrets (private)',
              data: Object.fromEntries(o.secrets.map((s) => [s.variable, ''])),
              isPrivate: true,
            },
          ]
        : []),
      {
        _id: idOf('req', o.name),
        _type: 'request',
        parentId: workspace,
        name: 'API',
        method: 'GET',
        url: '{{ _.base_url }}',
        body: {},
        parameters: [],
        headers: [{ name: 'Accept', value: 'application/json' }],
        authentication,
      },
    ],
  };
}
