/** The shape of a CLI command module. */
import type { ParseArgsConfig } from 'node:util';
import type { CommandInput } from './io.js';

export interface Command {
  /** Its usage text (`tokensmith help <command>`). */
  usage: string;
  /** Its own options, beside the global ones. */
  options?: NonNullable<ParseArgsConfig['options']>;
  /** Returns the exit code, or nothing for 0. */
  run(input: CommandInput): Promise<number | void>;
}
