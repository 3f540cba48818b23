import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  EXPORT_FORMATS,
  exportAs,
  importText,
  TokensmithError,
  writePrivateFile,
  type ExportFormat,
  type ImportRequest,
} from '../../electron/core/index.js';
import {
  describeBinding,
  type ConfirmationDetail,
  type ImportBinding,
} from '../../shared/transfer.js';
import type { Command } from '../command.js';
import { need, passphraseOf, UsageError, withSession, type Io } from '../io.js';

const passphraseOptions = {
  passphrase: { type: 'string' },
  'passphrase-env': { type: 'string' },
} as const;

const exportUsage = `Usage: tokensmith export [connection...] [--format FORMAT] [-o FILE | --out PATH]
                         [--passphrase-env VAR | --passphrase P] [--include-secrets]

FORMAT: json, curl, env, server.xml, postman, insomnia, bruno or httpie.

json (default): the Tokensmith connections file. Secrets are left out and listed as required,
unless a passphrase is given: then they are included, encrypted (scrypt + AES-256-GCM).
Prefer --passphrase-env: a --passphrase value is visible to other users in the process list.
curl: a bash script with the token request of each connection, exactly as Tokensmith sends it;
env: an environment file per connection. Both refer to secrets as environment variables, never
as values, and quote every value for the shell.
server.xml: z/OS Connect elements (zosconnect_endpointConnection, zosconnect_oAuthConfig,
zosconnect_authorizationServer, zosconnect_authData, zosconnect_oAuthTokenConfig, jwtBuilder,
zosconnect_authToken). Secrets are written as Liberty variables to set in server.env, unless
--include-secrets writes them in clear. What has no server.xml form is listed on stderr.
postman, insomnia, bruno, httpie: one connection for that API client, its secrets as the tool's
variables (client_secret, password) with no value. postman writes a collection and an
environment, bruno a collection folder: give the folder with --out DIR. httpie writes a session
file and prints the command that fills it with a token from \`tokensmith token\`. A connection the
tool cannot reproduce (a signed assertion, DPoP, a client certificate…) is refused, saying why.`;

export const exportCommand: Command = {
  usage: exportUsage,
  options: {
    ...passphraseOptions,
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    out: { type: 'string' },
    'include-secrets': { type: 'boolean' },
  },
  async run(input) {
    const { io, values } = input;
    const format = (values.format as string | undefined) ?? 'json';
    if (!(EXPORT_FORMATS as readonly string[]).includes(format))
      throw new UsageError(`Unknown format "${format}": use ${EXPORT_FORMATS.join(', ')}.`);
    if (typeof values.out === 'string' && typeof values.output === 'string')
      throw new UsageError('Give -o or --out, not both: they name the same thing.');
    const target = (values.out ?? values.output) as string | undefined;
    const passphrase = passphraseOf(input);
    const out = await withSession(input, (session) =>
      exportAs(session, {
        names: input.args,
        format: format as ExportFormat,
        includeSecrets: values['include-secrets'] === true,
        ...(passphrase ? { passphrase } : {}),
        ...(target ? { target } : {}),
      }),
    );
    if (out.files) {
      if (!target)
        throw new UsageError(
          `The ${format} export is ${out.files.length} files: give the folder to write them to with --out DIR.`,
        );
      for (const f of out.files) {
        const path = join(target, f.path);
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        await writePrivateFile(path, f.content);
      }
      for (const note of out.notes) io.err(`note: ${note}`);
      io.err(`Wrote ${out.files.map((f) => join(target, f.path)).join(', ')}.`);
      if (out.requiredSecrets.length)
        io.err(`Set these ${format} variables to the secrets: ${out.requiredSecrets.join(', ')}.`);
      return;
    }
    for (const note of out.notes) io.err(`note: ${note}`);
    if (format === 'json' && out.requiredSecrets.length)
      io.err(
        `Secrets left out (${out.requiredSecrets.length}); give --passphrase-env to include them encrypted.`,
      );
    if (format === 'server.xml' && out.requiredSecrets.length)
      io.err(`Set these Liberty variables to the secrets: ${out.requiredSecrets.join(', ')}.`);
    if (['insomnia', 'httpie'].includes(format) && out.requiredSecrets.length)
      io.err(`Set these ${format} variables to the secrets: ${out.requiredSecrets.join(', ')}.`);
    if (target) {
      await writePrivateFile(target, out.content);
      io.err(`Wrote ${target}.`);
    } else io.out(out.content.trimEnd());
  },
};

