/**
 * The sealing key in a real OS keychain: Debian's gnome-keyring as the freedesktop Secret Service
 * on a private D-Bus session (`dbus-run-session`), unlocked with a test password, as in CI
 * (`.ci/run` installs gnome-keyring, dbus and libsecret). The scenario runs in a child process
 * on that bus; this test reads what it saw. Without a keychain the key file is used, with one
 * line saying so.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSealingKey } from '../../../electron/core/store/sealing-key.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const tools = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'];
const missing = tools.filter(
  (t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0,
);
// In CI the tools must be there (.ci/run installs them); elsewhere the test says what it lacks.
const run = process.env.CI || missing.length === 0 ? it : it.skip;

describe('the sealing key in the OS keychain (gnome-keyring Secret Service)', () => {
  run(
    `is created, moved from a key file, used, and missed clearly${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`,
    () => {
      const home = mkdtempSync(join(tmpdir(), 'kc-home-'));
      const script = join(home, 'run.sh');
      writeFileSync(
        script,
        [
          'set -eu',
          `export HOME=${JSON.stringify(home)} XDG_DATA_HOME=${JSON.stringify(join(home, 'data'))} XDG_RUNTIME_DIR=${JSON.stringify(join(home, 'run'))}`,
          'mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"',
          // Creates the login keyring with this password and unlocks it; the password is read from stdin.
          "printf 'test-keyring-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null",
          `exec ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(join(here, 'keychain-scenario.ts'))}`,
        ].join('\n'),
      );
      const result = spawnSync('dbus-run-session', ['--', 'bash', script], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: process.env.PATH ?? '' },
      });
      expect(result.status, result.stderr).toBe(0);
      const saw = JSON.parse(result.stdout.trim().split('\n').pop() as string) as Record<
        string,
        Record<string, unknown> | string
      >;
      expect(saw.created).toEqual({ storage: 'keychain', keyFile: false, inKeychain: 43 });
      expect(saw.reopened).toEqual({ storage: 'keychain', opens: 'a client secret' });
      expect(saw.moved).toEqual({
        storage: 'keychain',
        keyFile: false,
        opens: 'sealed before the move',
        sameKey: true,
      });
      expect(saw.store).toMatchObject({
        keyFile: false,
        onDisk: false,
        secret: 'stored-in-the-store',
      });
      expect((saw.store as { storage: string }).storage).toMatch(/key in the OS keychain/);
      expect(saw.reference).toBe('from-the-keychain');
      expect(saw.missing).toMatch(
        /"no-such-entry" in the OS keychain \(service tokensmith\), which holds no such entry/,
      );
      expect(saw.unreachable).toMatch(
        /is in the OS keychain, which cannot be reached: no session D-Bus/,
      );
    },
    90_000,
  );

  it('without a keychain: the key file, created with a one-line warning, then used quietly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-none-'));
    const first = await openSealingKey(dir, { env: {}, platform: 'linux' });
    expect(first.storage).toBe('file');
    expect(first.warning).toBe(
      `No OS keychain (no session D-Bus (DBUS_SESSION_BUS_ADDRESS is not set)): secrets are sealed with the key file ${join(dir, 'secret.key')}.`,
    );
    expect(existsSync(join(dir, 'secret.key'))).toBe(true);
    const second = await openSealingKey(dir, { env: {}, platform: 'linux' });
    expect(second.warning).toBeUndefined();
    expect(second.cipher.decrypt(first.cipher.encrypt('x'))).toBe('x');
  });

  it('a keychain that refuses the key: the key file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-refuse-'));
    const key = await openSealingKey(dir, {
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
      keychain: () => ({
        get: () => {
          throw new Error('Platform failure: the collection is locked');
        },
        set: () => {
          throw new Error('Platform failure: the collection is locked');
        },
        delete: () => false,
      }),
    });
    expect(key.storage).toBe('file');
    expect(key.warning).toMatch(
      /^The OS keychain refused the key \(the collection is locked\): secrets are sealed with the key file /,
    );
  });
});
