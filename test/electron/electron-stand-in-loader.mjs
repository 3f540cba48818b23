/**
 * `node --import ./test/electron/electron-stand-in-loader.mjs main.js`: resolves the `electron`
 * module to the recording stand-in (electron-stand-in.mjs) for the main bundle and for the
 * packages it imports (electron-store imports `electron` too). Everything else resolves as usual.
 */
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const standIn = new URL('./electron-stand-in.mjs', import.meta.url).href;

/** Node module customization hook (https://nodejs.org/api/module.html#resolvespecifier-context-nextresolve). */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: standIn, shortCircuit: true };
  return nextResolve(specifier, context);
}

// This file is both the `--import` entry (main thread) and the hooks module (loader thread).
if (isMainThread) register(import.meta.url);
