/**
 * What a user keeps of a shared workspace for themselves, in their own data folder
 * (`workspaces/<workspace ID>/state.json`): the secrets of its connections, keystores and proxies
 * (sealed like the personal store's), the JWT builders' generated key pairs, and their settings.
 * Kept per workspace folder (its marker ID and its path): another folder claiming the same ID
 * (a fork, a copied marker) is another workspace and finds none of them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import {
  settingsSchema,
  signingKeySet,
  type Settings,
  type SigningKeySet,
} from '../../../shared/store-model.js';
import { TokensmithError } from '../errors.js';
import { atomicWriteFile } from '../store/atomic-file.js';
import { isSealed, type SecretCipher } from '../store/secret-cipher.js';

const stateFile = z.object({
  format: z.literal('tokensmith.workspace-state'),
  version: z.literal(1),
  /** Where the workspace was last opened (recent workspaces). */
  folder: z.string().default(''),
  /** By record (`connection:<id>`, `keystore:<name>`, `proxy:<name>`): secret path → sealed value. */
  secrets: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  /**
   * By record: where its secrets were entered for (endpoints, proxy server, keystore file). A
   * record whose file now names another destination does not get them.
   */
  destinations: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  /** Digests of the workspace's bindings the user confirmed (workspace trust). */
  trusted: z.array(z.string()).default([]),
  signingKeys: z.array(signingKeySet).default([]),
  settings: settingsSchema.prefault({}),
});

export interface PersonalState {
  folder: string;
  /** Opened (plain) secrets by record key. */
  secrets: Map<string, Record<string, string>>;
  /** By record key: the destination its secrets were entered for. */
  destinations: Map<string, Record<string, string>>;
  /** Digests of confirmed bindings. */
  trusted: string[];
  signingKeys: SigningKeySet[];
  settings: Settings;
}

export const recordKey = (kind: 'connection' | 'keystore' | 'proxy', name: string) =>
  `${kind}:${name}`;

export class PersonalStateFile {
  readonly path: string;

  constructor(
    readonly dir: string,
    private readonly cipher: SecretCipher,
  ) {
    this.path = join(dir, 'state.json');
  }

  async read(): Promise<PersonalState> {
    let json: unknown = { format: 'tokensmith.workspace-state', version: 1 };
    try {
      json = JSON.parse(await readFile(this.path, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new TokensmithError(
          'internal',
          `Your secrets of this workspace (${this.path}) cannot be read: ${(e as Error).message}`,
          { cause: e },
        );
    }
    const parsed = stateFile.safeParse(json);
    if (!parsed.success)
      throw new TokensmithError(
        'internal',
        `Your secrets of this workspace (${this.path}) are damaged: ${parsed.error.issues[0]?.message ?? 'invalid'}.`,
      );
    const open = (v: string) => (isSealed(v) ? this.cipher.decrypt(v) : v);
    return {
      folder: parsed.data.folder,
      secrets: new Map(
        Object.entries(parsed.data.secrets).map(([key, values]) => [
          key,
          Object.fromEntries(Object.entries(values).map(([p, v]) => [p, open(v)])),
        ]),
      ),
      destinations: new Map(Object.entries(parsed.data.destinations)),
      trusted: parsed.data.trusted,
      signingKeys: parsed.data.signingKeys.map((set) => ({
        ...set,
        privateKeys: Object.fromEntries(
          Object.entries(set.privateKeys).map(([kid, v]) => [kid, open(v)]),
        ),
      })),
      settings: parsed.data.settings,
    };
  }

  async write(state: PersonalState): Promise<void> {
    const seal = (v: string) => this.cipher.encrypt(v);
    const secrets: Record<string, Record<string, string>> = {};
    const destinations: Record<string, Record<string, string>> = {};
    for (const [key, values] of [...state.secrets].sort(([a], [b]) => a.localeCompare(b))) {
      const sealed = Object.entries(values).filter(([, v]) => v !== '');
      if (!sealed.length) continue;
      secrets[key] = Object.fromEntries(sealed.map(([p, v]) => [p, seal(v)]));
      const destination = state.destinations.get(key);
      if (destination) destinations[key] = destination;
    }
    const file: z.input<typeof stateFile> = {
      format: 'tokensmith.workspace-state',
      version: 1,
      folder: state.folder,
      secrets,
      destinations,
      trusted: [...new Set(state.trusted)].sort(),
      signingKeys: state.signingKeys.map((set) => ({
        ...set,
        privateKeys: Object.fromEntries(
          Object.entries(set.privateKeys).map(([kid, v]) => [kid, seal(v)]),
        ),
      })),
      settings: state.settings,
    };
    await atomicWriteFile(this.path, JSON.stringify(file, null, 2) + '\n');
  }
}
