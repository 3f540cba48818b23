/**
 * `tokensmith connection add NAME --provider ID [--tenant …] [--domain …] [--realm …] [--region …]
 * [--key-file FILE]`: a connection built from a provider profile, its key file imported as the
 * keystore it signs with; the field flags then set the rest (client ID, scope, subject…).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  addProviderConnection,
  credentialFileNeedsPassword,
  maskSecrets,
  requireProvider,
  TokensmithError,
} from '../../electron/core/index.js';
import { CONNECTION_TYPE_LABELS, type ConnectionType } from '../../shared/connection.js';
import { PROVIDER_VALUES, type ProviderValue } from '../../shared/providers/index.js';
import { applyFieldFlags } from '../connection-flags.js';
import { withSession, type CommandInput } from '../io.js';
import { readSecret } from '../secret-input.js';

export const PROVIDER_OPTIONS = {
  provider: { type: 'string' },
  tenant: { type: 'string' },
  domain: { type: 'string' },
  realm: { type: 'string' },
  region: { type: 'string' },
  'key-file': { type: 'string' },
  'key-file-password-env': { type: 'string' },
  'allow-bind': { type: 'boolean' },
  'replace-keystore': { type: 'boolean' },
} as const;

async function keyFileOf(input: CommandInput) {
  const path = input.values['key-file'];
  if (typeof path !== 'string') return undefined;
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (cause) {
    throw new TokensmithError(
      'not_found',
      `Cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}.`,
      { cause },
    );
  }
  const fileName = basename(path);
  if (!credentialFileNeedsPassword({ fileName, data })) return { fileName, data };
  const env = input.values['key-file-password-env'];
  let password: string;
  if (typeof env === 'string') {
    const value = input.io.env[env];
    if (value === undefined)
      throw new TokensmithError('invalid_input', `The environment variable ${env} is not set.`);
    password = value;
  } else password = await readSecret(`Password of ${fileName}: `);
  return { fileName, data, password };
}

export async function addFromProvider(input: CommandInput, name: string): Promise<void> {
  const { values, io } = input;
  const profile = requireProvider(String(values.provider));
  if (values.type !== undefined)
    throw new TokensmithError(
      'invalid_input',
      `--provider ${profile.id} builds a ${profile.connection.type} connection: leave out --type.`,
    );
  const keyFile = await keyFileOf(input);
  const given = Object.fromEntries(
    PROVIDER_VALUES.filter((v) => typeof values[v] === 'string').map((v) => [v, values[v]]),
  ) as Partial<Record<ProviderValue, string>>;
  const keystoreName = values['keystore-name'];
  const result = await withSession(input, (session) =>
    addProviderConnection(session, {
      provider: profile.id,
      name,
      values: given,
      ...(keyFile ? { keyFile } : {}),
      ...(typeof keystoreName === 'string' ? { keystoreName } : {}),
      replace: values['replace-keystore'] === true,
      confirmAll: values['allow-bind'] === true,
      customize: (record) => {
        if (typeof values.description === 'string') record.description = values.description;
        applyFieldFlags(record, record.type as ConnectionType, values);
      },
    }).catch((e: unknown) => {
      if (!(e instanceof TokensmithError) || e.code !== 'confirmation_required') throw e;
      throw new TokensmithError(
        'confirmation_required',
        `${e.message}\nGive --allow-bind to confirm them.`,
        e.detail ? { detail: e.detail } : {},
      );
    }),
  );
  for (const note of result.notes) io.err(`note: ${note}`);
  if (input.json) io.out(JSON.stringify(maskSecrets('connection', result.connection), null, 2));
  else
    io.err(
      `Added "${result.connection.name}" (${CONNECTION_TYPE_LABELS[result.connection.type]}) from the ${profile.label} profile${result.keystore ? `, signing with keystore "${result.keystore}"` : ''}.`,
    );
}
