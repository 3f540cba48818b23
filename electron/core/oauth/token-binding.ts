/**
 * Checks that an issued token is bound to what proved possession (shown with the result):
 * DPoP's proof key (RFC 9449 §6: `cnf.jkt` = the key's RFC 7638 thumbprint) and the client
 * certificate of mutual TLS (RFC 8705 §3.1: `cnf.x5t#S256` = the certificate's SHA-256
 * thumbprint). The token's `cnf` is read from the JWT, or by introspection (RFC 7662 §2.2) when
 * the token is opaque and an introspection endpoint is known.
 */
import { X509Certificate } from 'node:crypto';
import { decodeJwt } from 'jose';
import type {
  ExchangeRecord,
  TokenBindingCheck,
  TokenResult,
} from '../../../shared/token-result.js';
import { x5tS256 } from '../keys/certificate.js';
import type { FlowContext } from './flow-context.js';
import type { ResolvedConnection } from './resolve.js';
import { serverMetadata } from './server-metadata.js';
import { introspectToken } from './token-management.js';

interface Expected {
  kind: TokenBindingCheck['kind'];
  expected: string;
}

type Cnf = Record<string, unknown> | undefined;

function jwtCnf(token: string): { cnf: Cnf } | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    const cnf = decodeJwt(token).cnf;
    return { cnf: cnf && typeof cnf === 'object' ? (cnf as Record<string, unknown>) : undefined };
  } catch {
    return undefined;
  }
}

async function expectations(resolved: ResolvedConnection): Promise<Expected[]> {
  const out: Expected[] = [];
  const prover = await resolved.dpop();
  if (prover) out.push({ kind: 'dpop', expected: prover.jkt });
  const certificate = (await resolved.networkProfile()).clientCertificate?.cert;
  if (certificate) out.push({ kind: 'mtls', expected: x5tS256(new X509Certificate(certificate)) });
  return out;
}

/** Whether to introspect an opaque token for its `cnf`: only where the server can bind. */
async function introspectable(
  resolved: ResolvedConnection,
  ctx: FlowContext,
  wanted: Expected[],
): Promise<boolean> {
  if (resolved.conn.introspectionEndpoint) return true;
  const metadata = await serverMetadata(resolved, ctx).catch(() => undefined);
  if (!metadata?.introspection_endpoint) return false;
  return wanted.some((w) =>
    w.kind === 'dpop'
      ? metadata.dpop_signing_alg_values_supported !== undefined
      : metadata.tls_client_certificate_bound_access_tokens === true,
  );
}

const MEMBER = { dpop: 'jkt', mtls: 'x5t#S256' } as const;
const WHAT = { dpop: 'DPoP proof key', mtls: 'client certificate' } as const;

function judge(
  w: Expected,
  cnf: Cnf,
  via: TokenBindingCheck['via'],
  tokenType: string | undefined,
): TokenBindingCheck {
  const member = MEMBER[w.kind];
  const found = typeof cnf?.[member] === 'string' ? (cnf[member] as string) : undefined;
  const base = { kind: w.kind, expected: w.expected, via, ...(found ? { found } : {}) };
  if (w.kind === 'dpop' && tokenType !== undefined && !/^dpop$/i.test(tokenType))
    return {
      ...base,
      ok: false,
      message: `The server issued a ${tokenType} token: it ignored the DPoP proof, and the token is not bound to the key (${w.expected}).`,
    };
  if (via === 'unchecked')
    return {
      ...base,
      message: `The token is opaque and was not introspected: its binding to the ${WHAT[w.kind]} (${w.expected}) was not checked.`,
    };
  if (found === w.expected)
    return {
      ...base,
      ok: true,
      message: `cnf.${member} matches the ${WHAT[w.kind]} (${via === 'jwt' ? 'from the JWT' : 'by introspection'}).`,
    };
  if (found)
    return {
      ...base,
      ok: false,
      message: `cnf.${member} is ${found}, not the ${WHAT[w.kind]}'s thumbprint ${w.expected}: the token is bound to another ${w.kind === 'dpop' ? 'key' : 'certificate'}.`,
    };
  return w.kind === 'dpop'
    ? { ...base, ok: false, message: `The token has no cnf.jkt although it is a DPoP token.` }
    : {
        ...base,
        message:
          'The token has no cnf.x5t#S256: the server did not bind it to the client certificate (it may not issue certificate-bound tokens).',
      };
}

/** The result with its binding checks, their warnings and any introspection exchange. */
export async function withBindingChecks(
  resolved: ResolvedConnection,
  result: TokenResult,
  ctx: FlowContext,
): Promise<TokenResult> {
  const wanted = await expectations(resolved);
  if (wanted.length === 0) return result;
  const token = result.accessToken ?? result.token;
  let cnf: Cnf;
  let via: TokenBindingCheck['via'] = 'unchecked';
  let failed: string | undefined;
  const exchanges: ExchangeRecord[] = [];
  const fromJwt = jwtCnf(token);
  if (fromJwt) {
    ({ cnf } = fromJwt);
    via = 'jwt';
  } else if (await introspectable(resolved, ctx, wanted)) {
    try {
      const answer = await introspectToken(resolved, ctx, token, 'access_token');
      exchanges.push(...answer.exchanges);
      const member = answer.fields.cnf;
      cnf = member && typeof member === 'object' ? (member as Record<string, unknown>) : undefined;
      via = 'introspection';
    } catch (e) {
      // The token was issued: a failed check is reported with it, not instead of it.
      failed = (e as Error).message;
    }
  }
  const bindings = wanted.map((w) => {
    const check = judge(w, cnf, via, result.tokenType);
    return failed && check.ok === undefined
      ? { ...check, message: `${check.message} (Introspection failed: ${failed})` }
      : check;
  });
  return {
    ...result,
    bindings,
    warnings: [...result.warnings, ...bindings.filter((b) => b.ok === false).map((b) => b.message)],
    exchanges: [...result.exchanges, ...exchanges],
  };
}
