import { startSandbox } from './sandbox/sandbox.js';
import { mkdtempSync } from 'node:fs'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
const d = mkdtempSync(join(tmpdir(), 'sb-'));
const s = await startSandbox({ dataDir: d, port: 0, jwkPort: 39481 });
console.log(JSON.stringify({ issuer: s.server.issuer, dataDir: d }));
await new Promise((r) => setTimeout(r, 600000));
