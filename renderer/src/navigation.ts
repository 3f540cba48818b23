/** Where the app is (the URL hash) and how pages move between each other. */

export type Route =
  | { page: 'connections' }
  | { page: 'connection'; id?: string; type?: string }
  | { page: 'keystores' }
  | { page: 'proxies' }
  | { page: 'jwt' }
  | { page: 'cache' };

export function parseHash(hash: string): Route {
  const [page, a, b] = hash.replace(/^#\/?/, '').split('/');
  switch (page) {
    case 'connection':
      return a === 'new'
        ? { page: 'connection', ...(b ? { type: b } : {}) }
        : { page: 'connection', ...(a ? { id: decodeURIComponent(a) } : {}) };
    case 'keystores':
    case 'proxies':
    case 'jwt':
    case 'cache':
      return { page };
    default:
      return { page: 'connections' };
  }
}

export function navigate(hash: string): void {
  window.location.hash = hash;
}

/** A token handed to the JWT Inspector by another page. */
export let inspectorToken = '';

export function openInInspector(token: string): void {
  inspectorToken = token;
  navigate('#/jwt');
}
