/**
 * Plays the person at another device for a device authorization test (RFC 8628 §3.3): opens the
 * verification URI with the code in it through oidc-provider's real device pages — the
 * auto-submitted code form, the confirmation (Continue, or Deny), then its login and consent
 * pages (development interactions) — keeping cookies as a browser does.
 */
export interface DeviceOutcome {
  /** The last page: "Sign-in Success", or the code form again after a denial. */
  status: number;
  page: string;
}

/** The hidden inputs of the first form of a page, and where it posts. */
function formOf(html: string, base: string): { action: string; fields: URLSearchParams } {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`No form on the page: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const input of (form[2] ?? '').matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name && /type="hidden"/.test(input[0])) fields.set(name, value.replace(/&amp;/g, '&'));
  }
  return { action: new URL((form[1] ?? '').replace(/&amp;/g, '&'), base).href, fields };
}

export async function approveDevice(
  verificationUriComplete: string,
  username: string,
  options: { deny?: boolean } = {},
): Promise<DeviceOutcome> {
  const cookies = new Map<string, string>();
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
  const post = (url: string, form: URLSearchParams) =>
    send(url, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  // The link with the code renders a form that posts itself (oidc-provider's form_post page).
  let url = verificationUriComplete;
  let res = await send(url);
  const submitted = formOf(await res.text(), url);
  res = await post(submitted.action, submitted.fields);
  // The confirmation page: Continue (confirm=yes) or Deny (abort=yes).
  const confirm = formOf(await res.text(), submitted.action);
  if (options.deny) {
    confirm.fields.delete('confirm');
    confirm.fields.set('abort', 'yes');
    res = await post(confirm.action, confirm.fields);
    return { status: res.status, page: await res.text() };
  }
  res = await post(confirm.action, confirm.fields);
  url = confirm.action;
  for (let step = 0; step < 12; step++) {
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location') ?? '', url).href;
      res = await send(url);
      continue;
    }
    const html = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!prompt) return { status: res.status, page: html };
    const form = new URLSearchParams({ prompt });
    if (prompt === 'login') {
      form.set('login', username);
      form.set('password', 'any');
    }
    res = await post(url, form);
  }
  throw new Error('The device sign-in did not finish within 12 steps');
}
