/** Process entry of the `tokensmith` command. */
import { z } from 'zod';
import { run } from './main.js';

// A CLI run parses each schema once or twice: zod's compiled fast path (generated with `new
// Function` on first use) costs more to build than it saves; interpreted, a store parses ~5× faster.
z.config({ jitless: true });

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

const code = await run(
  process.argv.slice(2),
  {
    out: (s) => process.stdout.write(s + '\n'),
    err: (s) => process.stderr.write(s + '\n'),
    env: process.env,
    openUrl: (url) => {
      void import('./system-browser.js').then((m) => m.openInSystemBrowser(url));
    },
  },
  controller.signal,
);
process.exitCode = code;
