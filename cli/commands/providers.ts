/** `tokensmith providers [--json]`: the provider profiles a connection can be built from. */
import { PROVIDERS, PROVIDER_VALUES } from '../../shared/providers/index.js';
import { providerView } from '../../shared/providers/view.js';
import type { Command } from '../command.js';

const usage = `Usage: tokensmith providers [--json]

The provider profiles (Entra ID, Google, Salesforce, Okta, Auth0, Keycloak, Cognito, IBM
Security Verify): the values each asks for, the connection it builds, the client authentication
and algorithms it accepts. Build one with
  tokensmith connection add NAME --provider ID [--tenant T] [--domain D] [--realm R] [--region R]
                            [--key-file FILE] [field flags]`;

export const providers: Command = {
  usage,
  async run({ io, json }) {
    if (json) {
      io.out(JSON.stringify(PROVIDERS.map(providerView), null, 2));
      return;
    }
    for (const p of PROVIDERS) {
      const values = PROVIDER_VALUES.filter((v) => p.values[v]).map((v) => {
        const spec = p.values[v];
        return spec?.required
          ? `--${v} ${spec.example}`
          : `[--${v} ${spec?.default ?? spec?.example ?? ''}]`;
      });
      io.out(`${p.id.padEnd(11)} ${p.label}`);
      io.out(`${''.padEnd(11)} ${[`--provider ${p.id}`, ...values].join(' ')}`);
      io.out(
        `${''.padEnd(11)} ${p.connection.type}, ${p.connection.authMethod === 'auto' ? 'no client authentication' : p.connection.authMethod}${p.credentials ? `, --key-file ${p.credentials === 'google_service_account' ? 'KEY.json' : 'CERT.pfx|.pem'}` : ''}; token ${p.endpoints.token.replace('{origin}', p.origin)}`,
      );
    }
  },
};
