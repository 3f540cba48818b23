/**
 * The deb as a user installs it, for build/dist-check.ts: its control file, what it installs
 * (the desktop file, the icons, the MIME type, the AppStream metadata, `/usr/bin/tokensmith`), the
 * desktop and AppStream files checked by their own validators where Debian's are installed
 * (desktop-file-utils, appstream), and the CLI started from the unpacked package through the
 * launcher it installs.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

export interface DebReport {
  file: string;
  control: Record<string, string>;
  depends: string[];
  /** Every path the package installs (no directories), `/`-rooted. */
  files: string[];
  desktopFiles: string[];
  /** The desktop file's text. */
  desktopEntry: string;
  /** The launcher at /usr/bin/tokensmith. */
  cliLauncher: string;
  /** What the packaged CLI printed for `--version`. */
  cliVersion: string;
  /** Where the package was unpacked (its `/`), for the checks that follow. */
  unpacked: string;
}

function tool(command: string, args: string[], env: Record<string, string> = {}, input = '') {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    input,
  });
  return {
    missing: (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT',
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim(),
  };
}

function control(deb: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let last = '';
  for (const line of tool('dpkg-deb', ['-f', deb]).output.split('\n')) {
    const match = /^([A-Za-z-]+):\s?(.*)$/.exec(line);
    if (match && !line.startsWith(' ')) fields[(last = match[1]!)] = match[2]!;
    else if (last) fields[last] += `\n${line}`;
  }
  return fields;
}

