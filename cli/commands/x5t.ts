import {
  describeCertificate,
  parseCertificate,
  readKeystoreFile,
} from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { need } from '../io.js';

const usage = `Usage: tokensmith x5t <certificate-file> [--json]

Prints x5t (base64url SHA-1 of the DER) and x5t#S256; --json adds subject, issuer, validity
and fingerprints.`;

export const x5t: Command = {
  usage,
  async run(input) {
    need(input, 1, 'the certificate file', usage);
    const file = input.args[0] as string;
    const info = describeCertificate(
      parseCertificate(await readKeystoreFile(file, `the certificate ${file}`), file),
    );
    const { io } = input;
    if (input.json) io.out(JSON.stringify(info, null, 2));
    else {
      io.out(`x5t       ${info.x5t}`);
      io.out(`x5t#S256  ${info.x5tS256}`);
      io.err(`${info.subject} — valid until ${info.notAfter}${info.expired ? ' (EXPIRED)' : ''}`);
    }
  },
};
