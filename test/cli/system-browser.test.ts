/**
 * The browser is started with the URL as data: no shell, the URL one argument (Linux, macOS) or
 * a PowerShell string literal inside -EncodedCommand (Windows), and only http(s) URLs. On Linux
 * and with the macOS branch, a stand-in program found through PATH records the argv it really
 * received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  browserLaunch,
  browserUrl,
  openInSystemBrowser,
  powerShellLiteral,
  UnsafeUrlError,
} from '../../cli/system-browser.js';

/** An authorization URL a hostile endpoint could send, full of cmd.exe and shell metacharacters. */
const HOSTILE =
  'https://idp.example.test/authorize?client_id=a&state=x|calc^&redirect_uri=<b>&q="c"%41&p=$(touch%20pwned)&x=`id`;y';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokensmith-browser-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Undoes one PowerShell single-quoted literal: the value PowerShell would see. */
function readPowerShellLiteral(script: string): string {
  const m = /Start-Process -FilePath '((?:[^']|'')*)'$/.exec(script);
  if (!m) throw new Error(`No single-quoted literal at the end of: ${script}`);
  return (m[1] as string).replace(/''/g, "'");
}

describe('browserLaunch (pure)', () => {
  const href = browserUrl(HOSTILE);

  it('keeps the URL intact as one value; only what the URL standard encodes is encoded', () => {
    expect(href).toBe(new URL(HOSTILE).href);
    for (const c of ['&', '|', '^', '%41', '$(']) expect(href).toContain(c);
    expect(href).not.toMatch(/[<>"\s]/);
  });

  it('linux and darwin: no shell, the URL is the single argument', () => {
    for (const [platform, command] of [
      ['linux', 'xdg-open'],
      ['freebsd', 'xdg-open'],
      ['darwin', 'open'],
    ] as const) {
      const launch = browserLaunch(platform, HOSTILE);
      expect(launch.command).toBe(command);
      expect(launch.args).toEqual([href]);
      expect(launch.options.shell).toBe(false);
    }
  });

  it('win32: PowerShell by full path, no cmd /c, the URL a string literal in -EncodedCommand', () => {
    const launch = browserLaunch('win32', HOSTILE, { SYSTEMROOT: 'D:\\Win' });
    expect(launch.command).toBe('D:\\Win\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(launch.options.shell).toBe(false);
    expect(launch.args.join(' ')).not.toMatch(/\bcmd\b|\/c\b|start/i);
    expect(launch.args.slice(0, -1)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-WindowStyle',
      'Hidden',
      '-EncodedCommand',
    ]);
    const encoded = launch.args.at(-1) as string;
    // Base64 only: nothing in the command line for CreateProcess or PowerShell to parse.
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const script = Buffer.from(encoded, 'base64').toString('utf16le');
    expect(script.startsWith("$ProgressPreference = 'SilentlyContinue'; ")).toBe(true);
    expect(readPowerShellLiteral(script)).toBe(href);
    expect(browserLaunch('win32', HOSTILE).command).toBe(
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    );
  });

  it("win32: a quote in the URL's path stays inside the literal", () => {
    const url = "https://idp.example.test/it's'; Start-Process calc; '/x";
    const script = Buffer.from(
      browserLaunch('win32', url).args.at(-1) as string,
      'base64',
    ).toString('utf16le');
    expect(readPowerShellLiteral(script)).toBe(new URL(url).href);
    expect(powerShellLiteral("a'b\u2019c")).toBe("'a''b\u2019\u2019c'");
  });

  it('refuses anything but http(s) URLs', () => {
    for (const bad of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ms-settings:',
      '\\\\server\\share\\x.exe',
      'calc.exe',
      '',
    ]) {
      expect(() => browserLaunch('win32', bad), bad).toThrow(UnsafeUrlError);
      expect(() => browserLaunch('linux', bad), bad).toThrow(UnsafeUrlError);
    }
  });
});

describe('openInSystemBrowser (real run of a stand-in found through PATH)', () => {
  /** Writes `name` into a fresh bin folder: a script that records its argv, NUL-separated. */
  function standIn(name: string): { bin: string; record: string } {
    const bin = mkdtempSync(join(dir, 'bin-'));
    const record = join(bin, 'argv');
    writeFileSync(
      join(bin, name),
      `#!/bin/sh\nprintf '%s\\0' "$0" "$@" > "${record}.tmp" && mv "${record}.tmp" "${record}"\n`,
    );
    chmodSync(join(bin, name), 0o755);
    return { bin, record };
  }

  async function recorded(record: string): Promise<string[]> {
    for (let i = 0; i < 200 && !existsSync(record); i++) await sleep(25);
    return readFileSync(record, 'utf8').split('\0').slice(0, -1);
  }

  for (const [platform, program] of [
    ['linux', 'xdg-open'],
    ['darwin', 'open'],
  ] as const) {
    it(`${platform}: ${program} receives the hostile URL as its one argument, and nothing runs`, async () => {
      const { bin, record } = standIn(program);
      const started = await openInSystemBrowser(HOSTILE, {
        platform,
        env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
      });
      expect(started).toBe(true);
      const argv = await recorded(record);
      expect(argv).toEqual([join(bin, program), browserUrl(HOSTILE)]);
      expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false);
    });
  }

  it('a refused URL or a missing program resolves false, never throws', async () => {
    const { bin, record } = standIn('xdg-open');
    expect(
      await openInSystemBrowser('file:///etc/passwd', { platform: 'linux', env: { PATH: bin } }),
    ).toBe(false);
    expect(existsSync(record)).toBe(false);
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(await openInSystemBrowser(HOSTILE, { platform: 'linux', env: { PATH: empty } })).toBe(
      false,
    );
  });
});
