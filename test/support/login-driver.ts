/**
 * Plays the user in the browser for an Authorization Code test: follows the authorization URL
 * through oidc-provider's login and consent pages (its development interactions), keeping
 * cookies as a browser does, and finally requests the loopback redirect URI.
 */
export interface LoginOutcome {
  /** Status and page the loopback listener answered the "browser" with. */
  status: number;
  page: string;
}

export async function completeLogin(
  authorizationUrl: string,
  username: string,
  options: { deny?: boolean } = {},
): Promise<LoginOutcome> {
  const cookies = new Map<string, string>();
  // A pushed request (RFC 9126) carries no redirect_uri in the URL: the callback is then the
  // first redirect away from the authorization server.
  const redirectBase = new URL(authorizationUrl).searchParams.get('redirect_uri') ?? '';
  const serverOrigin = new URL(authorizationUrl).origin;
  const send = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = (pair ?? '').indexOf('=');
      cookies.set((pair ?? '').slice(0, eq), (pair ?? '').slice(eq + 1));
    }
    return res;
  };
  let url = authorizationUrl;
  let res = await send(url);
  for (let step = 0; step < 12; step++) {
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location') ?? '', url).href;
      const isCallback = redirectBase
        ? url.startsWith(redirectBase.replace(/:\d+\//, (m) => m))
        : new URL(url).origin !== serverOrigin;
      if (isCallback) {
        const callback = await fetch(url, { redirect: 'manual' });
        return { status: callback.status, page: await callback.text() };
      }
      res = await send(url);
      continue;
    }
    const html = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (res.status !== 200 || !prompt)
      throw new Error(`Unexpected page ${res.status} at ${url}: ${html.slice(0, 300)}`);
    if (options.deny) {
      res = await send(`${url.replace(/\/$/, '')}/abort`);
      continue;
    }
    const form = new URLSearchParams({ prompt });
    if (prompt === 'login') {
      form.set('login', username);
      form.set('password', 'any');
    }
    res = await send(url, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
  throw new Error('The login did not finish within 12 steps');
}
