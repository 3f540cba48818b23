/** What a launch asks for: command-line arguments, `tokensmith://` links, opened files. */
import { describe, expect, it } from 'vitest';
import { requestOfArgv, requestOfFile, requestOfUrl } from '../../electron/launch-args.js';

describe('launch requests', () => {
  it('tokensmith:// links: open a connection, open the import dialog; nothing else', () => {
    expect(requestOfUrl('tokensmith://open/payments%20api')).toEqual({
      kind: 'open-connection',
      name: 'payments api',
    });
    expect(requestOfUrl('tokensmith://import')).toEqual({ kind: 'import' });
    // A link never names a file to read.
    expect(requestOfUrl('tokensmith://import/etc/passwd')).toBeUndefined();
    expect(requestOfUrl('tokensmith://open/a/b')).toBeUndefined();
    expect(requestOfUrl('tokensmith://run/anything')).toBeUndefined();
    expect(requestOfUrl('https://open/x')).toBeUndefined();
    expect(requestOfUrl('not a url')).toBeUndefined();
  });

  it('an opened file: connection files and server.xml only, relative to where it was opened', () => {
    expect(requestOfFile('exports/team.json', '/home/u')).toEqual({
      kind: 'import-file',
      path: '/home/u/exports/team.json',
    });
    expect(requestOfFile('/srv/server.XML', '/')).toEqual({
      kind: 'import-file',
      path: '/srv/server.XML',
    });
    expect(requestOfFile('/home/u/.ssh/id_rsa', '/')).toBeUndefined();
  });

  it('a command line: its last link or file, past the executable and the switches', () => {
    expect(
      requestOfArgv(['/opt/Tokensmith/tokensmith', '--no-sandbox', 'tokensmith://open/x'], '/'),
    ).toEqual({ kind: 'open-connection', name: 'x' });
    expect(requestOfArgv(['electron', '.', '--inspect', 'team.json'], '/w')).toEqual({
      kind: 'import-file',
      path: '/w/team.json',
    });
    expect(requestOfArgv(['/opt/Tokensmith/tokensmith'], '/')).toBeUndefined();
    expect(requestOfArgv(['electron', '.'], '/')).toBeUndefined();
  });
});
