/** Child process for the atomicity test: saves the store over and over until killed. */
import { FileStore } from '../../electron/core/store/file-store.js';
import { AesGcmCipher } from '../../electron/core/store/secret-cipher.js';
import { connectionSchema } from '../../shared/connection.js';

const [dir, startAt] = process.argv.slice(2) as [string, string];
const store = new FileStore(dir, new AesGcmCipher(Buffer.alloc(32, 7)));
for (let i = Number(startAt); ; i++) {
  await store.update((doc) => {
    doc.connections = Array.from({ length: 40 }, (_, n) =>
      connectionSchema.parse({
        id: `c${n}`,
        name: `connection-${n}`,
        description: `v${i}`,
        type: 'client_credentials',
        tokenEndpoint: 'https://login.example.test/token',
        client: { id: `client-${n}`, secret: `secret-${i}-${n}-${'x'.repeat(200)}` },
      }),
    );
  });
  process.stdout.write(`${i}\n`);
}
