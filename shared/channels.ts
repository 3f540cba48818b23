/**
 * The channel names of the contract (`shared/contract.ts`), kept apart from the schemas so the
 * preload can list them without bundling zod. The contract must define exactly these (checked
 * by the compiler).
 */
export const CHANNELS = [
  'app:info',
  'connections:list',
  'connections:get',
  'connections:save',
  'connections:delete',
  'connections:duplicate',
  'tokens:generate',
  'tokens:refresh',
  'tokens:last',
  'tokens:cancel',
  'tokens:introspect',
  'tokens:revoke',
  'trace:export',
  'assertions:generate',
  'assertions:check',
  'api:call',
  'authToken:fetch',
  'signingKeys:get',
  'signingKeys:rotate',
  'jwkServer:status',
  'jwkServer:configure',
  'discovery:run',
  'providers:list',
  'providers:build',
  'keystores:list',
  'keystores:import',
  'keystores:delete',
  'keystores:setPassword',
  'keystores:generate',
  'keystores:exportCertificate',
  'keystores:exportJwks',
  'certificates:inspect',
  'proxies:list',
  'proxies:save',
  'proxies:delete',
  'transfer:export',
  'transfer:import',
  'jwt:decode',
  'jwt:verify',
  'cache:list',
  'cache:clear',
  'cache:status',
  'workspace:current',
  'workspace:open',
  'workspace:close',
  'workspace:recent',
  'workspace:trust',
  'drafts:get',
  'drafts:save',
] as const;

export type Channel = (typeof CHANNELS)[number];

/**
 * The events a host pushes to the UI (payloads: `HostEventPayloads` in `shared/contract.ts`):
 * the progress of running flows, and a change of the connection list made outside the page
 * (File → Import… in the desktop app, another tab in browser mode).
 */
export const EVENTS = ['tokens:progress', 'connections:changed', 'workspace:changed'] as const;

export type HostEventName = (typeof EVENTS)[number];
