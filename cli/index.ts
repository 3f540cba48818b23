/** Process entry of the `tokensmith` command. */
import { run } from './main.js';

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
