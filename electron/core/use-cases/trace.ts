/**
 * A shareable trace of a token flow or API call (`tokensmith token|call --trace FILE`, the app's
 * Export trace): the HTTP legs it sent, as a HAR 1.2 archive from which every secret of the
 * store — and every credential or token the legs carried — is redacted.
 */
import type { Connection } from '../../../shared/connection.js';
import { SECRET_PARAMETERS } from '../../../shared/masking.js';
import { ENV_REFERENCE, forEachSecret, type SecretOwner } from '../../../shared/store-model.js';
import type { Har } from '../../../shared/har.js';
import { harOf } from '../http/har.js';
import { TokensmithError } from '../errors.js';
import { Trace } from '../http/trace.js';
import { writePrivateFile } from '../store/atomic-file.js';
import { resolved, type Session } from './session.js';

export { Trace, type Har };

/**
 * Every secret value of the store: connections, keystores, proxies, signing and DPoP keys, the
 * last tokens — `${env:NAME}` references read from the session's environment — and the
 * connection traced as its flow resolved it (its keychain and file references too).
 */
export async function storeSecretValues(session: Session, conn?: Connection): Promise<string[]> {
  const doc = await session.workspace.store.read();
  const values = new Set<string>();
  const add = (value: string) => {
    const env = ENV_REFERENCE.exec(value);
    const actual = env ? session.env[env[1] as string] : value;
    if (actual) values.add(actual);
  };
  const visit = (owner: SecretOwner, records: readonly unknown[]) => {
    for (const record of records)
      forEachSecret(owner, structuredClone(record) as Record<string, unknown>, (path, v) => {
        // A last token's other members (token_type, scope…) are sealed with it, not secrets.
        const field = /^result\.fields\.(.+)$/.exec(path)?.[1];
        if (field === undefined || SECRET_PARAMETERS.has(field)) add(v);
      });
  };
  visit('connection', doc.connections);
  visit('keystore', doc.keystores);
  visit('proxy', doc.proxies);
  visit('signingKeys', doc.signingKeys);
  visit('dpopKeys', doc.dpopKeys);
  visit('lastToken', doc.lastTokens);
  if (conn) {
    try {
      visit('connection', [resolved(session, conn)]);
    } catch {
      // A reference that cannot be read was not sent either.
    }
  }
  return [...values];
}

/** The trace as a redacted HAR 1.2 archive. */
export async function traceHar(
  session: Session,
  trace: Trace,
  options: { connection?: Connection; creatorVersion?: string } = {},
): Promise<Har> {
  const secrets = await storeSecretValues(session, options.connection);
  return harOf(trace.legs, secrets, options.creatorVersion ?? '0');
}

/** Writes the redacted HAR to a file the user chose (mode 0600, replaced whole). */
export async function writeTraceHar(
  session: Session,
  trace: Trace,
  path: string,
  options: { connection?: Connection; creatorVersion?: string } = {},
): Promise<Har> {
  const har = await traceHar(session, trace, options);
  await writePrivateFile(path, `${JSON.stringify(har, null, 2)}\n`);
  return har;
}

/** The app's Export trace: the HAR of a run of this session, by its request ID. */
export async function exportTrace(
  session: Session,
  requestId: string,
  creatorVersion?: string,
): Promise<{ fileName: string; har: Har }> {
  const run = session.traces?.get(requestId);
  if (!run)
    throw new TokensmithError(
      'not_found',
      'There is no trace of that run: the app keeps the traces of its last 16 runs until it is closed.',
    );
  const doc = await session.workspace.store.read();
  const connection = doc.connections.find((c) => c.id === run.connectionId);
  const har = await traceHar(session, run.trace, {
    ...(connection ? { connection } : {}),
    ...(creatorVersion ? { creatorVersion } : {}),
  });
  const first = har.log.entries[0]?.startedDateTime ?? new Date().toISOString();
  const name = (connection?.name ?? 'trace').replace(/[^\w.-]+/g, '-');
  return { fileName: `${name}-${first.slice(0, 19).replace(/:/g, '-')}.har`, har };
}
