/**
 * Runs a built main bundle (dist/electron/main.js, or the one unpacked from app.asar) under plain
 * Node with `electron` resolved to the recording stand-in (electron-stand-in.mjs), collects the
 * journal it streams, and sends it the operating system's and the user's actions.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface JournalEntry {
  seq: number;
  /** `app.quit`, `new BrowserWindow`, `ipcMain.handle`, `event:before-quit`, … */
  call: string;
  args: unknown[];
  /** Whether the app had emitted `ready` when the call was made. */
  ready: boolean;
}

const LOADER = fileURLToPath(new URL('./electron-stand-in-loader.mjs', import.meta.url));

export interface MainUnderStandIn {
  journal: JournalEntry[];
  /** What the process wrote to stderr (an uncaught error shows here). */
  stderr(): string;
  /** Sends an operation to the stand-in and returns its answer. */
  op<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  /** The first journal entry (after `from`) that matches, waiting for it up to `timeoutMs`. */
  waitFor(
    what: string,
    match: (entry: JournalEntry) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<JournalEntry>;
  calls(name: string): JournalEntry[];
  /** Ends the process (it is our child) and resolves when it is gone. */
  stop(): Promise<void>;
}

export function launchMain(
  mainJs: string,
  env: Record<string, string> = {},
): Promise<MainUnderStandIn> {
  const child: ChildProcess = fork(mainJs, [], {
    execArgv: ['--import', LOADER],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const journal: JournalEntry[] = [];
  const waiting = new Set<() => void>();
  const replies = new Map<number, (reply: { value?: unknown; error?: string }) => void>();
  let stderr = '';
  let exited = false;
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('message', (message: { type: string; entry?: JournalEntry; id?: number }) => {
    if (message.type === 'journal' && message.entry) {
      journal.push(message.entry);
      for (const wake of waiting) wake();
    } else if (message.type === 'reply' && message.id !== undefined) {
      replies.get(message.id)?.(message as { value?: unknown; error?: string });
      replies.delete(message.id);
    }
  });
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      for (const wake of waiting) wake();
      for (const reply of replies.values()) reply({ error: `main process exited: ${stderr}` });
      resolve();
    }),
  );
  let nextId = 1;

  const driver: MainUnderStandIn = {
    journal,
    stderr: () => stderr,
    calls: (name) => journal.filter((e) => e.call === name),
    op(op, args = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${op}: no answer in 10 s`)), 10_000);
        replies.set(id, (reply) => {
          clearTimeout(timer);
          if (reply.error !== undefined) reject(new Error(`${op}: ${reply.error}`));
          else resolve(reply.value as never);
        });
        child.send({ type: 'op', id, op, args });
      });
    },
    waitFor(what, match, { from = 0, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = journal.find((e) => e.seq > from && match(e));
          if (found) {
            done();
            resolve(found);
          } else if (exited) {
            done();
            reject(new Error(`${what}: the main process exited first.\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${what}: not seen in ${timeoutMs} ms.\n${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiting.delete(check);
        };
        waiting.add(check);
        check();
      });
    },
    async stop() {
      if (!exited) child.kill('SIGKILL');
      await gone;
    },
  };
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(driver));
    child.once('error', reject);
  });
}
