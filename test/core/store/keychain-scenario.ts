/**
 * Run by keychain.test.ts inside `dbus-run-session`, with gnome-keyring's Secret Service unlocked:
 * the sealing key created in the keychain, a key file moved into it, the store sealed and opened
 * with it, a `${keychain:NAME}` reference read. Prints one JSON object of what it saw.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSealingKey } from '../../../electron/core/store/sealing-key.js';
import { AesGcmCipher } from '../../../electron/core/store/secret-cipher.js';
import { resolveReference } from '../../../electron/core/store/env-references.js';
import { openWorkspace } from '../../../electron/core/workspace.js';
import { connectionSchema } from '../../../shared/connection.js';

const env = { ...process.env, TOKENSMITH_SECRET_KEY_STORE: undefined };
const lookup = (account: string) =>
  execFileSync('secret-tool', ['lookup', 'service', 'tokensmith', 'username', account], {
    encoding: 'utf8',
  }).trim();

// 1. A new data folder: the key goes to the keychain, no key file is written.
const fresh = mkdtempSync(join(tmpdir(), 'kc-fresh-'));
const created = await openSealingKey(fresh, { env });
const account = readFileSync(join(fresh, 'secret-key.keychain'), 'utf8').trim();
const sealed = created.cipher.encrypt('a client secret');
const reopened = await openSealingKey(fresh, { env });

// 2. A data folder with an old key file: the same key moves into the keychain.
const old = mkdtempSync(join(tmpdir(), 'kc-old-'));
const oldKey = Buffer.alloc(32, 9);
writeFileSync(join(old, 'secret.key'), oldKey.toString('base64url') + '\n', { mode: 0o600 });
const oldSealed = new AesGcmCipher(oldKey).encrypt('sealed before the move');
const moved = await openSealingKey(old, { env });
const movedAccount = readFileSync(join(old, 'secret-key.keychain'), 'utf8').trim();

// 3. The personal store through the workspace: sealed on disk, opened again.
const storeDir = mkdtempSync(join(tmpdir(), 'kc-store-'));
const workspace = await openWorkspace(storeDir, env);
await workspace.store.update((doc) => {
  doc.connections.push(
    connectionSchema.parse({
      id: 'c',
      name: 'c',
      type: 'client_credentials',
      tokenEndpoint: 'https://login.example.com/token',
      client: { id: 'id', secret: 'stored-in-the-store' },
    }),
  );
});
const again = await openWorkspace(storeDir, env);

// 4. A ${keychain:NAME} reference.
execFileSync(
  'secret-tool',
  ['store', '--label=ci', 'service', 'tokensmith', 'username', 'ci-client-secret'],
  {
    input: 'from-the-keychain',
  },
);
let missing = '';
try {
  resolveReference('${keychain:no-such-entry}', env, 'Client Secret');
} catch (e) {
  missing = (e as Error).message;
}

// 5. The keychain gone (no session bus): the folder whose key is there says so.
let unreachable = '';
try {
  await openSealingKey(fresh, { env: { ...env, DBUS_SESSION_BUS_ADDRESS: undefined } });
} catch (e) {
  unreachable = (e as Error).message;
}

process.stdout.write(
  JSON.stringify({
    created: {
      storage: created.storage,
      keyFile: existsSync(join(fresh, 'secret.key')),
      inKeychain: lookup(account).length,
    },
    reopened: { storage: reopened.storage, opens: reopened.cipher.decrypt(sealed) },
    moved: {
      storage: moved.storage,
      keyFile: existsSync(join(old, 'secret.key')),
      opens: moved.cipher.decrypt(oldSealed),
      sameKey: lookup(movedAccount) === oldKey.toString('base64url'),
    },
    store: {
      storage: workspace.secretStorage,
      keyFile: existsSync(join(storeDir, 'secret.key')),
      onDisk: readFileSync(join(storeDir, 'store.json'), 'utf8').includes('stored-in-the-store'),
      secret: (await again.store.read()).connections[0]?.client.secret,
    },
    reference: resolveReference('${keychain:ci-client-secret}', env, 'Client Secret'),
    missing,
    unreachable,
  }) + '\n',
);
