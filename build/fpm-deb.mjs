#!/usr/bin/env node
/**
 * Builds the .deb with Debian's own dpkg-deb, from the fpm command line electron-builder passes.
 *
 * electron-builder makes Linux packages with fpm, a Ruby tool it downloads from GitHub; Debian
 * does not package it and machines without that download cannot build the deb. With
 * `CUSTOM_FPM_PATH=build/fpm-deb.mjs` (what `npm run dist:deb` sets) electron-builder runs this
 * instead: it reads the fpm options electron-builder uses for a deb (`-s dir -t deb`, the package
 * metadata, `-d`/`--deb-recommends`, the after-install/after-remove scripts and the
 * `source=target` file mappings), lays the files out, writes DEBIAN/control, postinst, postrm and
 * md5sums, and runs `dpkg-deb --build --root-owner-group`. Any other option is refused by name,
 * so a new electron-builder cannot silently get a different package than fpm would build.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** fpm options with a value, and the control field each one fills (or null: read elsewhere). */
const VALUED = {
  '--name': 'Package',
  '--version': 'Version',
  '--architecture': 'Architecture',
  '--maintainer': 'Maintainer',
  '--url': 'Homepage',
  '--category': 'Section',
  '--deb-priority': 'Priority',
  '--description': null,
  '--vendor': null,
  '--license': null,
  '--iteration': null,
  '--package': null,
  '--after-install': null,
  '--after-remove': null,
  '--deb-compression': null,
  '--log': null,
  '-s': null,
  '-t': null,
};
const FLAGS = new Set(['--force', '--debug']);

function fail(message) {
  process.stderr.write(`fpm-deb: ${message}\n`);
  process.exit(1);
}

/** @param {string[]} args */
export function parseFpmArgs(args) {
  /** @type {Record<string, string>} */
  const options = {};
  const depends = [];
  const recommends = [];
  const mappings = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-d' || arg === '--depends') depends.push(args[++i]);
    else if (arg === '--deb-recommends') recommends.push(args[++i]);
    else if (FLAGS.has(arg)) continue;
    else if (arg in VALUED) {
      if (i + 1 >= args.length) fail(`${arg} needs a value`);
      options[arg] = args[++i];
    } else if (arg.startsWith('-')) fail(`unsupported fpm option ${arg}`);
    else {
      const at = arg.lastIndexOf('=');
      if (at <= 0) fail(`expected source=target, got ${arg}`);
      mappings.push({ source: arg.slice(0, at), target: arg.slice(at + 1) });
    }
  }
  if (options['-s'] !== 'dir') fail(`only -s dir is supported (got ${options['-s']})`);
  if (options['-t'] !== 'deb') fail(`only -t deb is supported (got ${options['-t']})`);
  for (const required of ['--name', '--version', '--architecture', '--package'])
    if (!options[required]) fail(`${required} is required`);
  return { options, depends, recommends, mappings };
}

/** A control file's Description: the synopsis, then the long text with continuation lines. */
function description(text) {
  const [first = '', ...rest] = text.split('\n');
  const body = rest
    .map((line) => line.replace(/^ /, ''))
    .map((line) => (line.trim() === '' ? ' .' : ` ${line}`));
  return [first.trim() || 'no description', ...body].join('\n');
}

function filesUnder(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, base);
    return entry.isFile() ? [path.slice(base.length + 1)] : [];
  });
}

export function buildDeb(args) {
  const { options, depends, recommends, mappings } = parseFpmArgs(args);
  const stage = mkdtempSync(join(tmpdir(), 'fpm-deb-'));
  try {
    const root = join(stage, 'root');
    for (const { source, target } of mappings) {
      const from = resolve(source);
      const to = join(root, target.replace(/^\/+/, ''));
      let stat;
      try {
        stat = statSync(from);
      } catch {
        fail(`File not found: ${source}`);
      }
      mkdirSync(stat.isDirectory() ? to : dirname(to), { recursive: true });
      // `dir/=target` and `dir=target` both put the folder's contents at target, as fpm does.
      cpSync(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    }
    const files = filesUnder(root).sort();
    const installedKiB = Math.ceil(
      files.reduce((sum, file) => sum + statSync(join(root, file)).size, 0) / 1024,
    );
    const fields = {};
    for (const [option, field] of Object.entries(VALUED))
      if (field && options[option]) fields[field] = options[option];
    const version = options['--iteration']
      ? `${options['--version']}-${options['--iteration']}`
      : options['--version'];
    const control = [
      `Package: ${fields.Package}`,
      `Version: ${version}`,
      `Architecture: ${fields.Architecture}`,
      ...(fields.Maintainer ? [`Maintainer: ${fields.Maintainer}`] : []),
      `Installed-Size: ${installedKiB}`,
      ...(depends.length ? [`Depends: ${depends.join(', ')}`] : []),
      ...(recommends.length ? [`Recommends: ${recommends.join(', ')}`] : []),
      `Section: ${fields.Section ?? 'utils'}`,
      `Priority: ${fields.Priority ?? 'optional'}`,
      ...(fields.Homepage ? [`Homepage: ${fields.Homepage}`] : []),
      `Description: ${description(options['--description'] ?? fields.Package)}`,
    ].join('\n');
    const debian = join(root, 'DEBIAN');
    mkdirSync(debian);
    writeFileSync(join(debian, 'control'), `${control}\n`);
    const md5 = files.map(
      (file) =>
        `${createHash('md5')
          .update(readFileSync(join(root, file)))
          .digest('hex')}  ${file}`,
    );
    writeFileSync(join(debian, 'md5sums'), `${md5.join('\n')}\n`);
    for (const [option, script] of [
      ['--after-install', 'postinst'],
      ['--after-remove', 'postrm'],
    ]) {
      if (!options[option]) continue;
      writeFileSync(join(debian, script), readFileSync(options[option]));
      chmodSync(join(debian, script), 0o755);
    }
    const out = resolve(options['--package']);
    mkdirSync(dirname(out), { recursive: true });
    rmSync(out, { force: true });
    const compression = { xz: 'xz', gz: 'gzip', gzip: 'gzip', bzip2: 'xz', none: 'none' }[
      options['--deb-compression'] ?? 'xz'
    ];
    const built = spawnSync(
      'dpkg-deb',
      ['--root-owner-group', `-Z${compression ?? 'xz'}`, '--build', root, out],
      { encoding: 'utf8' },
    );
    if (built.error) fail(`dpkg-deb could not run (${built.error.message}): install dpkg`);
    if (built.status !== 0) fail(`dpkg-deb failed:\n${built.stderr}`);
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  buildDeb(process.argv.slice(2));
