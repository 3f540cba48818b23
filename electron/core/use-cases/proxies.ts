/** Proxy server aliases: list, save (a rename follows into the connections), delete. */
import { proxyAlias, type ProxyAlias } from '../../../shared/resources.js';
import { TokensmithError } from '../errors.js';
import { invalidInput } from './connections.js';
import { unmaskSecrets } from './secret-masks.js';
import type { Session } from './session.js';

export async function listProxies(session: Session): Promise<ProxyAlias[]> {
  return (await session.workspace.store.read()).proxies;
}

/** Saves an alias; `incoming` may carry the mask for an unchanged password. */
export async function saveProxy(
  session: Session,
  incomingRaw: unknown,
  previousName?: string,
): Promise<ProxyAlias> {
  let saved: ProxyAlias | undefined;
  await session.workspace.store.update((doc) => {
    const incoming = structuredClone(incomingRaw ?? {}) as Record<string, unknown>;
    unmaskSecrets(
      'proxy',
      incoming,
      doc.proxies.find((p) => p.name === (previousName ?? incoming.name)),
    );
    const parsed = proxyAlias.safeParse(incoming);
    if (!parsed.success) throw invalidInput(parsed.error);
    if (doc.proxies.some((p) => p.name === parsed.data.name && p.name !== previousName))
      throw new TokensmithError(
        'invalid_input',
        `A proxy alias named "${parsed.data.name}" already exists.`,
        { field: 'name' },
      );
    doc.proxies = doc.proxies.filter((p) => p.name !== (previousName ?? parsed.data.name));
    doc.proxies.push(parsed.data);
    if (previousName && previousName !== parsed.data.name) {
      for (const c of doc.connections)
        if (c.proxyAlias === previousName) c.proxyAlias = parsed.data.name;
    }
    saved = parsed.data;
  });
  return saved as ProxyAlias;
}

export async function deleteProxy(session: Session, name: string): Promise<boolean> {
  let deleted = false;
  await session.workspace.store.update((doc) => {
    const users = doc.connections.filter((c) => c.proxyAlias === name);
    if (users.length)
      throw new TokensmithError(
        'invalid_input',
        `"${name}" is used by ${users.map((c) => `"${c.name}"`).join(', ')}; change those connections first.`,
      );
    deleted = doc.proxies.some((p) => p.name === name);
    doc.proxies = doc.proxies.filter((p) => p.name !== name);
  });
  return deleted;
}
