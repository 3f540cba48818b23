import { decodeToken } from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { need, UsageError } from '../io.js';

const usage = `Usage: tokensmith jwt decode <token> [--json]

Decodes a JWT's protected header and claims without verifying the signature.`;

export const jwt: Command = {
  usage,
  async run(input) {
    if (input.args[0] !== 'decode') throw new UsageError(usage);
    need(input, 2, 'the token', usage);
    input.io.out(JSON.stringify(decodeToken(input.args[1] as string), null, 2));
  },
};
