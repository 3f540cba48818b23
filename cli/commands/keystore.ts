import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  deleteKeystore,
  importKeystore,
  listKeystores,
  resolveReference,
  TokensmithError,
} from '../../electron/core/index.js';
import { isSecretReference } from '../../shared/store-model.js';
import { KEYSTORE_KINDS, type KeystoreKind } from '../../shared/resources.js';
import type { Command } from '../command.js';
import { need, UsageError, withSession, type CommandInput } from '../io.js';
import { readSecret } from '../secret-input.js';

const usage = `Usage: tokensmith keystore import <file> --name NAME [--truststore] [--kind pkcs12|jks|pem]
                         [--certificate FILE] [--password REF | --password-env VAR] [--replace]
       tokensmith keystore import 'pkcs11:token=LABEL;object=KEY' --module PATH --name NAME
                         [--password REF | --password-env VAR] [--replace]
       tokensmith keystore list [--json]
       tokensmith keystore aliases <name> [--json]
       tokensmith keystore rm <name>

import checks the password (and that the file is a keystore) before anything is saved. The
password is prompted without echo when stdin is a terminal, else read from stdin; or
--password-env VAR reads it from the environment (kept as a value), --password '\${env:VAR}'
keeps the reference instead. In a workspace folder a file already inside the folder is
referred to where it is; any other is copied into keystores/. PEM: --certificate gives the
chain when it is not in the key file. PKCS#11 (RFC 7512 URI, object= optional): the keys and
certificates of the token are its aliases and sign on the token; the password is the token's
user PIN; --module is the PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so).`;

async function readFileArg(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new TokensmithError(
      'not_found',
      `Cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}.`,
      { cause },
    );
  }
}

async function passwordOf(
  input: CommandInput,
  prompt = 'Keystore password: ',
): Promise<{ password: string; reference?: string }> {
  const { values, io } = input;
  if (typeof values['password-env'] === 'string') {
    const value = io.env[values['password-env']];
    if (value === undefined)
      throw new TokensmithError(
        'invalid_input',
        `The environment variable ${values['password-env']} is not set.`,
      );
    return { password: value };
  }
  if (typeof values.password === 'string') {
    if (!isSecretReference(values.password))
      throw new UsageError(
        '--password takes a reference such as ${env:NAME}; a password on the command line is visible to other users. Leave it out to be prompted (or pipe it to stdin), or use --password-env VAR.',
      );
    return {
      password: resolveReference(values.password, io.env, 'The keystore password'),
      reference: values.password,
    };
  }
  return { password: await readSecret(prompt) };
}

/** `keystore import pkcs11:…`: the token's keys, by URI and module; nothing is copied. */
async function importTokenCommand(input: CommandInput, uri: string): Promise<void> {
  const { values } = input;
  if (typeof values.module !== 'string' || !values.module)
    throw new UsageError(
      "A PKCS#11 keystore needs --module PATH, the token's PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so).",
    );
  const { password, reference } = await passwordOf(input, 'Token PIN: ');
  const summary = await withSession(input, (session) =>
    importKeystore(session, {
      name: values.name as string,
      purpose: values.truststore === true ? 'truststore' : 'keystore',
      kind: 'pkcs11',
      fileName: uri,
      data: Buffer.alloc(0),
      uri,
      module: values.module as string,
      password,
      keyPasswords: {},
      replace: values.replace === true,
      ...(reference ? { passwordReference: reference } : {}),
    }),
  );
  report(input, summary);
}

function report(
  input: CommandInput,
  summary: { name: string; purpose: string; kind: string; aliases: Array<{ alias: string }> },
): void {
  if (input.json) input.io.out(JSON.stringify(summary, null, 2));
  else
    input.io.err(
      `Imported ${summary.purpose} "${summary.name}" (${summary.kind}) with ${summary.aliases.length} alias(es): ${summary.aliases.map((a) => a.alias).join(', ')}.`,
    );
}

async function importCommand(input: CommandInput): Promise<void> {
  need(input, 2, 'the keystore file', usage);
  const { values } = input;
  const file = input.args[1] as string;
  if (typeof values.name !== 'string') throw new UsageError('Give the keystore a --name.');
  if (/^pkcs11:/i.test(file)) return importTokenCommand(input, file);
  if (values.kind === 'pkcs11')
    throw new UsageError(
      "A PKCS#11 keystore is imported by its URI: tokensmith keystore import 'pkcs11:token=LABEL;object=KEY' --module PATH --name NAME.",
    );
  const kind = values.kind as string | undefined;
  if (kind !== undefined && !(KEYSTORE_KINDS as readonly string[]).includes(kind))
    throw new UsageError(`--kind is one of ${KEYSTORE_KINDS.join(', ')}.`);
  const data = await readFileArg(file);
  const certificate = typeof values.certificate === 'string' ? values.certificate : undefined;
  const certificateData = certificate ? await readFileArg(certificate) : undefined;
  const { password, reference } = await passwordOf(input);
  const summary = await withSession(input, (session) =>
    importKeystore(session, {
      name: values.name as string,
      purpose: values.truststore === true ? 'truststore' : 'keystore',
      ...(kind ? { kind: kind as KeystoreKind } : {}),
      fileName: basename(file),
      data,
      ...(certificate && certificateData
        ? { certificateFileName: basename(certificate), certificateData }
        : {}),
      password,
      keyPasswords: {},
      replace: values.replace === true,
      ...(reference ? { passwordReference: reference } : {}),
      sourcePath: file,
    }),
  );
  report(input, summary);
}

export const keystore: Command = {
  usage,
  options: {
    name: { type: 'string' },
    truststore: { type: 'boolean' },
    kind: { type: 'string' },
    certificate: { type: 'string' },
    module: { type: 'string' },
    password: { type: 'string' },
    'password-env': { type: 'string' },
    replace: { type: 'boolean' },
  },
  async run(input) {
    const [action, name] = input.args;
    const { io, json } = input;
    if (action === 'import') return importCommand(input);
    if (action === 'rm') {
      need(input, 2, 'the keystore name', usage);
      const removed = await withSession(input, (s) => deleteKeystore(s, name as string));
      if (!removed) throw new TokensmithError('not_found', `No keystore named "${name}".`);
      if (json) io.out(JSON.stringify({ removed }));
      else io.err(`Removed "${name}".`);
      return;
    }
    if (action !== 'list' && action !== 'aliases') throw new UsageError(usage);
    const all = await withSession(input, (s) => listKeystores(s));
    if (action === 'list') {
      if (json) io.out(JSON.stringify(all, null, 2));
      else if (all.length === 0)
        io.err('No keystores yet: `tokensmith keystore import FILE --name NAME`.');
      else
        for (const k of all)
          io.out(
            `${k.name}  ${k.purpose} (${k.kind})  ${k.fileName}  ${k.error ? `error: ${k.error.message}` : `${k.aliases.length} alias(es)`}`,
          );
      return;
    }
    need(input, 2, 'the keystore name', usage);
    const one = all.find((k) => k.name === name);
    if (!one) throw new TokensmithError('not_found', `No keystore named "${name}".`);
    if (one.error) throw new TokensmithError(one.error.code, one.error.message);
    if (json) io.out(JSON.stringify(one.aliases, null, 2));
    else
      for (const a of one.aliases)
        io.out(
          `${a.alias}  ${a.hasPrivateKey ? 'key + certificate' : 'certificate'}  ${a.certificate?.subject ?? ''}  x5t ${a.certificate?.x5t ?? '—'}  valid until ${a.certificate?.notAfter ?? '—'}`,
        );
  },
};
