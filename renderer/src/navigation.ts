/**
 * Where the app is, in the URL hash: a view (connections, keystores, proxies, the JWT inspector,
 * the token cache) and, in the connections view, the connection shown in the editor. Pages move
 * between each other through these functions only (no page imports App).
 */

export type View = 'connections' | 'keystores' | 'proxies' | 'jwt' | 'cache';

export type Route =
  | { view: 'connections'; connection?: { id: string } | { newType: string } }
  | { view: Exclude<View, 'connections'> };

export function parseHash(hash: string): Route {
  const [page, a, b] = hash.replace(/^#\/?/, '').split('/');
  switch (page) {
    case 'connection':
      if (a === 'new') return { view: 'connections', connection: { newType: b ?? '' } };
      return a
        ? { view: 'connections', connection: { id: decodeURIComponent(a) } }
        : { view: 'connections' };
    case 'keystores':
    case 'proxies':
    case 'jwt':
    case 'cache':
      return { view: page };
    default:
      return { view: 'connections' };
  }
}

export function navigate(hash: string): void {
  window.location.hash = hash;
}

export const connectionHash = (id: string) => `#/connection/${encodeURIComponent(id)}`;

/** A token handed to the JWT Inspector by another page. */
export let inspectorToken = '';

export function openInInspector(token: string): void {
  inspectorToken = token;
  navigate('#/jwt');
}
