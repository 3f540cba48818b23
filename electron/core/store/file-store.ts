/**
 * The store as a file in the data folder (CLI, browser mode, tests): `store.json`, written
 * atomically under a lock, secret fields sealed by a SecretCipher. A corrupt file is moved
 * aside with a timestamp and reported, never silently replaced.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import {
  forEachSecret,
  emptyStore,
  storeDocument,
  type StoreDocument,
  type SecretOwner,
} from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';
import { atomicWriteFile, removeOrphans, withFileLock } from './atomic-file.js';
import { isSealed, type SecretCipher } from './secret-cipher.js';

export interface StoreRecovery {
  backupPath: string;
  reason: string;
}

export interface Store {
  read(): Promise<StoreDocument>;
  /** Read, change and write under the lock; returns what was written. */
  update(change: (doc: StoreDocument) => StoreDocument | void): Promise<StoreDocument>;
}

type Mode = 'seal' | 'open';

function transformSecrets(doc: StoreDocument, cipher: SecretCipher, mode: Mode): StoreDocument {
  const copy = structuredClone(doc);
  const apply = (owner: SecretOwner, record: object) =>
    forEachSecret(owner, record as Record<string, unknown>, (_path, value, set) => {
      if (mode === 'seal' && !isSealed(value)) set(cipher.encrypt(value));
      if (mode === 'open' && isSealed(value)) set(cipher.decrypt(value));
    });
  copy.connections.forEach((c) => apply('connection', c));
  copy.keystores.forEach((k) => apply('keystore', k));
  copy.proxies.forEach((p) => apply('proxy', p));
  copy.signingKeys.forEach((k) => apply('signingKeys', k));
  copy.dpopKeys.forEach((k) => apply('dpopKeys', k));
  copy.lastTokens.forEach((t) => apply('lastToken', t));
  return copy;
}

export class FileStore implements Store {
  readonly path: string;
  readonly #lock: string;
  /** Set when the last read found a damaged file and moved it aside. */
  recovery: StoreRecovery | undefined;
  /** The last file text read and its opened document: an unchanged file is not parsed again. */
  #last: { text: string; doc: StoreDocument } | undefined;

  constructor(
    readonly dir: string,
    private readonly cipher: SecretCipher,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.path = join(dir, 'store.json');
    this.#lock = join(dir, 'store.lock');
  }

  async read(): Promise<StoreDocument> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyStore();
      throw e;
    }
    if (this.#last?.text === text) return structuredClone(this.#last.doc);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return this.#recover(`it is not valid JSON (${(e as Error).message})`);
    }
    const parsed = storeDocument.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.#recover(
        `${issue?.path.join('.') || 'the document'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const doc = transformSecrets(parsed.data, this.cipher, 'open');
    this.#last = { text, doc: structuredClone(doc) };
    return doc;
  }

  async update(change: (doc: StoreDocument) => StoreDocument | void): Promise<StoreDocument> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    return withFileLock(this.#lock, async () => {
      await removeOrphans(this.dir);
      const current = await this.read();
      const next = storeDocument.parse(change(current) ?? current);
      await atomicWriteFile(
        this.path,
        JSON.stringify(transformSecrets(next, this.cipher, 'seal'), null, 2) + '\n',
      );
      return next;
    });
  }

  async #recover(reason: string): Promise<StoreDocument> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const backupPath = `${this.path}.corrupt-${stamp}`;
    try {
      await rename(this.path, backupPath);
    } catch (cause) {
      throw new TokensmithError(
        'internal',
        `The store ${this.path} is damaged (${reason}) and could not be moved aside.`,
        { cause },
      );
    }
    this.recovery = { backupPath, reason };
    return emptyStore();
  }
}
