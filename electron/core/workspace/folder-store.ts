/**
 * The store over a workspace folder: the same `Store` every use case works on, composed from the
 * folder's record files (shared, in git) and the user's own state for that workspace (secrets,
 * generated keys, settings). A write goes the other way: each secret value to the user's state,
 * references and everything else to the files, and only the files whose content changed are
 * rewritten. A file with problems is left out of the document (and reported in `problems`),
 * and never rewritten or removed by a save.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { emptyStore, storeDocument, type StoreDocument } from '../../../shared/store-model.js';
import type { WithheldSecretView } from '../../../shared/views.js';
import {
  RECORD_FILE_STEM,
  WORKSPACE_FOLDERS,
  uniqueStem,
  type WorkspaceManifest,
} from '../../../shared/workspace-model.js';
import { TokensmithError } from '../errors.js';
import { changedDestination, destinationOf } from '../transfer/kept-secrets.js';
import { atomicWriteFile, removeOrphans, withFileLock } from '../store/atomic-file.js';
import type { Store } from '../store/file-store.js';
import { PersonalStateFile, recordKey, type PersonalState } from './personal-state.js';
import {
  fileRecordOf,
  parseRecordFile,
  renderRecordFile,
  type RecordKind,
  type RecordProblem,
} from './record-files.js';
import { joinSecrets, splitSecrets } from './secret-split.js';
import {
  connectionDestination,
  withTrust,
  workspaceBindings,
  type WorkspaceBinding,
} from './trust.js';

/** A record file is small; anything larger is not one. */
const MAX_RECORD_FILE = 1024 * 1024;

interface LoadedFile {
  stem: string;
  text: string;
  record?: Record<string, unknown>;
  raw?: Record<string, unknown>;
}

type Collection = keyof typeof WORKSPACE_FOLDERS;
const KINDS: Record<Collection, RecordKind> = {
  connections: 'connection',
  keystores: 'keystore',
  proxies: 'proxy',
};

interface Loaded {
  doc: StoreDocument;
  files: Record<Collection, LoadedFile[]>;
  state: PersonalState;
  /** Record keys whose secrets were kept back: their file names another destination now. */
  withheld: Set<string>;
  /** Some secrets have no destination recorded yet. */
  unpinned: boolean;
}

/** A record's secrets kept back because its destination changed since they were entered. */
export type WithheldSecrets = WithheldSecretView;

type Rec = Record<string, unknown>;

/** Where a record's secrets go, read with the whole folder (trust.ts connectionDestination). */
function destinationIn(doc: StoreDocument, kind: RecordKind, record: object, folder: string) {
  return kind === 'connection'
    ? connectionDestination(doc, record as StoreDocument['connections'][number], folder)
    : destinationOf(kind, record);
}

export class FolderStore implements Store {
  /** Problems found by the last read, file by file. */
  problems: RecordProblem[] = [];
  /** Secrets the last read kept back from records that now send them elsewhere. */
  withheld: WithheldSecrets[] = [];
  /** The bindings of the last read, with the user's answers (workspace trust). */
  bindings: WorkspaceBinding[] = [];
  readonly #state: PersonalStateFile;
  readonly #lock: string;

  constructor(
    readonly folder: string,
    readonly manifest: WorkspaceManifest,
    /** The user's own folder for this workspace (`<data>/workspaces/<id>`). */
    readonly stateDir: string,
    cipher: ConstructorParameters<typeof PersonalStateFile>[1],
  ) {
    this.#state = new PersonalStateFile(stateDir, cipher);
    this.#lock = join(stateDir, 'store.lock');
  }

  async read(): Promise<StoreDocument> {
    const loaded = await this.#load();
    // Secrets kept before destinations were recorded are pinned to where the files send them
    // now, at once (not at the next save, which a user who only runs flows never makes).
    if (loaded.unpinned) return this.update(() => undefined).catch(() => loaded.doc);
    return loaded.doc;
  }

  async update(change: (doc: StoreDocument) => StoreDocument | void): Promise<StoreDocument> {
    await mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    return withFileLock(this.#lock, async () => {
      const loaded = await this.#load();
      // Taken before the change, which may edit the document in place: the records read (whose
      // secrets follow them, or go with a deleted one) and the bindings they made.
      const read = new Set([
        ...loaded.doc.connections.map((c) => recordKey('connection', c.id)),
        ...loaded.doc.keystores.map((k) => recordKey('keystore', k.name)),
        ...loaded.doc.proxies.map((p) => recordKey('proxy', p.name)),
      ]);
      const before = withTrust(workspaceBindings(loaded.doc, this.folder), loaded.state.trusted);
      const next = storeDocument.parse(change(loaded.doc) ?? loaded.doc);
      // Secrets of records whose files could not be read this time are kept for when they can.
      const state: PersonalState = {
        folder: this.folder,
        secrets: new Map([...loaded.state.secrets].filter(([key]) => !read.has(key))),
        destinations: new Map([...loaded.state.destinations].filter(([key]) => !read.has(key))),
        trusted: [...loaded.state.trusted, ...this.#ownBindings(before, next)],
        signingKeys: next.signingKeys,
        settings: next.settings,
      };
      const into = { loaded, state, next };
      await this.#writeCollection('connections', next.connections, into, (c) => c.id);
      await this.#writeCollection('keystores', next.keystores, into, (k) => k.name);
      await this.#writeCollection('proxies', next.proxies, into, (p) => p.name);
      await this.#state.write(state);
      return next;
    });
  }

