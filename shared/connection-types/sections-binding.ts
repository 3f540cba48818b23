/**
 * The sections of the options every type shares beyond the seed's dialogs (`./token-binding.ts`):
 * DPoP (RFC 9449) and the introspection (RFC 7662) and revocation (RFC 7009) endpoints, folded
 * under Advanced.
 */
import type { ConnectionCommon } from './base.js';
import type { SectionSpec } from './ui.js';

type Common = ConnectionCommon;

const dpopOn = (c: Common) => c.dpop.enabled;
const fromKeystore = (c: Common) => c.dpop.enabled && c.dpop.keySource === 'keystore';

export const dpopSection: SectionSpec<Common> = {
  id: 'dpop',
  title: 'DPoP (proof of possession)',
  level: 'advanced',
  fields: [
    {
      path: 'dpop.enabled',
      label: 'DPoP: bind the tokens to a proof key (RFC 9449)',
      kind: 'switch',
      full: true,
      help: 'Token, refresh and API requests carry a DPoP proof; the API gets Authorization: DPoP.',
    },
    {
      path: 'dpop.keySource',
      label: 'Proof key',
      kind: 'select',
      options: [
        { value: 'generated', label: 'Generated for this connection (ES256, kept sealed)' },
        { value: 'keystore', label: 'Keystore Name and Key Alias' },
      ],
      when: dpopOn,
    },
    {
      path: 'dpop.keystore',
      label: 'Keystore Name',
      kind: 'select',
      options: 'keystores',
      when: fromKeystore,
    },
    {
      path: 'dpop.alias',
      label: 'Key Alias',
      kind: 'select',
      options: 'dpopKeyAliases',
      when: fromKeystore,
    },
    {
      path: 'dpop.bindingHint',
      label:
        "The result shows the proof key's thumbprint (jkt) and checks the token's cnf.jkt against it: from the token when it is a JWT, else by introspection.",
      kind: 'hint',
      full: true,
      when: dpopOn,
    },
  ],
};

export const tokenManagementSection: SectionSpec<Common> = {
  id: 'tokenManagement',
  title: 'Introspection and revocation',
  level: 'advanced',
  fields: [
    {
      path: 'introspectionEndpoint',
      role: 'endpoint',
      label: 'Introspection Endpoint (RFC 7662)',
      kind: 'url',
      placeholder: 'https://login.example.com/oauth2/introspect',
      help: "Empty: the issuer's introspection_endpoint (discovery)",
    },
    {
      path: 'revocationEndpoint',
      role: 'endpoint',
      label: 'Revocation Endpoint (RFC 7009)',
      kind: 'url',
      placeholder: 'https://login.example.com/oauth2/revoke',
      help: "Empty: the issuer's revocation_endpoint (discovery)",
    },
  ],
};
