/**
 * Short flags for the JWT connection type (issue 23, item 4g): a field named after its section
 * because another type's field took the plain flag answers to the plain flag on its own type
 * (`--request-method` on a JWT connection), the long flag keeps working, and `connection show`
 * prints the short one. Parsed by node's parseArgs with the CLI's own options, then as a user
 * runs the CLI.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyFieldFlags, fieldFlagHelp, fieldFlagOptions } from '../../cli/connection-flags.js';
import { connectionSchema, newConnection, type ConnectionType } from '../../shared/connection.js';
import { runCli } from '../support/cli-run.js';

function record(type: ConnectionType, args: string[]) {
  const { values } = parseArgs({ args, options: fieldFlagOptions(), strict: true });
  const rec = newConnection(type, { id: 'x', name: 'x' }) as Record<string, unknown>;
  applyFieldFlags(rec, type, values);
  return connectionSchema.parse(rec);
}

const JWT_FLAGS = [
  '--token-endpoint',
  'https://gw.example.com/rest/pub/apigateway/jwt/getJsonWebToken',
  '--request-method',
  'POST',
  '--credentials-location',
  'body',
  '--request-body',
  '{"u":"${userid}","p":"${password}"}',
  '--jwt-location-in-the-response',
  'body',
  '--format',
  'JSON',
  '--jwt-path',
  '$.jwt',
  '--api-request-header-for-the-jwt',
  'X-Gateway-Jwt',
  '--no-send-as-bearer-jwt',
];

describe('the JWT type’s short flags', () => {
  it('set its own fields; the long flags still do; another type keeps its meaning', () => {
    const jwt = record('jwt', JWT_FLAGS);
    expect(jwt.type === 'jwt' && jwt.jwtIssuer).toMatchObject({
      requestMethod: 'POST',
      credentialLocation: 'body',
      requestBody: '{"u":"${userid}","p":"${password}"}',
      tokenLocation: 'body',
      responseFormat: 'JSON',
      tokenPath: '$.jwt',
      header: 'X-Gateway-Jwt',
      useBearerScheme: false,
    });
    const long = record('jwt', ['--jwt-request-and-response-request-method', 'PUT']);
    expect(long.type === 'jwt' && long.jwtIssuer.requestMethod).toBe('PUT');
    // On an OAuth type the plain flag is still the authentication-server JWT's.
    const cc = record('client_credentials', [
      '--token-endpoint',
      'https://as.example.com/token',
      '--request-method',
      'PUT',
    ]);
    expect(cc.authToken.requestMethod).toBe('PUT');
  });

  it('both forms at once, or a bad value, are refused naming the flag typed', () => {
    expect(() =>
      record('jwt', [
        '--request-method',
        'POST',
        '--jwt-request-and-response-request-method',
        'PUT',
      ]),
    ).toThrow('--request-method and --jwt-request-and-response-request-method set the same field');
    expect(() => record('jwt', ['--request-method', 'PATCH'])).toThrow(
      '--request-method is one of GET, POST, PUT; not "PATCH".',
    );
    expect(() => record('jwt', ['--password', 'hunter2'])).toThrow(
      /--password takes a reference such as \$\{env:NAME\}/,
    );
    expect(fieldFlagHelp()).toContain(
      '--jwt-request-and-response-request-method GET|POST|PUT (or --request-method)',
    );
  });

  it('as a user runs it: add with the short flags, show prints them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tokensmith-flags-'));
    const cli = (args: string[]) => runCli(['--data-dir', dataDir, '--no-workspace', ...args]);
    const add = await cli(['connection', 'add', 'gw', '--type', 'jwt', ...JWT_FLAGS]);
    expect(add.code, add.stderr).toBe(0);
    const show = await cli(['connection', 'show', 'gw']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('--request-method POST');
    expect(show.stdout).toContain('--credentials-location body');
    expect(show.stdout).toContain('--no-send-as-bearer-jwt');
    expect(show.stdout).not.toContain('--jwt-request-and-response-');
    // The short name of its secret, too.
    const secret = await runCli(
      ['--data-dir', dataDir, '--no-workspace', 'secret', 'set', 'gw', 'password'],
      { stdin: 'wonderland\n' },
    );
    expect(secret.code, secret.stderr).toBe(0);
    expect(secret.stderr).toBe('Set the Password of "gw".');
  }, 30_000);
});