const importUsage = `Usage: tokensmith import <file> [--replace] [--allow-bind]
                         [--passphrase-env VAR | --passphrase P]

Validates the whole file first and imports all or nothing; each problem is reported with its
JSON pointer. --replace overwrites connections, keystores and proxies with the same name.
A server.xml (recognised by its content) is mapped back to connections; elements and attributes
that are not imported, and references to define in Tokensmith, are listed on stderr.

A file from someone else is not trusted: when it would use anything of yours — a keystore,
truststore, generated signing key or proxy alias already in Tokensmith, an environment variable
(\${env:NAME}), a keystore file on disk — each of these is listed and nothing is imported until
you confirm: at the terminal, one question per binding; otherwise with --allow-bind, which
confirms all of them. Variables on your allow-list need no confirmation
(tokensmith settings set env-allow-prefixes MYAPP_,CI_).`;

/**
 * Asks about each binding at the terminal: the IDs confirmed, the first one refused, or
 * undefined when no one can answer.
 */
async function confirmAtTerminal(
  io: Io,
  bindings: ImportBinding[],
): Promise<{ confirmed: string[] } | { refused: ImportBinding } | undefined> {
  const ask = io.confirm;
  if (!ask) return undefined;
  io.err(`The file would use ${bindings.length} thing(s) of yours:`);
  const confirmed: string[] = [];
  for (const b of bindings) {
    if (!(await ask(`  ${describeBinding(b)}\n  Allow?`))) return { refused: b };
    confirmed.push(b.id);
  }
  return { confirmed };
}

export const importCommand: Command = {
  usage: importUsage,
  options: {
    ...passphraseOptions,
    replace: { type: 'boolean' },
    'allow-bind': { type: 'boolean' },
  },
  async run(input) {
    need(input, 1, 'the file to import', importUsage);
    const file = input.args[0] as string;
    const { io, values } = input;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new TokensmithError(
        'not_found',
        `Cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}.`,
        { cause },
      );
    }
    const passphrase = passphraseOf(input);
    const request: ImportRequest = {
      replace: values.replace === true,
      confirmAll: values['allow-bind'] === true,
      ...(passphrase ? { passphrase } : {}),
    };
    const result = await withSession(input, async (session) => {
      try {
        return await importText(session, text, request);
      } catch (e) {
        const detail = (e as TokensmithError).detail as ConfirmationDetail | undefined;
        if (!(e instanceof TokensmithError) || e.code !== 'confirmation_required' || !detail)
          throw e;
        const pending = detail.bindings.filter((b) => detail.unconfirmed.includes(b.id));
        const answer = input.json ? undefined : await confirmAtTerminal(io, pending);
        if (answer && 'confirmed' in answer)
          return importText(session, text, { ...request, confirm: answer.confirmed });
        throw new TokensmithError(
          'confirmation_required',
          answer
            ? `Nothing was imported: you did not allow ${describeBinding(answer.refused)}`
            : `${e.message}\nRun the import at a terminal to confirm each, or with --allow-bind to confirm them all.`,
          { detail: { ...detail } },
        );
      }
    });
    const { imported, missingSecrets, notes, bindings } = result;
    if (input.json) {
      io.out(JSON.stringify({ imported, missingSecrets, notes, bindings }, null, 2));
      return;
    }
    for (const note of notes) io.err(`note: ${note}`);
    io.err(
      `Imported ${imported.connections.length} connection(s), ${imported.keystores.length} keystore(s), ${imported.proxies.length} proxy alias(es).`,
    );
    if (bindings.length)
      io.err(`Confirmed:\n${bindings.map((b) => `  - ${describeBinding(b)}`).join('\n')}`);
    if (missingSecrets.length) io.err(`Secrets to enter before use: ${missingSecrets.join(', ')}`);
  },
};