/** Unpacks `deb` under `into` and checks it; adds what is wrong to `problems`. */
export function checkDeb(deb: string, into: string, problems: string[]): DebReport {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
    desktopName: string;
  };
  const fields = control(deb);
  const depends = (fields.Depends ?? '').split(/,\s*/).filter(Boolean);
  if (fields.Package !== 'tokensmith') problems.push(`the deb's Package is ${fields.Package}`);
  if (fields.Version !== manifest.version)
    problems.push(`the deb's Version ${fields.Version} is not ${manifest.version}`);
  if (!fields.Maintainer?.includes('@')) problems.push('the deb has no maintainer e-mail');
  if (!fields.Homepage) problems.push('the deb has no homepage');
  for (const lib of ['libgtk-3-0', 'libnss3', 'libsecret-1-0', 'libxss1', 'libxtst6'])
    if (!depends.includes(lib)) problems.push(`the deb does not depend on ${lib}`);

  const unpacked = mkdtempSync(join(into, 'deb-'));
  const extracted = tool('dpkg-deb', ['-x', deb, unpacked]);
  if (extracted.status !== 0) problems.push(`dpkg-deb -x failed: ${extracted.output}`);
  const files = readdirSync(unpacked, { recursive: true })
    .map(String)
    .filter((f) => !lstatSync(join(unpacked, f)).isDirectory())
    .map((f) => `/${f}`);
  const has = (path: string) => files.includes(path);

  // The window's launcher and the files desktops read.
  const desktopName = manifest.desktopName.replace(/\.desktop$/, '');
  const desktopPath = `/usr/share/applications/${manifest.desktopName}`;
  const desktopFiles = files.filter((f) => f.startsWith('/usr/share/applications/'));
  const desktop = has(desktopPath) ? readFileSync(join(unpacked, desktopPath), 'utf8') : '';
  if (!desktop) problems.push(`the deb installs no ${desktopPath}`);
  else {
    if (!/^Exec=\/opt\/Tokensmith\/tokensmith-desktop %U$/m.test(desktop))
      problems.push(`${desktopPath} does not start /opt/Tokensmith/tokensmith-desktop`);
    if (!desktop.includes(`StartupWMClass=${desktopName}`))
      problems.push(`${desktopPath} does not name the window class ${desktopName}`);
    const mime = /^MimeType=(.*)$/m.exec(desktop)?.[1]?.split(';') ?? [];
    for (const type of ['x-scheme-handler/tokensmith', 'application/x-tokensmith-connections+json'])
      if (!mime.includes(type)) problems.push(`${desktopPath} does not take ${type}`);
    const validated = tool('desktop-file-validate', [join(unpacked, desktopPath)]);
    if (!validated.missing && validated.status !== 0)
      problems.push(`desktop-file-validate: ${validated.output}`);
  }
  const icon = /^Icon=(.*)$/m.exec(desktop)?.[1];
  for (const png of readdirSync(join(root, 'build', 'icons'))) {
    const size = png.replace(/\.png$/, '');
    if (!has(`/usr/share/icons/hicolor/${size}/apps/${icon}.png`))
      problems.push(`the deb has no ${size} icon named ${icon}`);
  }
  const mimeXml = `/usr/share/mime/packages/tokensmith-desktop.xml`;
  if (
    !has(mimeXml) ||
    !readFileSync(join(unpacked, mimeXml), 'utf8').includes('<glob pattern="*.tokensmith.json"/>')
  )
    problems.push(`the deb does not declare *.tokensmith.json files (${mimeXml})`);
  const metainfo = '/usr/share/metainfo/dev.tokensmith.app.metainfo.xml';
  if (!has(metainfo)) problems.push(`the deb has no AppStream metadata (${metainfo})`);
  else {
    const xml = readFileSync(join(unpacked, metainfo), 'utf8');
    if (!xml.includes(`<launchable type="desktop-id">${manifest.desktopName}</launchable>`))
      problems.push(`${metainfo} does not launch ${manifest.desktopName}`);
    if (!xml.includes(`<release version="${manifest.version}"`))
      problems.push(`${metainfo} has no release ${manifest.version}`);
    const validated = tool('appstreamcli', ['validate', '--no-net', join(unpacked, metainfo)]);
    if (!validated.missing && validated.status !== 0)
      problems.push(`appstreamcli validate: ${validated.output}`);
  }

  // `tokensmith` on PATH is the CLI: the launcher, run here with its paths moved under the
  // unpacked tree (the package's Electron runs it as Node.js).
  const launcherPath = join(unpacked, 'usr', 'bin', 'tokensmith');
  let cliLauncher = '';
  let cliVersion = '';
  if (!existsSync(launcherPath) || lstatSync(launcherPath).isSymbolicLink())
    problems.push('/usr/bin/tokensmith is not the CLI launcher');
  else {
    cliLauncher = readFileSync(launcherPath, 'utf8');
    if ((lstatSync(launcherPath).mode & 0o111) === 0)
      problems.push('/usr/bin/tokensmith is not executable');
    for (const path of cliLauncher.matchAll(/'(\/opt\/[^']+)'/g))
      if (!has(path[1]!)) problems.push(`/usr/bin/tokensmith runs ${path[1]}, which is not there`);
    const moved = join(into, 'tokensmith-launcher');
    writeFileSync(moved, cliLauncher.replaceAll("'/opt/", `'${unpacked}/opt/`), { mode: 0o755 });
    const version = tool(moved, ['--version']);
    cliVersion = version.output;
    if (version.output !== `tokensmith ${manifest.version}`)
      problems.push(`the packaged CLI's --version printed: ${version.output}`);
    // A store round trip: a connection with a secret, kept by the packaged CLI and read back.
    const data = mkdtempSync(join(into, 'cli-data-'));
    const env = { TOKENSMITH_HOME: data, TOKENSMITH_SECRET_KEY_STORE: 'file' };
    const runs: Array<{ args: string[]; input?: string }> = [
      {
        args: ['connection', 'add', 'packaged', '--type', 'client_credentials'].concat([
          '--token-endpoint',
          'https://as.example/token',
          '--client-id',
          'app',
        ]),
      },
      { args: ['secret', 'set', 'packaged', 'client-secret'], input: 'secret-of-the-check' },
      { args: ['list', '--json'] },
    ];
    for (const { args, input } of runs) {
      const step = tool(moved, args, env, input);
      if (step.status !== 0)
        problems.push(`the packaged CLI's ${args.slice(0, 2).join(' ')} failed: ${step.output}`);
      else if (args[0] === 'list' && !step.output.includes('"packaged"'))
        problems.push(`the packaged CLI does not list what it added: ${step.output}`);
    }
  }
  const postinst = tool('dpkg-deb', ['-I', deb, 'postinst']).output;
  if (!postinst.includes("'/usr/bin/tokensmith-desktop'"))
    problems.push('the deb does not link /usr/bin/tokensmith-desktop to the app');
  return {
    file: deb,
    control: fields,
    depends,
    files,
    desktopFiles,
    desktopEntry: desktop,
    cliLauncher,
    cliVersion,
    unpacked,
  };
}
