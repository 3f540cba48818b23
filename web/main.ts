/** `npm run start:web [-- --port N] [-- --data-dir DIR]`: Tokensmith in a browser tab. */
import { parseArgs } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { createAppService, defaultDataDir, openWorkspaceAt } from '../electron/core/index.js';
import { startWebHost, type WebHost } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    workspace: { type: 'string' },
  },
});
/** The checkout: the folder above this file (web/main.ts or its bundle dist/web/main.mjs) with package.json. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const root = projectRoot();
const version = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
).version;
const dataDir = values['data-dir'] ?? defaultDataDir();

let host: WebHost | undefined;
const workspace = await openWorkspaceAt({
  dataDir,
  env: process.env,
  ...(values.workspace ? { folder: values.workspace } : {}),
});
for (const warning of workspace.warnings) process.stderr.write(`start:web: ${warning}\n`);
workspace.cache.startPruning(60_000);
const service = createAppService({
  workspace,
  env: process.env,
  mode: 'browser',
  version,
  emit: (event) => host?.emit(event),
  onWorkspaceChanged: (event) => host?.notify('workspace:changed', event),
});
try {
  host = await startWebHost({
    dispatch: service.dispatch,
    staticDir: join(root, 'dist', 'renderer'),
    ...(values.port ? { port: Number(values.port) } : {}),
  });
} catch (e) {
  const code = (e as NodeJS.ErrnoException).code;
  process.stderr.write(
    `start:web: ${code === 'EADDRINUSE' ? `port ${values.port} is in use; choose another with --port` : (e as Error).message}\n`,
  );
  process.exit(1);
}
const jwk = await service.start();
if (jwk.error) process.stderr.write(`start:web: JWKS server: ${jwk.error.message}\n`);
process.stdout.write(
  `Tokensmith is running in browser mode. Open:\n  ${host.url}\nData folder: ${dataDir}\nPress Ctrl+C to stop.\n`,
);
const stop = () => {
  void Promise.all([host?.close(), service.close()]).then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
