/**
 * Options every connection type shares beyond the seed's dialogs: DPoP proof of possession
 * (RFC 9449) on its token, refresh and API requests, and the endpoints that introspect (RFC 7662)
 * and revoke (RFC 7009) its tokens. Pure TypeScript.
 */
import * as z from 'zod';
import { optionalHttpUrl, singleLine } from './primitives.js';

/** Where the DPoP proof key comes from. */
export const DPOP_KEY_SOURCES = ['generated', 'keystore'] as const;
export type DpopKeySource = (typeof DPOP_KEY_SOURCES)[number];

/**
 * DPoP (RFC 9449): each token and refresh request, and each API call, carries a proof JWT signed
 * with the connection's proof key; the server binds the token to that key (`cnf.jkt`).
 * `generated`: an ES256 key Tokensmith makes for this connection and keeps sealed in the store;
 * `keystore`: the private key of Keystore Name + Key Alias.
 */
export const dpopSettings = z.object({
  enabled: z.boolean().default(false),
  keySource: z.enum(DPOP_KEY_SOURCES).default('generated'),
  keystore: singleLine('Keystore Name').default(''),
  alias: singleLine('Key Alias').default(''),
});
export type DpopSettings = z.infer<typeof dpopSettings>;

/** The fields `connectionBase` gains from this module. */
export const tokenBindingFields = {
  /** RFC 7662; empty: the issuer's `introspection_endpoint` (discovery). */
  introspectionEndpoint: optionalHttpUrl,
  /** RFC 7009; empty: the issuer's `revocation_endpoint` (discovery). */
  revocationEndpoint: optionalHttpUrl,
  dpop: dpopSettings.prefault({}),
};
