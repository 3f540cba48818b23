/** The file store: sealed secrets, atomic writes under kill -9, recovery from a damaged file, env references. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileStore } from '../../../electron/core/store/file-store.js';
import { AesGcmCipher, keyFileCipher } from '../../../electron/core/store/secret-cipher.js';
import { resolveConnectionSecrets } from '../../../electron/core/store/env-references.js';
import { connectionSchema } from '../../../shared/connection.js';
import { keystoreEntry, proxyAlias } from '../../../shared/resources.js';
import { TokensmithError } from '../../../electron/core/errors.js';

const here = dirname(fileURLToPath(import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'tokensmith-store-'));
const cipher = () => new AesGcmCipher(Buffer.alloc(32, 7));

const SECRETS = {
  client: 'client-secret-Value-123',
  password: 'resource-owner-Passw0rd',
  keystore: 'keystore-Passw0rd-xyz',
  keyPassword: 'key-Passw0rd-abc',
  proxy: 'proxy-Passw0rd-def',
};

describe('file store', () => {
  it('round-trips, and no secret is on disk in plain, base64, base64url or hex', async () => {
    const dir = tmp();
    const store = new FileStore(dir, await keyFileCipher(join(dir, 'secret.key')));
    await store.update((doc) => {
      doc.connections.push(
        connectionSchema.parse({
          id: '1',
          name: 'pw',
          type: 'password',
          tokenEndpoint: 'https://a.test/token',
          username: 'u',
          password: SECRETS.password,
          client: { id: 'c', secret: SECRETS.client },
        }),
      );
      doc.keystores.push(
        keystoreEntry.parse({
          name: 'k',
          kind: 'jks',
          path: '/x.jks',
          password: SECRETS.keystore,
          keyPasswords: { a: SECRETS.keyPassword },
        }),
      );
      doc.proxies.push(
        proxyAlias.parse({
          name: 'p',
          host: 'proxy.test',
          port: 3128,
          username: 'u',
          password: SECRETS.proxy,
        }),
      );
    });
    const back = await store.read();
    expect(back.connections[0]).toMatchObject({
      password: SECRETS.password,
      client: { secret: SECRETS.client },
    });
    expect(back.keystores[0]).toMatchObject({
      password: SECRETS.keystore,
      keyPasswords: { a: SECRETS.keyPassword },
    });
    expect(back.proxies[0]?.password).toBe(SECRETS.proxy);

    const files = readdirSync(dir).filter((f) => f !== 'secret.key');
    const disk = files.map((f) => readFileSync(join(dir, f), 'latin1')).join('\n');
    for (const secret of Object.values(SECRETS)) {
      for (const encoded of [
        secret,
        Buffer.from(secret).toString('base64'),
        Buffer.from(secret).toString('base64url'),
        Buffer.from(secret).toString('hex'),
      ]) {
        expect(disk).not.toContain(encoded);
      }
    }
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'store.json')).mode & 0o777).toBe(0o600);
  });

  it('a damaged file is moved aside with a timestamp and reported, not wiped', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'store.json'),
      '{"format": "tokensmith.store", "version": 1, "connections": [',
    );
    const store = new FileStore(dir, cipher(), () => new Date('2026-11-22T10:00:00Z'));
    const doc = await store.read();
    expect(doc.connections).toEqual([]);
    expect(store.recovery?.backupPath).toBe(
      join(dir, 'store.json.corrupt-2026-11-22T10-00-00-000Z'),
    );
    expect(store.recovery?.reason).toMatch(/not valid JSON/);
    expect(readFileSync(store.recovery!.backupPath, 'utf8')).toContain('"connections": [');
  });

  it('a process killed in the middle of saving leaves the old or the new state, never a broken file', async () => {
    const dir = tmp();
    const script = join(here, '..', '..', 'support', 'store-writer.ts');
    let last = -1;
    const rounds = 12;
    for (let round = 0; round < rounds; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', script, dir, String(last + 1)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let written = last;
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        const n = d.toString().trim().split('\n').pop();
        if (n) written = Number(n);
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      // Let it write a few times, then kill it at an arbitrary moment. A writer that stops
      // (it could not take the lock its killed predecessor left) fails the round at once.
      const outcome = await new Promise<'killed' | 'stopped'>((resolve) => {
        const check = setInterval(() => {
          if (written >= last + 3) {
            clearInterval(check);
            setTimeout(() => {
              child.kill('SIGKILL');
              resolve('killed');
            }, Math.random() * 15);
          }
        }, 2);
        void exited.then(() => {
          clearInterval(check);
          resolve('stopped');
        });
      });
      await exited;
      expect(outcome, `round ${round}: the writer stopped by itself\n${stderr}`).toBe('killed');
      const doc = await new FileStore(dir, cipher()).read();
      const version = Number(/^v(\d+)$/.exec(doc.connections[0]?.description ?? '')?.[1]);
      expect(doc.connections).toHaveLength(40);
      expect(version).toBeGreaterThanOrEqual(written);
      expect(doc.connections[39]?.client.secret).toMatch(new RegExp(`^secret-${version}-39-`));
      last = version;
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('store.json.corrupt'))).toEqual([]);
    // The temporary files the killed writers left are swept by the next save.
    await new FileStore(dir, cipher()).update(() => undefined);
    expect(readdirSync(dir)).toEqual(['store.json']);
  }, 120_000);

  it('a lock left by a dead process is taken over: when it names its PID, and after 2 s when it is empty', async () => {
    const dir = tmp();
    const store = new FileStore(dir, cipher());
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) =>
      dead.once('exit', () => resolve(dead.pid!)),
    );
    writeFileSync(join(dir, 'store.lock'), `${deadPid}\n`);
    writeFileSync(join(dir, `.store.json.${deadPid}.0123abcd.tmp`), '{"half": ');
    writeFileSync(join(dir, `.store.lock.${process.pid}.0123abcd.tmp`), 'a live process');
    await store.update(
      (doc) => void doc.proxies.push(proxyAlias.parse({ name: 'p1', host: 'h', port: 1 })),
    );
    // The dead writer's temporary file is gone; a live process's is left alone.
    expect(readdirSync(dir).sort()).toEqual([
      `.store.lock.${process.pid}.0123abcd.tmp`,
      'store.json',
    ]);

    // An empty lock: its writer died between creating and filling it.
    writeFileSync(join(dir, 'store.lock'), '');
    const started = Date.now();
    await store.update(
      (doc) => void doc.proxies.push(proxyAlias.parse({ name: 'p2', host: 'h', port: 1 })),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await store.read()).proxies.map((p) => p.name)).toEqual(['p1', 'p2']);
  });

  it('a lock held by a live process makes a writer wait, then fail with a clear message', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'store.lock'), `${process.ppid}\n`);
    const { withFileLock } = await import('../../../electron/core/store/atomic-file.js');
    await expect(withFileLock(join(dir, 'store.lock'), async () => 1, 300)).rejects.toThrow(
      /locked by another Tokensmith process/,
    );
  });

  it('concurrent writers never lose an update', async () => {
    const dir = tmp();
    const a = new FileStore(dir, cipher());
    const b = new FileStore(dir, cipher());
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).update((doc) => {
          doc.proxies.push(proxyAlias.parse({ name: `p${i}`, host: 'h', port: 1 }));
        }),
      ),
    );
    expect((await a.read()).proxies).toHaveLength(20);
  });
});

describe('the CLI and the app writing at the same time', () => {
  it('six CLI imports in other processes and twenty saves in the app: nothing lost, nothing corrupt', async () => {
    const dir = tmp();
    const bin = join(here, '..', '..', '..', 'bin', 'tokensmith.js');
    const { createAppService } = await import('../../../electron/core/app-service.js');
    const { openWorkspace } = await import('../../../electron/core/workspace.js');
    const workspace = await openWorkspace(dir, {});
    const service = createAppService({
      workspace,
      env: {},
      mode: 'browser',
      version: 'test',
      emit: () => undefined,
    });
    const cliImports = Array.from({ length: 6 }, (_, i) => {
      const file = join(dir, `import-${i}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          format: 'tokensmith.connections',
          version: 1,
          connections: [
            {
              id: `cli-${i}`,
              name: `cli ${i}`,
              type: 'client_credentials',
              tokenEndpoint: 'https://as.example/token',
              client: { id: 'c', secret: `cli-secret-${i}` },
            },
          ],
        }),
      );
      return new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [bin, '--data-dir', dir, 'import', file], {
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        child.once('exit', resolve);
      });
    });
    const appSaves = Array.from({ length: 20 }, (_, i) =>
      service.dispatch('connections:save', {
        connection: {
          id: `app-${i}`,
          name: `app ${i}`,
          type: 'client_credentials',
          tokenEndpoint: 'https://as.example/token',
          client: { id: 'c', secret: `app-secret-${i}` },
        },
      }),
    );
    const [codes, saves] = await Promise.all([Promise.all(cliImports), Promise.all(appSaves)]);
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    expect(saves.every((r) => r.ok)).toBe(true);
    const doc = await new FileStore(dir, workspace.cipher).read();
    expect(doc.connections.map((c) => c.name).sort()).toEqual(
      [
        ...Array.from({ length: 6 }, (_, i) => `cli ${i}`),
        ...Array.from({ length: 20 }, (_, i) => `app ${i}`),
      ].sort(),
    );
    expect(doc.connections.find((c) => c.id === 'cli-3')?.client.secret).toBe('cli-secret-3');
    expect(readdirSync(dir).filter((f) => f.startsWith('store.json.corrupt'))).toEqual([]);
    await service.close();
  }, 120_000);
});

describe('${env:NAME} secret references', () => {
  const conn = connectionSchema.parse({
    id: '1',
    name: 'graph',
    type: 'client_credentials',
    tokenEndpoint: 'https://a.test/token',
    client: { id: 'c', secret: '${env:GRAPH_SECRET}' },
  });

  it('are stored as written and resolved when used', async () => {
    const dir = tmp();
    const store = new FileStore(dir, cipher());
    await store.update((doc) => void doc.connections.push(conn));
    expect((await store.read()).connections[0]?.client.secret).toBe('${env:GRAPH_SECRET}');
    expect(resolveConnectionSecrets(conn, { GRAPH_SECRET: 's3' }).client.secret).toBe('s3');
  });

  it('an unset variable is a clear error naming the variable and the field', () => {
    let error: unknown;
    try {
      resolveConnectionSecrets(conn, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TokensmithError);
    expect((error as TokensmithError).message).toBe(
      'client.secret of connection "graph" refers to the environment variable GRAPH_SECRET, which is not set.',
    );
  });
});
