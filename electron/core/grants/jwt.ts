/**
 * The JWT type (API Gateway, seed 003): the JWT from the issuer — user name and password as Basic
 * credentials (or a body template), optional claims as a JSON body, the JWT read from the
 * response — or the pasted JWT as it is. The issuer request is the one the curl export renders.
 */
import type { JwtConnection } from '../../../shared/connection.js';
import {
  jwtRequestFor,
  jwtResult,
  requestIssuedJwt,
  type JwtRequestSettings,
} from '../auth-token.js';
import { nowOf } from '../oauth/flow-context.js';
import type { ResolvedConnection } from '../oauth/resolve.js';
import type { Grant, PreparedGrant } from './grant.js';

function settingsOf(conn: JwtConnection): JwtRequestSettings {
  return { ...conn.jwtIssuer, tokenEndpoint: conn.tokenEndpoint };
}

async function prepare(resolved: ResolvedConnection<JwtConnection>): Promise<PreparedGrant> {
  const settings = settingsOf(resolved.conn);
  // An export keeps the body template as it is: its placeholders name the secrets to set.
  const request = jwtRequestFor(
    resolved.exporting && settings.credentialLocation === 'body'
      ? { ...settings, username: '${userid}', password: '${password}' }
      : settings,
  );
  const inHeader = settings.credentialLocation === 'header';
  return {
    request,
    form: [],
    clientAuth: {
      method: 'omitted',
      form: [],
      headers: {},
      ...(inHeader
        ? {
            basic: {
              id: settings.username,
              secret: settings.password,
              encoding: 'plain' as const,
              header: settings.requestHeader,
            },
          }
        : {}),
    },
  };
}

export const jwt: Grant<JwtConnection, void> = {
  prepare: (resolved) => prepare(resolved),
  async run(resolved, ctx) {
    const { conn } = resolved;
    if (conn.pastedJwt) return jwtResult(conn.pastedJwt, 'pasted', nowOf(ctx), []);
    const { request } = await prepare(resolved);
    return requestIssuedJwt(conn, settingsOf(conn), ctx, {
      label: 'JWT issuer',
      field: 'tokenEndpoint',
      request,
    });
  },
  exportInput: () => undefined,
};
