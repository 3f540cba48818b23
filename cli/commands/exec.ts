import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Command } from '../command.js';
import { durationSeconds, freshToken } from '../fresh-token.js';
import { need, UsageError, type Io } from '../io.js';

const usage = `Usage: tokensmith exec <connection> [--env NAME] [--min-valid DURATION] -- <command> [args…]

Runs the command with the connection's access token in the environment variable
TOKENSMITH_TOKEN. The command runs without a shell: each argument reaches it as written
(write sh -c '…' to have one). The token is never written to disk, to the command line or
to stderr. E.g.
  tokensmith exec api -- sh -c 'curl -H "Authorization: Bearer $TOKENSMITH_TOKEN" https://…'

  --env NAME            The variable that holds the token (default TOKENSMITH_TOKEN)
  --min-valid DURATION  The least time the token has left when the command starts (default 5m;
                        e.g. 90s, 30m, 1h): a cached token with less is refreshed, or a new one
                        obtained, first
A running command keeps the token it started with (no one can change another process's
environment): give --min-valid the command's expected run time, or split a long job.
Exits with the command's exit status, 128 + the signal's number when a signal ended it, 127
when the command is not found, 126 when it cannot be run. SIGINT, SIGTERM and SIGHUP that
Tokensmith receives are passed on to the command.`;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Runs argv[0] with argv[1…] (no shell) and resolves to the exit status a shell would give. */
function runChild(
  argv: string[],
  env: Record<string, string | undefined>,
  io: Io,
): Promise<number> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, { stdio: 'inherit', env, shell: false });
    } catch (e) {
      // Node refuses some arguments before running anything (a NUL byte in one).
      throw new UsageError(`Cannot run ${JSON.stringify(command)}: ${(e as Error).message}`);
    }
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const s of FORWARDED) process.on(s, forward);
    let settled = false;
    const done = (code: number) => {
      if (settled) return;
      settled = true;
      for (const s of FORWARDED) process.off(s, forward);
      resolve(code);
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // a failed kill; 'exit' still comes
      const notFound = e.code === 'ENOENT';
      io.err(
        `tokensmith: ${JSON.stringify(command)}: ${notFound ? 'command not found' : `cannot run it (${e.code ?? e.message})`}.`,
      );
      done(notFound ? 127 : 126);
    });
    child.once('exit', (code, signal) =>
      done(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)),
    );
  });
}

export const exec: Command = {
  usage,
  options: {
    env: { type: 'string' },
    'min-valid': { type: 'string' },
  },
  async run(input) {
    need(input, 2, 'the connection name and the command (after --)', usage);
    const { values, io } = input;
    const variable = typeof values.env === 'string' ? values.env : 'TOKENSMITH_TOKEN';
    if (!ENV_NAME.test(variable))
      throw new UsageError(`--env takes a variable name (letters, digits, _), not "${variable}".`);
    const [name, ...argv] = input.args as [string, ...string[]];
    if (!argv[0]) throw new UsageError('The command to run is empty.');
    const minValidSeconds =
      typeof values['min-valid'] === 'string'
        ? durationSeconds(values['min-valid'], '--min-valid')
        : 300;
    const { token } = await freshToken(input, name, { minValidSeconds, warnShort: true });
    return runChild(argv, { ...io.env, [variable]: token }, io);
  },
};
