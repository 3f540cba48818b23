/** The data folder, resolved once at start-up so tests and the CLI can point it elsewhere. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home = homedir(),
): string {
  if (env.TOKENSMITH_HOME) return env.TOKENSMITH_HOME;
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Tokensmith');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Tokensmith');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'tokensmith');
}
