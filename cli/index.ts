/** Process entry of the `tokensmith` command. */
import * as z from 'zod';
import type { Interface } from 'node:readline';

// The Linux packages run this file with their Electron runtime as Node.js (build/linux/tokensmith):
// the programs the CLI starts (a browser, `exec`'s command) must not inherit that switch.
delete process.env.ELECTRON_RUN_AS_NODE;

// A CLI run parses each schema once or twice: zod's compiled fast path (generated with `new
// Function` on first use) costs more to build than it saves; interpreted, a store parses ~5× faster.
// An object schema reads the setting when it is made, so it comes before the modules that make
// them, which are loaded after it (a static import would run them first).
z.config({ jitless: true });
const { run } = await import('./main.js');

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

let terminal: { rl: Interface; lines: AsyncIterator<string> } | undefined;

/**
 * A yes/no question at the terminal: the question on stderr, the answer a line of stdin (one
 * reader for every question, so that answers typed ahead are not lost). The end of input is a
 * no; Ctrl+C cancels.
 */
async function askYesNo(question: string): Promise<boolean> {
  if (!terminal) {
    const { createInterface } = await import('node:readline');
    const rl = createInterface({ input: process.stdin, terminal: false });
    terminal = { rl, lines: rl[Symbol.asyncIterator]() };
  }
  process.stderr.write(`${question} [y/N] `);
  const cancelled = new Promise<never>((_, reject) => {
    const abort = () => reject(Object.assign(new Error('Cancelled'), { name: 'AbortError' }));
    if (controller.signal.aborted) abort();
    controller.signal.addEventListener('abort', abort, { once: true });
  });
  const next = await Promise.race([terminal.lines.next(), cancelled]);
  return !next.done && /^\s*y(es)?\s*$/i.test(next.value);
}

const code = await run(
  process.argv.slice(2),
  {
    out: (s) => process.stdout.write(s + '\n'),
    err: (s) => process.stderr.write(s + '\n'),
    env: process.env,
    openUrl: (url) => {
      void import('./system-browser.js').then((m) => m.openInSystemBrowser(url));
    },
    ...(process.stdin.isTTY ? { confirm: askYesNo } : {}),
  },
  controller.signal,
);
terminal?.rl.close();
process.exitCode = code;
