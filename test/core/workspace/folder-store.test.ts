/**
 * The store over a workspace folder: small diff-friendly files, comments kept, secrets only in
 * the user's own state, references shared, hand-written mistakes reported with file, line and
 * pointer, and changes on disk seen by the app (workspace:changed).
 */
import { describe, expect, it } from 'vitest';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionSchema } from '../../../shared/connection.js';
import { keystoreEntry, proxyAlias } from '../../../shared/resources.js';
import type { WorkspaceChangedEvent } from '../../../shared/contract.js';
import { createAppService, openWorkspace } from '../../../electron/core/index.js';
import { openWorkspaceAt } from '../../../electron/core/workspace/locate.js';
import { initWorkspaceFolder } from '../../../electron/core/workspace/open-folder.js';

const env = { TOKENSMITH_SECRET_KEY_STORE: 'file' };

async function fresh() {
  const folder = mkdtempSync(join(tmpdir(), 'ws-folder-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'ws-data-'));
  await initWorkspaceFolder(folder, { name: 'Team' });
  const workspace = await openWorkspaceAt({ dataDir, env, folder });
  return { folder, dataDir, workspace };
}

const graph = (extra: Record<string, unknown> = {}) =>
  connectionSchema.parse({
    id: 'graph',
    name: 'Graph',
    type: 'client_credentials',
    tokenEndpoint: 'https://login.example.com/oauth2/token',
    client: { id: 'app', secret: 'the-client-secret-value' },
    params: { scope: 'https://graph.microsoft.com/.default' },
    ...extra,
  });

describe('FolderStore', () => {
  it('writes one small file per connection: non-default values in the model order, no secret value', async () => {
    const { folder, dataDir, workspace } = await fresh();
    await workspace.store.update((doc) => void doc.connections.push(graph()));
    const text = readFileSync(join(folder, 'connections', 'graph.yaml'), 'utf8');
    expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([
      'name: Graph',
      'type: client_credentials',
      'tokenEndpoint: https://login.example.com/oauth2/token',
      'client:',
      '  id: app',
      'params:',
      '  scope: https://graph.microsoft.com/.default',
    ]);
    const state = readdirSync(join(dataDir, 'workspaces'));
    const stateText = readFileSync(join(dataDir, 'workspaces', state[0]!, 'state.json'), 'utf8');
    expect(stateText).toContain('"connection:graph"');
    expect(stateText).not.toContain('the-client-secret-value');
    const doc = await workspace.store.read();
    expect(doc.connections[0]?.client.secret).toBe('the-client-secret-value');
  });

  it('keeps comments and the order a person gave when it changes a value', async () => {
    const { folder, workspace } = await fresh();
    await workspace.store.update((doc) => void doc.connections.push(graph()));
    const path = join(folder, 'connections', 'graph.yaml');
    writeFileSync(
      path,
      '# Graph for the billing team\nparams:\n  scope: https://graph.microsoft.com/.default # app-only\nname: Graph\ntype: client_credentials\ntokenEndpoint: https://login.example.com/oauth2/token\nclient:\n  id: app\n',
    );
    await workspace.store.update((doc) => {
      doc.connections[0]!.client.id = 'app-2';
    });
    expect(readFileSync(path, 'utf8')).toBe(
      '# Graph for the billing team\nparams:\n  scope: https://graph.microsoft.com/.default # app-only\nname: Graph\ntype: client_credentials\ntokenEndpoint: https://login.example.com/oauth2/token\nclient:\n  id: app-2\n',
    );
    // An unchanged record is not rewritten at all.
    const before = readFileSync(path, 'utf8');
    await workspace.store.update(() => undefined);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('shares a reference, keeps the user value over it, and never writes the value', async () => {
    const { folder, workspace } = await fresh();
    await workspace.store.update(
      (doc) =>
        void doc.connections.push(graph({ client: { id: 'app', secret: '${env:GRAPH_SECRET}' } })),
    );
    const path = join(folder, 'connections', 'graph.yaml');
    expect(readFileSync(path, 'utf8')).toContain('secret: ${env:GRAPH_SECRET}');
    await workspace.store.update((doc) => {
      doc.connections[0]!.client.secret = 'my-own-secret';
    });
    expect(readFileSync(path, 'utf8')).toContain('secret: ${env:GRAPH_SECRET}');
    expect(readFileSync(path, 'utf8')).not.toContain('my-own-secret');
    expect((await workspace.store.read()).connections[0]?.client.secret).toBe('my-own-secret');
  });

  it('reports a hand-written secret value and a bad field with file, line and pointer; leaves the file alone', async () => {
    const { folder, workspace } = await fresh();
    mkdirSync(join(folder, 'connections'), { recursive: true });
    const leaky =
      'name: Leaky\ntype: password\nissuer: https://login.example.com\npassword: hunter2\n';
    writeFileSync(join(folder, 'connections', 'leaky.yaml'), leaky);
    writeFileSync(
      join(folder, 'connections', 'typo.yaml'),
      'name: Typo\ntype: client_credentials\ntokenEndpoint: 42\n',
    );
    writeFileSync(join(folder, 'connections', 'yaml.yaml'), 'name: [unclosed\n');
    const doc = await workspace.store.read();
    expect(doc.connections).toEqual([]);
    const problems = workspace.problems().map((p) => `${p.file}:${p.line ?? ''} ${p.pointer}`);
    expect(problems).toEqual([
      'connections/leaky.yaml:4 /password',
      'connections/typo.yaml:3 /tokenEndpoint',
      expect.stringMatching(/^connections\/yaml\.yaml:\d+ $/),
    ]);
    expect(workspace.problems()[0]?.message).not.toContain('hunter2');
    await workspace.store.update((d) => void d.connections.push(graph()));
    expect(readFileSync(join(folder, 'connections', 'leaky.yaml'), 'utf8')).toBe(leaky);
  });

  it('keeps the user secret of a connection whose file cannot be read for now (a bad merge)', async () => {
    const { folder, workspace } = await fresh();
    await workspace.store.update((doc) => void doc.connections.push(graph()));
    const path = join(folder, 'connections', 'graph.yaml');
    const good = readFileSync(path, 'utf8');
    writeFileSync(path, good + '<<<<<<< HEAD\n');
    await workspace.store.update(
      (doc) => void doc.connections.push(graph({ id: 'other', name: 'Other' })),
    );
    writeFileSync(path, good);
    const doc = await workspace.store.read();
    expect(doc.connections.find((c) => c.id === 'graph')?.client.secret).toBe(
      'the-client-secret-value',
    );
  });

  it('refers to a keystore inside the folder by a relative path, and one outside as it is', async () => {
    const { folder, workspace } = await fresh();
    await workspace.store.update((doc) => {
      doc.keystores.push(
        keystoreEntry.parse({
          name: 'Team signing',
          kind: 'pkcs12',
          path: join(folder, 'keys', 'team.p12'),
          password: 'pw',
        }),
        keystoreEntry.parse({ name: 'ci', kind: 'pem', path: '/etc/ci/key.pem' }),
      );
    });
    expect(readdirSync(join(folder, 'keystores')).sort()).toEqual(['ci.yaml', 'team-signing.yaml']);
    const team = readFileSync(join(folder, 'keystores', 'team-signing.yaml'), 'utf8');
    expect(team).toContain('path: keys/team.p12');
    expect(team).not.toContain('pw');
    expect(readFileSync(join(folder, 'keystores', 'ci.yaml'), 'utf8')).toContain(
      'path: /etc/ci/key.pem',
    );
    const doc = await workspace.store.read();
    expect(doc.keystores.find((k) => k.name === 'Team signing')).toMatchObject({
      path: join(folder, 'keys', 'team.p12'),
      password: 'pw',
    });
  });

  it('the app opens a workspace and is told when its files change on disk', async () => {
    const { folder, dataDir } = await fresh();
    const events: WorkspaceChangedEvent[] = [];
    const service = createAppService({
      workspace: await openWorkspace(dataDir, env),
      env,
      mode: 'browser',
      version: 'test',
      emit: () => undefined,
      onWorkspaceChanged: (e) => events.push(e),
    });
    try {
      const opened = await service.dispatch('workspace:open', { folder });
      expect(opened).toMatchObject({ ok: true, value: { kind: 'folder', name: 'Team' } });
      // Every page is told, not only the one that asked.
      expect(events[0]).toMatchObject({ workspace: { kind: 'folder', name: 'Team' }, files: [] });
      const recent = await service.dispatch('workspace:recent', {});
      expect(recent).toMatchObject({ ok: true, value: [{ name: 'Team' }] });
      mkdirSync(join(folder, 'connections'), { recursive: true });
      writeFileSync(
        join(folder, 'connections', 'pulled.yaml'),
        'name: Pulled\ntype: client_credentials\ntokenEndpoint: https://login.example.com/token\n',
      );
      const deadline = Date.now() + 5000;
      while (
        !events.some((e) => e.files.includes('connections/pulled.yaml')) &&
        Date.now() < deadline
      )
        await new Promise((r) => setTimeout(r, 50));
      expect(events.at(-1)?.files).toContain('connections/pulled.yaml');
      const listed = await service.dispatch('connections:list', {});
      expect(listed.ok && (listed.value as Array<{ name: string }>).map((c) => c.name)).toEqual([
        'Pulled',
      ]);
      const closed = await service.dispatch('workspace:close', {});
      expect(closed).toMatchObject({ ok: true, value: { kind: 'personal' } });
      expect(events.at(-1)).toMatchObject({ workspace: { kind: 'personal' }, files: [] });
    } finally {
      await service.close();
    }
  });
});

describe('secrets of a workspace folder', () => {
  it('are kept per folder: state kept by ID alone moves to the folder it was opened from, once', async () => {
    const { folder, dataDir, workspace } = await fresh();
    await workspace.store.update((doc) => void doc.connections.push(graph()));
    // As an older version kept it: under the workspace ID alone.
    const [current] = readdirSync(join(dataDir, 'workspaces'));
    const id = workspace.folder!.manifest.id;
    renameSync(join(dataDir, 'workspaces', current!), join(dataDir, 'workspaces', id));
    const again = await openWorkspaceAt({ dataDir, env, folder });
    expect((await again.store.read()).connections[0]?.client.secret).toBe(
      'the-client-secret-value',
    );
    expect(readdirSync(join(dataDir, 'workspaces'))).toEqual([current]);
    // A copy of the folder elsewhere (same marker ID) is another workspace.
    const copy = mkdtempSync(join(tmpdir(), 'ws-copy-'));
    cpSync(folder, copy, { recursive: true });
    const other = await openWorkspaceAt({ dataDir, env, folder: copy });
    expect((await other.store.read()).connections[0]?.client.secret).toBe('');
  });

  it('are kept back from a record whose file now names another destination, and kept for the old one', async () => {
    const { folder, workspace } = await fresh();
    await workspace.store.update((doc) => void doc.connections.push(graph()));
    const path = join(folder, 'connections', 'graph.yaml');
    const before = readFileSync(path, 'utf8');
    writeFileSync(path, before.replace('login.example.com', 'login.example.net'));
    const doc = await workspace.store.read();
    expect(doc.connections[0]?.client.secret).toBe('');
    expect(workspace.trust?.withheld()).toEqual([
      {
        kind: 'connection',
        name: 'Graph',
        file: 'connections/graph.yaml',
        paths: ['client.secret'],
        field: 'tokenEndpoint',
        from: 'https://login.example.com/oauth2/token',
        to: 'https://login.example.net/oauth2/token',
      },
    ]);
    // Another save does not lose them; back at the old endpoint they are used again.
    await workspace.store.update((d) => void (d.connections[0]!.description = 'edited'));
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('login.example.net', 'login.example.com'),
    );
    expect((await workspace.store.read()).connections[0]?.client.secret).toBe(
      'the-client-secret-value',
    );
    // Entered again for the new endpoint, they are bound to it.
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('login.example.com', 'login.example.net'),
    );
    await workspace.store.update(
      (d) => void (d.connections[0]!.client.secret = 'new-secret-value'),
    );
    expect((await workspace.store.read()).connections[0]?.client.secret).toBe('new-secret-value');
    expect(workspace.trust?.withheld()).toEqual([]);
  });
});

describe('workspace trust and the secrets a review found at risk', () => {
  it('a proxy server moved by a pull keeps back the secrets of the connections behind it', async () => {
    const { folder, workspace } = await fresh();
    await workspace.store.update((doc) => {
      doc.proxies.push(proxyAlias.parse({ name: 'corp', host: 'proxy.corp.example', port: 3128 }));
      doc.connections.push(graph({ proxyAlias: 'corp' }));
    });
    const path = join(folder, 'proxies', 'corp.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('proxy.corp.example', 'evil.example'));
    expect((await workspace.store.read()).connections[0]?.client.secret).toBe('');
    expect(workspace.trust?.withheld()[0]).toMatchObject({
      name: 'Graph',
      field: 'proxy server',
      from: 'http://proxy.corp.example:3128',
      to: 'http://evil.example:3128',
    });
  });

  it('what the user adds through Tokensmith is theirs; a rename does not confirm what was pending', async () => {
    const { folder, workspace } = await fresh();
    // The user's own ${env:} reference, added in place as every use case does: confirmed.
    await workspace.store.update((doc) => {
      doc.connections.push(graph({ client: { id: 'app', secret: '${env:GRAPH_SECRET}' } }));
    });
    await workspace.store.read();
    expect(workspace.trust?.bindings().map((b) => [b.id, b.trusted])).toEqual([
      ['env:GRAPH_SECRET', true],
    ]);
    // A teammate's token exchange chained to it: pending. Renaming Graph does not confirm it.
    writeFileSync(
      join(folder, 'connections', 'exchange.yaml'),
      'name: exchange\ntype: token_exchange\ntokenEndpoint: https://evil.example/token\nclient:\n  id: x\nsubjectToken:\n  source: connection\n  connection: graph\n',
    );
    await workspace.store.read();
    const pending = () =>
      (workspace.trust?.bindings() ?? []).filter((b) => !b.trusted).map((b) => b.id);
    expect(pending()).toEqual(['connection:Graph']);
    await workspace.store.update((doc) => {
      doc.connections.find((c) => c.id === 'graph')!.name = 'Graph prod';
    });
    await workspace.store.read();
    expect(pending()).toEqual(['connection:Graph prod']);
    expect(() => workspace.guard(['connection:exchange'])).toThrow(/not confirmed/);
  });

  it('a pull that moves only another endpoint of a confirmed connection (introspection) asks again', async () => {
    const { folder, workspace } = await fresh();
    await workspace.store.update((doc) => {
      doc.connections.push(graph({ client: { id: 'app', secret: '${env:GRAPH_SECRET}' } }));
    });
    await workspace.store.read();
    expect(() => workspace.guard(['connection:Graph'])).not.toThrow();
    const path = join(folder, 'connections', 'graph.yaml');
    writeFileSync(
      path,
      `${readFileSync(path, 'utf8')}introspectionEndpoint: https://evil.example/i\n`,
    );
    await workspace.store.read();
    expect(() => workspace.guard(['connection:Graph'])).toThrow(/not confirmed/);
  });

  it("a deleted record's secrets go with it: a later file with its ID gets none", async () => {
    const { folder, workspace } = await fresh();
    await workspace.store.update((doc) => void doc.connections.push(graph()));
    await workspace.store.update((doc) => void (doc.connections = []));
    writeFileSync(
      join(folder, 'connections', 'graph.yaml'),
      'name: revived\ntype: client_credentials\ntokenEndpoint: https://login.example.com/oauth2/token\nclient:\n  id: app\n',
    );
    expect((await workspace.store.read()).connections[0]?.client.secret).toBe('');
  });

  it('a second file with a connection ID is left out, and a save removes neither file', async () => {
    const { folder, workspace } = await fresh();
    await workspace.store.update((doc) => void doc.connections.push(graph()));
    writeFileSync(
      join(folder, 'connections', 'zzz.yaml'),
      'name: other\nid: graph\ntype: client_credentials\ntokenEndpoint: https://login.example.com/oauth2/token\nclient:\n  id: app\n',
    );
    const doc = await workspace.store.read();
    expect(doc.connections.map((c) => c.name)).toEqual(['Graph']);
    expect(workspace.problems()).toEqual([
      expect.objectContaining({ file: 'connections/zzz.yaml', pointer: '/id' }),
    ]);
    await workspace.store.update((d) => void (d.connections[0]!.description = 'saved again'));
    expect(readdirSync(join(folder, 'connections')).sort()).toEqual(['graph.yaml', 'zzz.yaml']);
  });
});

describe('the trusted CAs are part of where secrets go', () => {
  it('a pull that swaps the truststore PEM inside the folder keeps the secrets back', async () => {
    const { folder, workspace } = await fresh();
    mkdirSync(join(folder, 'keystores'), { recursive: true });
    const pem = join(folder, 'keystores', 'corp-ca.pem');
    writeFileSync(
      pem,
      '-----BEGIN CERTIFICATE-----\nMIIB the team CA\n-----END CERTIFICATE-----\n',
    );
    await workspace.store.update((doc) => {
      doc.keystores.push(
        keystoreEntry.parse({ name: 'corp-ca', purpose: 'truststore', kind: 'pem', path: pem }),
      );
      doc.connections.push(graph({ ssl: { enabled: true, truststoreAlias: 'corp-ca' } }));
    });
    expect((await workspace.store.read()).connections[0]?.client.secret).toBe(
      'the-client-secret-value',
    );
    writeFileSync(
      pem,
      '-----BEGIN CERTIFICATE-----\nMIIB an attacker CA\n-----END CERTIFICATE-----\n',
    );
    expect((await workspace.store.read()).connections[0]?.client.secret).toBe('');
    expect(workspace.trust?.withheld()[0]).toMatchObject({ field: 'truststore file' });
  });
});
