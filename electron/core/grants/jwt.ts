/**
 * The JWT type (API Gateway, seed 003): the JWT from the issuer — user name and password as Basic
 * credentials (or a body template), optional claims as a JSON body, the JWT read from the
 * response — or the pasted JWT as it is. The issuer request is the one the curl export renders.
 */
import type { JwtConnection } from '../../../shared/connection.js';
import {
  fillRequestBody,
  jwtRequestFor,
  jwtResult,
  requestIssuedJwt,
  type JwtRequestSettings,
} from '../auth-token.js';
import { nowOf } from '../oauth/flow-context.js';
import { encodedPlaceholder, type ResolvedConnection } from '../oauth/resolve.js';
import type { Grant, PreparedGrant } from './grant.js';

function settingsOf(conn: JwtConnection): JwtRequestSettings {
  return { ...conn.jwtIssuer, tokenEndpoint: conn.tokenEndpoint };
}

async function prepare(resolved: ResolvedConnection<JwtConnection>): Promise<PreparedGrant> {
  const settings = settingsOf(resolved.conn);
  const request = jwtRequestFor(settings);
  if (resolved.exporting && settings.credentialLocation === 'body') {
    // An export fills the template as the engine does, but the password (a placeholder for its
    // variable) is escaped for the body by the exported command at run time.
    const json = /^\s*[[{]/.test(settings.requestBody);
    const token = 'TOKENSMITHEXPORTEDPASSWORD';
    request.body = fillRequestBody(settings.requestBody, settings.username, token).replaceAll(
      token,
      encodedPlaceholder(settings.password, json ? 'json' : 'uri'),
    );
  }
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
