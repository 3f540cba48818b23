import { X509Certificate } from 'node:crypto';
import {
  decodeToken,
  HttpClient,
  readKeystoreFile,
  TokensmithError,
  verifyToken,
} from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { EXIT_CODES, need, UsageError, type CommandInput } from '../io.js';

const usage = `Usage: tokensmith jwt decode <token> [--json]
       tokensmith jwt verify <token> (--jwks-uri URL | --cert FILE | --key FILE | --secret-env VAR)
                             [--issuer ISS] [--audience AUD] [--json]

decode: the protected header and claims, without verifying the signature.
verify: the JWT inspector's checks — the signature with the issuer's JWKS URI, a certificate
(PEM or DER), a PEM public key or a shared secret (HS256/384/512), then exp and nbf (60 s of clock
skew) and, when given, iss and aud. An unsigned token (alg none) never verifies. Exits 0 when
every check passes, 3 when one fails.
  --secret-env VAR  Read the shared secret from this environment variable (--secret S also works,
                    but leaves the secret in the shell history and the process list)`;

/** What verifies the signature, from exactly one of the key options. */
async function keyOption(
  input: CommandInput,
): Promise<{ method: 'jwks_uri' | 'certificate' | 'public_key' | 'secret'; value: string }> {
  const v = input.values;
  const given = (['jwks-uri', 'cert', 'key', 'secret-env', 'secret'] as const).filter(
    (k) => typeof v[k] === 'string',
  );
  if (given.length !== 1)
    throw new UsageError(
      `Give one of --jwks-uri, --cert, --key or --secret-env to verify with.\n\n${usage}`,
    );
  const option = given[0]!;
  const text = v[option] as string;
  switch (option) {
    case 'jwks-uri':
      return { method: 'jwks_uri', value: text };
    case 'cert': {
      const data = await readKeystoreFile(text, `the certificate ${text}`);
      try {
        return { method: 'certificate', value: new X509Certificate(data).toString() };
      } catch (cause) {
        throw new TokensmithError('invalid_input', `${text} is not a PEM or DER certificate.`, {
          cause,
        });
      }
    }
    case 'key':
      return {
        method: 'public_key',
        value: (await readKeystoreFile(text, `the key ${text}`)).toString('utf8'),
      };
    case 'secret-env': {
      const secret = input.io.env[text];
      if (secret === undefined)
        throw new TokensmithError('invalid_input', `The environment variable ${text} is not set.`);
      return { method: 'secret', value: secret };
    }
    default:
      return { method: 'secret', value: text };
  }
}

export const jwt: Command = {
  usage,
  options: {
    'jwks-uri': { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    'secret-env': { type: 'string' },
    secret: { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
  },
  async run(input) {
    const [action, token] = input.args;
    if (action === 'decode') {
      need(input, 2, 'the token', usage);
      input.io.out(JSON.stringify(decodeToken(token as string), null, 2));
      return;
    }
    if (action !== 'verify') throw new UsageError(usage);
    need(input, 2, 'the token', usage);
    const key = await keyOption(input);
    const http = new HttpClient();
    try {
      const result = await verifyToken(
        token as string,
        {
          ...key,
          issuer: typeof input.values.issuer === 'string' ? input.values.issuer : '',
          audience: typeof input.values.audience === 'string' ? input.values.audience : '',
        },
        http,
      );
      if (input.json) input.io.out(JSON.stringify(result, null, 2));
      else {
        for (const c of result.checks)
          input.io.out(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.message}`);
        input.io.err(result.valid ? 'The JWT is valid.' : 'The JWT is not valid.');
      }
      return result.valid ? EXIT_CODES.ok : EXIT_CODES.input;
    } finally {
      await http.close();
    }
  },
};
