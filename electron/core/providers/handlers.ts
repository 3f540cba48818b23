/** The provider channels (issue 25) of the app service: the profiles, and a connection built from one. */
import type { ChannelResponse, ParsedRequest } from '../../../shared/contract.js';
import { PROVIDERS } from '../../../shared/providers/index.js';
import { providerView } from '../../../shared/providers/view.js';
import { maskSecrets } from '../use-cases/secret-masks.js';
import type { Session } from '../use-cases/session.js';
import { addProviderConnection } from './add.js';

type Fields = ParsedRequest<'providers:build'>['fields'];

/** The dialog's few fields, set on the built record (as the CLI's field flags are). */
function applyFields(record: Record<string, unknown>, fields: Fields): void {
  const at = (key: string) => {
    const node = record[key];
    if (node !== null && typeof node === 'object') return node as Record<string, unknown>;
    const fresh: Record<string, unknown> = {};
    record[key] = fresh;
    return fresh;
  };
  const client = at('client');
  if (fields.clientId) client.id = fields.clientId.trim();
  if (fields.clientSecret) client.secret = fields.clientSecret;
  const jwt = at('jwt');
  const claims = (jwt.claims ??= {}) as Record<string, unknown>;
  if (fields.subject) claims.subject = fields.subject.trim();
  if (fields.scope) {
    // A JWT bearer grant with a scope claim (Google) carries its scopes in the JWT.
    if (record.type === 'jwt_bearer' && 'scopeClaim' in claims) claims.scopeClaim = fields.scope;
    else at('params').scope = fields.scope;
  }
  if (fields.audience) at('params').audience = fields.audience.trim();
}

export function providerHandlers(s: Session) {
  return {
    'providers:list': async (): Promise<ChannelResponse<'providers:list'>> =>
      PROVIDERS.map(providerView),
    'providers:build': async (
      req: ParsedRequest<'providers:build'>,
    ): Promise<ChannelResponse<'providers:build'>> => {
      const out = await addProviderConnection(s, {
        provider: req.provider,
        name: req.name,
        values: req.values,
        ...(req.keyFile
          ? {
              keyFile: {
                fileName: req.keyFile.fileName,
                data: Buffer.from(req.keyFile.content, 'base64'),
                ...(req.keyFile.password !== undefined ? { password: req.keyFile.password } : {}),
              },
            }
          : {}),
        ...(req.keystoreName ? { keystoreName: req.keystoreName } : {}),
        replace: req.replace,
        confirm: req.confirm,
        customize: (record) => applyFields(record, req.fields),
      });
      return {
        connection: maskSecrets('connection', out.connection),
        ...(out.keystore ? { keystore: out.keystore } : {}),
        notes: out.notes,
      };
    },
  };
}
