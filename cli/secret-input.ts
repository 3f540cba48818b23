/**
 * Reading a secret on the command line without it appearing anywhere: typed at a prompt that
 * does not echo when stdin is a terminal, else read whole from stdin (a pipe, a CI secret), one
 * trailing newline removed. Never from an argument: those show in the process list.
 */
import { stdin, stderr } from 'node:process';
import { TokensmithError } from '../electron/core/index.js';

/** The whole of stdin, less one trailing newline. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024)
      throw new TokensmithError('invalid_input', 'A secret on stdin is at most 64 KB.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Prompts on stderr and reads one line from the terminal with echo off. */
function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new TokensmithError('cancelled', 'Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** A secret from the terminal (not echoed) or from stdin. */
export async function readSecret(prompt: string): Promise<string> {
  return stdin.isTTY ? promptHidden(prompt) : readStdin();
}