  /**
   * Bindings the user makes through Tokensmith are theirs: those a change adds are confirmed,
   * except a new form of one the user had not confirmed (editing a record that uses something
   * unconfirmed does not confirm it).
   */
  #ownBindings(before: WorkspaceBinding[], next: StoreDocument): string[] {
    // By what does not change when records are renamed: the record's ID and what it uses.
    const key = (b: WorkspaceBinding) => `${b.origin} ${b.kind}:${b.ref}`;
    const known = new Set(before.map((b) => b.digest));
    const pending = new Set(before.filter((b) => !b.trusted).map(key));
    return workspaceBindings(next, this.folder)
      .filter((b) => !known.has(b.digest) && !pending.has(key(b)))
      .map((b) => b.digest);
  }

  /** Confirms bindings by digest (`all`: every binding the folder makes now). */
  async trust(digests: readonly string[] | 'all'): Promise<WorkspaceBinding[]> {
    return this.#changeTrust((state, bindings) => {
      const chosen = digests === 'all' ? bindings.map((b) => b.digest) : digests;
      state.trusted = [...state.trusted, ...chosen];
    });
  }

  /** Forgets every answer: the next use asks again. */
  async revokeTrust(): Promise<WorkspaceBinding[]> {
    return this.#changeTrust((state) => void (state.trusted = []));
  }

  async #changeTrust(
    change: (state: PersonalState, bindings: WorkspaceBinding[]) => void,
  ): Promise<WorkspaceBinding[]> {
    await mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    return withFileLock(this.#lock, async () => {
      const { state } = await this.#load();
      change(state, this.bindings);
      // Only what the folder makes now is kept: a binding gone from the files is forgotten.
      const current = new Set(this.bindings.map((b) => b.digest));
      state.trusted = [...new Set(state.trusted)].filter((d) => current.has(d));
      state.folder = this.folder;
      await this.#state.write(state);
      this.bindings = withTrust(this.bindings, state.trusted);
      return this.bindings;
    });
  }

  async #readFolder(collection: Collection): Promise<LoadedFile[]> {
    const dir = join(this.folder, WORKSPACE_FOLDERS[collection]);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) =>
      /^[^.].*\.ya?ml$/.test(n),
    );
    const out: LoadedFile[] = [];
    for (const name of names.sort()) {
      const stem = name.replace(/\.ya?ml$/, '');
      const file = `${WORKSPACE_FOLDERS[collection]}/${name}`;
      const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      if (text.length > MAX_RECORD_FILE || !RECORD_FILE_STEM.test(stem)) {
        this.problems.push({
          file,
          pointer: '',
          message: !RECORD_FILE_STEM.test(stem)
            ? 'Name the file with letters, digits, dot, dash and underscore only'
            : 'Larger than 1 MB: not a record file',
        });
        out.push({ stem, text });
        continue;
      }
      const parsed = parseRecordFile(KINDS[collection], file, stem, text);
      this.problems.push(...parsed.problems);
      out.push({
        stem,
        text,
        ...(parsed.record ? { record: parsed.record, raw: parsed.raw } : {}),
      });
    }
    return out;
  }

  async #load(): Promise<Loaded> {
    this.problems = [];
    this.withheld = [];
    const withheld = new Set<string>();
    const [connections, keystores, proxies, state] = await Promise.all([
      this.#readFolder('connections'),
      this.#readFolder('keystores'),
      this.#readFolder('proxies'),
      this.#state.read(),
    ]);
    const files = { connections, keystores, proxies };
    const doc = emptyStore();
    doc.settings = state.settings;
    doc.signingKeys = state.signingKeys;
    const names = new Map<string, string>();
    const ids = new Map<string, string>();
    const joins: Array<{ kind: RecordKind; key: string; name: string; file: string; record: Rec }> =
      [];
    for (const collection of ['connections', 'keystores', 'proxies'] as const) {
      const kind = KINDS[collection];
      for (const f of files[collection]) {
        if (!f.record) continue;
        const record = structuredClone(f.record);
        const name = String(record.name);
        const clash = names.get(`${kind}:${name}`);
        if (clash) {
          this.problems.push({
            file: `${WORKSPACE_FOLDERS[collection]}/${f.stem}.yaml`,
            pointer: '/name',
            message: `"${name}" is also the name in ${clash}; names must be unique.`,
          });
          delete f.record;
          continue;
        }
        const file = `${WORKSPACE_FOLDERS[collection]}/${f.stem}.yaml`;
        // A second file claiming a connection's ID would take its secrets (they are kept by
        // ID) and, on the next save, its file: left out.
        const idClash = kind === 'connection' ? ids.get(String(record.id)) : undefined;
        if (idClash) {
          this.problems.push({
            file,
            pointer: '/id',
            message: `"${String(record.id)}" is also the ID of ${idClash}; IDs must be unique.`,
          });
          delete f.record;
          continue;
        }
        names.set(`${kind}:${name}`, file);
        if (kind === 'connection') ids.set(String(record.id), file);
        if (kind === 'keystore') this.#absolutePaths(record);
        const key = recordKey(kind, kind === 'connection' ? String(record.id) : name);
        joins.push({ kind, key, name, file, record });
        (doc[collection] as unknown[]).push(record);
      }
    }
    // Each record's secrets, where the record still sends them where they were entered for (its
    // destination read with the whole folder: a connection's proxy server and truststore file).
    const shape = storeDocument.parse(doc);
    let unpinned = false;
    for (const { kind, key, name, file, record } of joins) {
      const secrets = state.secrets.get(key);
      const entered = state.destinations.get(key);
      if (!entered && secrets && Object.keys(secrets).some((p) => secrets[p])) unpinned = true;
      const changed =
        entered && changedDestination(entered, destinationIn(shape, kind, record, this.folder));
      if (changed && secrets && Object.keys(secrets).length) {
        // Entered for another destination (a pull, a fork, an edit of the file): not sent
        // there; the user enters them again for the new one.
        withheld.add(key);
        this.withheld.push({ kind, name, file, paths: Object.keys(secrets), ...changed });
      } else joinSecrets(kind, record, secrets);
    }
    const parsed = storeDocument.parse(doc);
    this.bindings = withTrust(workspaceBindings(parsed, this.folder), state.trusted);
    return { doc: parsed, files, state, withheld, unpinned };
  }

  #absolutePaths(record: Record<string, unknown>): void {
    for (const key of ['path', 'certificatePath', 'module'])
      if (key === 'path' && record.kind === 'pkcs11')
        continue; // a token's URI, not a file
      else if (typeof record[key] === 'string' && record[key] && !isAbsolute(record[key] as string))
        record[key] = resolve(this.folder, record[key] as string);
  }

  /** Inside the folder: relative with `/` (the same for everyone); outside: as it is. */
  #sharedPaths(record: Record<string, unknown>): void {
    for (const key of ['path', 'certificatePath', 'module']) {
      const value = record[key];
      if (typeof value !== 'string' || !value || (key === 'path' && record.kind === 'pkcs11'))
        continue;
      const rel = relative(this.folder, value);
      if (rel && !rel.startsWith('..') && !isAbsolute(rel)) record[key] = rel.split(sep).join('/');
    }
  }

  async #writeCollection<T extends { name: string }>(
    collection: Collection,
    records: T[],
    { loaded, state, next }: { loaded: Loaded; state: PersonalState; next: StoreDocument },
    keyOf: (record: T) => string,
  ): Promise<void> {
    const kind = KINDS[collection];
    const dir = join(this.folder, WORKSPACE_FOLDERS[collection]);
    const existing = loaded.files[collection];
    const stemOf = new Map<string, LoadedFile>();
    for (const f of existing) {
      if (!f.record) continue;
      stemOf.set(kind === 'connection' ? String(f.record.id) : String(f.record.name), f);
    }
    const taken = new Set(existing.map((f) => f.stem));
    const kept = new Set<string>();
    if (records.length) await mkdir(dir, { recursive: true });
    await removeOrphans(dir);
    for (const record of records) {
      const key = keyOf(record);
      const file = stemOf.get(key);
      let stem = file?.stem;
      if (!stem) {
        stem = kind === 'connection' && RECORD_FILE_STEM.test(key) && !taken.has(key) ? key : '';
        stem ||= uniqueStem(record.name, taken);
        taken.add(stem);
      }
      kept.add(stem);
      const { shared, secrets } = splitSecrets(kind, record as Record<string, unknown>, file?.raw);
      if (kind === 'keystore') this.#sharedPaths(shared);
      if (kind === 'connection' && shared.id === stem) delete shared.id;
      const stateKey = recordKey(kind, key);
      if (Object.keys(secrets).length || !loaded.withheld.has(stateKey)) {
        state.secrets.set(stateKey, secrets);
        state.destinations.set(stateKey, destinationIn(next, kind, record, this.folder));
      } else {
        // Kept back and not entered again: kept for the destination they were entered for.
        state.secrets.set(stateKey, loaded.state.secrets.get(stateKey) ?? {});
        const entered = loaded.state.destinations.get(stateKey);
        if (entered) state.destinations.set(stateKey, entered);
      }
      const text = renderRecordFile(kind, fileRecordOf(kind, shared), file?.text);
      if (text !== undefined) await atomicWriteFile(join(dir, `${stem}.yaml`), text);
    }
    // Removed records: only files that were read as records (a damaged file stays).
    for (const f of existing)
      if (f.record && !kept.has(f.stem))
        await rm(join(dir, `${f.stem}.yaml`), { force: true }).catch((cause) => {
          throw new TokensmithError('internal', `Cannot remove ${dir}/${f.stem}.yaml`, { cause });
        });
  }
}
