/**
 * DPoP proof keys Tokensmith generates (RFC 9449, `dpop.keySource = generated`): one ES256 key
 * per connection, made on first use and kept sealed in the store like generated signing keys,
 * so a DPoP-bound token stays usable across runs of the app and the CLI.
 */
import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { Store } from '../store/file-store.js';

/** A key whose connection no longer exists is dropped after this long (a draft may still use it). */
const ORPHAN_GRACE_MS = 24 * 3600_000;

/** A new P-256 key pair (ES256, the algorithm every DPoP server accepts). */
export async function generateDpopKey(): Promise<KeyObject> {
  const { privateKey } = await promisify(generateKeyPair)('ec', { namedCurve: 'P-256' });
  return privateKey;
}

const opened = new Map<string, KeyObject>();

function open(pem: string): KeyObject {
  let key = opened.get(pem);
  if (!key) {
    if (opened.size > 256) opened.clear();
    opened.set(pem, (key = createPrivateKey(pem)));
  }
  return key;
}

/**
 * The connection's DPoP key from the store; generated (outside the store lock) and saved when it
 * has none. Keys of connections deleted more than a day ago are swept on the way.
 */
export async function storedDpopKey(
  store: Store,
  connectionId: string,
  now = new Date(),
): Promise<KeyObject> {
  const found = (await store.read()).dpopKeys.find((k) => k.connectionId === connectionId);
  if (found) return open(found.privateKey);
  const pem = (await generateDpopKey()).export({ type: 'pkcs8', format: 'pem' }) as string;
  const saved = await store.update((doc) => {
    const ids = new Set(doc.connections.map((c) => c.id));
    doc.dpopKeys = doc.dpopKeys.filter(
      (k) => ids.has(k.connectionId) || now.getTime() - Date.parse(k.createdAt) < ORPHAN_GRACE_MS,
    );
    if (!doc.dpopKeys.some((k) => k.connectionId === connectionId))
      doc.dpopKeys.push({ connectionId, createdAt: now.toISOString(), privateKey: pem });
  });
  const kept = saved.dpopKeys.find((k) => k.connectionId === connectionId);
  return open(kept?.privateKey ?? pem);
}
