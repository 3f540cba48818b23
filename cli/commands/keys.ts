import { builderOf, rotateSigningKeys, signingKeysView } from '../../electron/core/index.js';
import type { Command } from '../command.js';
import { UsageError, withSession } from '../io.js';

const usage = `Usage: tokensmith keys show <connection | builder-id> [--json]
       tokensmith keys rotate <connection | builder-id>

What a JWT builder publishes at its JWK API: show prints the JWK Set (public keys only) and
where it is served — the keys Tokensmith generated (z/OS jwkEnabled="true") and the public key
of each keystore alias a connection signs with under that builder ID (keyStoreRef/keyAlias).
rotate makes a new generated RS256 key the signing key and keeps the previous one published so
assertions signed before still verify; a generated key is also replaced by itself once it is
older than the connection's rotation time (jwkRotationTime, 720 minutes by default).`;

export const keys: Command = {
  usage,
  async run(input) {
    const [action, target] = input.args;
    if ((action !== 'show' && action !== 'rotate') || !target) throw new UsageError(usage);
    const { io, json } = input;
    const view = await withSession(input, async (session) => {
      const builderId = await builderOf(session, target);
      if (action === 'rotate') await rotateSigningKeys(session, builderId);
      return signingKeysView(session, builderId);
    });
    if (action === 'rotate')
      io.err(
        `New signing key ${view.keys[0]?.kid} for JWT builder "${view.builderId}"; ${view.keys.length - 1} previous key(s) still published.`,
      );
    for (const problem of view.problems) io.err(`warning: ${problem}`);
    if (json) {
      const { builderId, jwksUrl, issuer, published, problems, nextRotationAt, jwks } = view;
      io.out(
        JSON.stringify(
          {
            builderId,
            jwksUrl,
            issuer,
            keys: view.keys.map(({ kid, algorithm, createdAt }) => ({ kid, algorithm, createdAt })),
            published,
            problems,
            ...(nextRotationAt ? { nextRotationAt } : {}),
            jwks,
          },
          null,
          2,
        ),
      );
      return;
    }
    if (action !== 'show') return;
    io.out(JSON.stringify(view.jwks, null, 2));
    for (const { kid, source } of view.published) io.err(`kid ${kid}: ${source}`);
    if (view.nextRotationAt)
      io.err(`The signing key is replaced at ${view.nextRotationAt} (jwkRotationTime).`);
    io.err(
      view.published.length
        ? `Served at ${view.jwksUrl} while the app, browser mode or \`tokensmith jwks serve\` runs.`
        : `JWT builder "${view.builderId}" has no key yet: run \`tokensmith keys rotate ${target}\`.`,
    );
  },
};
