/**
 * The channels of the resources connections use (keystores and truststores, certificates,
 * signing keys and the JWKS server, proxy aliases, provider profiles), for the app service's
 * channel map.
 */
import type { Channel, ChannelResponse, ParsedRequest } from '../../shared/contract.js';
import type { JwkServerControl } from './use-cases/jwk-server.js';
import * as keystores from './use-cases/keystores.js';
import { deleteProxy, listProxies, saveProxy } from './use-cases/proxies.js';
import { providerHandlers } from './providers/handlers.js';
import { maskSecrets } from './use-cases/secret-masks.js';
import type { Session } from './use-cases/session.js';
import { rotateSigningKeys, signingKeysView } from './use-cases/signing-keys.js';

export type Handlers = {
  [C in Channel]: (request: ParsedRequest<C>) => Promise<ChannelResponse<C>>;
};

type ResourceChannel = Extract<
  Channel,
  | `keystores:${string}`
  | `proxies:${string}`
  | `signingKeys:${string}`
  | `jwkServer:${string}`
  | `providers:${string}`
  | 'certificates:inspect'
>;

const base64 = (text: string) => Buffer.from(text, 'base64');

export function resourceHandlers(
  s: Session,
  jwk: JwkServerControl,
): Pick<Handlers, ResourceChannel> {
  return {
    ...providerHandlers(s),
    'signingKeys:get': ({ builderId }) => signingKeysView(s, builderId, jwk.running),
    'signingKeys:rotate': async ({ builderId }) => {
      await rotateSigningKeys(s, builderId);
      return signingKeysView(s, builderId, jwk.running);
    },
    'jwkServer:status': () => jwk.status(),
    'jwkServer:configure': ({ enabled, port }) => jwk.configure(enabled, port),
    'keystores:list': () => keystores.listKeystores(s),
    'keystores:import': ({ content, certificateContent, ...req }) =>
      keystores.importKeystore(s, {
        ...req,
        data: base64(content),
        ...(certificateContent ? { certificateData: base64(certificateContent) } : {}),
      }),
    'keystores:delete': async ({ name }) => ({ deleted: await keystores.deleteKeystore(s, name) }),
    'keystores:setPassword': (req) => keystores.setKeystorePassword(s, req),
    'keystores:generate': (req) => keystores.generateKeystore(s, req),
    'keystores:exportCertificate': ({ name, alias }) => keystores.exportCertificate(s, name, alias),
    'keystores:exportJwks': ({ name }) => keystores.exportKeystoreJwks(s, name),
    'certificates:inspect': async ({ fileName, content }) =>
      keystores.inspectCertificate(base64(content), fileName),
    'proxies:list': async () => (await listProxies(s)).map((p) => maskSecrets('proxy', p)),
    'proxies:save': async ({ proxy, previousName }) =>
      maskSecrets('proxy', await saveProxy(s, proxy, previousName)),
    'proxies:delete': async ({ name }) => ({ deleted: await deleteProxy(s, name) }),
  };
}
