import { fileSchemas, FILE_SCHEMA_NAMES } from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { UsageError } from '../io.js';

const usage = `Usage: tokensmith schema [${'NAME'}]

Prints the JSON Schema (draft 2020-12) of Tokensmith's file formats, generated from the models
the files are checked with. NAME is one of: ${FILE_SCHEMA_NAMES.join(', ')}; without it, all of
them in one object. Editors validate workspace files with it (e.g. the YAML language server's
\`# yaml-language-server: $schema=…\`).`;

export const schema: Command = {
  usage,
  async run(input) {
    const name = input.args[0];
    const all = fileSchemas();
    if (name !== undefined && !Object.hasOwn(all, name))
      throw new UsageError(`Unknown schema "${name}": use ${FILE_SCHEMA_NAMES.join(', ')}.`);
    input.io.out(JSON.stringify(name ? all[name as keyof typeof all] : all, null, 2));
  },
};
