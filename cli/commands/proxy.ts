import {
  deleteProxy,
  listProxies,
  maskSecrets,
  saveProxy,
  TokensmithError,
} from '../../electron/core/index.js';
import { isSecretReference } from '../../shared/store-model.js';
import type { Command } from '../command.js';
import { need, UsageError, withSession } from '../io.js';
import { readSecret } from '../secret-input.js';

const usage = `Usage: tokensmith proxy add <name> --host HOST --port N [--protocol http|https]
                         [--username USER [--password REF | --password-env VAR | --password-stdin]]
                         [--bypass HOST]... [--disabled]
       tokensmith proxy list [--json]
       tokensmith proxy rm <name>

A Proxy Server Alias that connections name. add replaces an alias of the same name. The password
is --password-env VAR (a value), --password '\${env:VAR}' (kept as the reference), or typed at a
prompt / read from stdin with --password-stdin. --bypass hosts (example.com, .corp.example, *)
go direct.`;

export const proxy: Command = {
  usage,
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    protocol: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    'password-env': { type: 'string' },
    'password-stdin': { type: 'boolean' },
    bypass: { type: 'string', multiple: true },
    disabled: { type: 'boolean' },
  },
  async run(input) {
    const [action, name] = input.args;
    const { io, json, values } = input;
    if (action === 'list') {
      const all = await withSession(input, (s) => listProxies(s));
      const shown = all.map((p) => maskSecrets('proxy', p));
      if (json) io.out(JSON.stringify(shown, null, 2));
      else if (shown.length === 0) io.err('No proxy aliases yet.');
      else
        for (const p of shown)
          io.out(
            `${p.name}  ${p.protocol}://${p.host}:${p.port}${p.username ? `  user ${p.username}` : ''}${p.bypass.length ? `  bypass ${p.bypass.join(',')}` : ''}${p.enabled ? '' : '  (disabled)'}`,
          );
      return;
    }
    need(input, 2, 'the alias name', usage);
    if (action === 'rm') {
      const removed = await withSession(input, (s) => deleteProxy(s, name as string));
      if (!removed) throw new TokensmithError('not_found', `No proxy alias named "${name}".`);
      if (json) io.out(JSON.stringify({ removed }));
      else io.err(`Removed "${name}".`);
      return;
    }
    if (action !== 'add') throw new UsageError(usage);
    let password = '';
    if (typeof values['password-env'] === 'string') {
      const v = io.env[values['password-env']];
      if (v === undefined)
        throw new TokensmithError(
          'invalid_input',
          `The environment variable ${values['password-env']} is not set.`,
        );
      password = v;
    } else if (typeof values.password === 'string') {
      if (!isSecretReference(values.password))
        throw new UsageError(
          '--password takes a reference such as ${env:NAME}; use --password-stdin or --password-env VAR for a value.',
        );
      password = values.password;
    } else if (values['password-stdin'] === true) password = await readSecret('Proxy password: ');
    const saved = await withSession(input, (s) =>
      saveProxy(
        s,
        {
          name,
          enabled: values.disabled !== true,
          protocol: values.protocol ?? 'http',
          host: values.host,
          port: values.port,
          username: values.username ?? '',
          password,
          bypass: values.bypass ?? [],
        },
        name,
      ),
    );
    if (json) io.out(JSON.stringify(maskSecrets('proxy', saved), null, 2));
    else
      io.err(
        `Saved proxy alias "${saved.name}" (${saved.protocol}://${saved.host}:${saved.port}).`,
      );
  },
};
