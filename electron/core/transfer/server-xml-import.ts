/**
 * z/OS Connect server.xml import (seeds 000, 001, 002) with fast-xml-parser: each
 * `zosconnect_endpointConnection` (or unused `zosconnect_oAuthConfig`) with a client credentials
 * or password grant becomes a connection; what is not imported is listed in the notes. The
 * result is a connections file for `planImport`, which checks it like any other, including the
 * bindings the user must confirm (a keystore of theirs, a `${env.NAME}` password).
 */
import { randomBytes } from 'node:crypto';
import {
  JWK_KEY_SIZES,
  MAX_ASSERTION_MINUTES,
  type ConnectionInput,
} from '../../../shared/connection.js';
import { TokensmithError } from '../errors.js';
import { EXPORT_FORMAT } from './connections-json.js';
import {
  ALGORITHMS,
  CHILDREN,
  KNOWN,
  decodePassword,
  durationSeconds,
  isTrue,
  parseServerXml,
  type XmlElement,
} from './server-xml-liberty.js';

export interface ServerXmlImport {
  /** A Tokensmith connections document (format tokensmith.connections) for planImport. */
  document: { format: string; version: 1; connections: ConnectionInput[] };
  notes: string[];
}

export function importServerXml(xml: string): ServerXmlImport {
  const server = parseServerXml(xml);
  const notes: string[] = [];
  const byId = new Map<string, { kind: string; el: XmlElement }>();
  const used = new Set<XmlElement>();

  for (const [kind, list] of Object.entries(server.children)) {
    if (!(kind in KNOWN)) {
      notes.push(
        `<${kind}> (${list.length}×) is not used by Tokensmith and was not imported${kind === 'keyStore' || kind === 'ssl' ? ': import the keystore itself on the Keystores page, with the same name' : ''}.`,
      );
      continue;
    }
    for (const el of list) {
      const id = el.attrs.id;
      const label = `<${kind}${id ? ` id="${id}"` : ''}>`;
      for (const attr of Object.keys(el.attrs)) {
        if (!KNOWN[kind]?.includes(attr))
          notes.push(`${label}: attribute ${attr} is not imported.`);
      }
      for (const [child, items] of Object.entries(el.children)) {
        if (!CHILDREN[kind]?.includes(child)) {
          notes.push(`${label}: <${child}> is not imported.`);
          continue;
        }
        for (const item of items) {
          for (const attr of Object.keys(item.attrs)) {
            if (!(KNOWN[child] ?? []).includes(attr))
              notes.push(`${label} <${child}>: attribute ${attr} is not imported.`);
          }
        }
      }
      if (id) byId.set(id, { kind, el });
      else if (kind !== 'zosconnect_endpointConnection')
        notes.push(`${label} has no id, so nothing can refer to it.`);
    }
  }

  const lookup = (id: string | undefined, kind: string, from: string): XmlElement | undefined => {
    if (!id) return undefined;
    const found = byId.get(id);
    if (!found) {
      notes.push(`${from} refers to ${kind} "${id}", which is not in the file.`);
      return undefined;
    }
    if (found.kind !== kind) {
      notes.push(`${from} refers to "${id}", a <${found.kind}>, where a <${kind}> is expected.`);
      return undefined;
    }
    used.add(found.el);
    return found.el;
  };

  /** The password of a zosconnect_authData, decoded where Liberty's encoding allows. */
  const passwordOf = (authData: XmlElement | undefined): string =>
    authData?.attrs.password
      ? decodePassword(
          authData.attrs.password,
          `<zosconnect_authData id="${authData.attrs.id ?? ''}">`,
          notes,
        )
      : '';

  const connections: ConnectionInput[] = [];
  const names = new Set<string>();
  const oauthUsed = new Set<XmlElement>();

  const build = (
    name: string,
    oauth: XmlElement,
    endpoint: XmlElement | undefined,
    authToken: XmlElement | undefined,
  ) => {
    const from = `<zosconnect_oAuthConfig id="${oauth.attrs.id ?? ''}">`;
    const grant = oauth.attrs.grantType ?? '';
    if (grant !== 'client_credentials' && grant !== 'password') {
      notes.push(`${from}: grantType "${grant}" is not client_credentials or password; skipped.`);
      return;
    }
    const server = lookup(oauth.attrs.authServerRef, 'zosconnect_authorizationServer', from);
    const serverLabel = `<zosconnect_authorizationServer id="${server?.attrs.id ?? ''}">`;
    const client = lookup(server?.attrs.basicAuthRef, 'zosconnect_authData', serverLabel);
    const tokenConfig = lookup(
      oauth.attrs.jwtAuthenticationTokenRef,
      'zosconnect_oAuthTokenConfig',
      from,
    );
    const builder = tokenConfig
      ? lookup(
          tokenConfig.attrs.tokenGeneratorRef,
          'jwtBuilder',
          `<zosconnect_oAuthTokenConfig id="${tokenConfig.attrs.id ?? ''}">`,
        )
      : undefined;
    const conn: Record<string, unknown> & { client: Record<string, unknown> } = {
      id: randomBytes(8).toString('hex'),
      name,
      type: grant,
      tokenEndpoint: server?.attrs.tokenEndpoint ?? '',
      client: {
        id: client?.attrs.user ?? '',
        secret: passwordOf(client),
        authMethod: isTrue(oauth.attrs.clientSecretInBody) ? 'client_secret_post' : 'auto',
        sendClientIdWithAssertion: isTrue(oauth.attrs.jwtAuthenticationSetClientId),
      },
    };
    if (!server?.attrs.tokenEndpoint) notes.push(`"${name}": no token endpoint; enter it.`);
    if (grant === 'password') {
      notes.push(
        `"${name}": enter the resource owner's user name and password (z/OS takes them from the application).`,
      );
    }
    if (oauth.attrs.tokenPath) conn.tokenPath = oauth.attrs.tokenPath;
    const api: Record<string, unknown> = {};
    if (oauth.attrs.tokenRetryCheckLevel !== undefined) {
      api.retryCheckLevel = oauth.attrs.tokenRetryCheckLevel === '1' ? 1 : 0;
    }
    const sslRef = server?.attrs.sslCertsRef ?? endpoint?.attrs.sslCertsRef;
    if (sslRef) {
      conn.ssl = { enabled: true, truststoreAlias: sslRef };
      notes.push(
        `"${name}": TLS uses the truststore named "${sslRef}"; import it on the Keystores page.`,
      );
    }
    if (endpoint) {
      const host = endpoint.attrs.host ?? '';
      const port = endpoint.attrs.port ?? '';
      if (host && URL.canParse(host)) {
        const url = new URL(host);
        if (port) url.port = port;
        api.baseUrl = url.toString().replace(/\/$/, '');
      } else if (host) {
        notes.push(
          `"${name}": host "${host}" is not an http:// or https:// URL; the API base URL is left empty.`,
        );
      }
      const timeouts: Record<string, number> = {};
      for (const [attr, key] of [
        ['connectionTimeout', 'connectSeconds'],
        ['receiveTimeout', 'readSeconds'],
      ] as const) {
        const raw = endpoint.attrs[attr];
        if (raw === undefined) continue;
        const seconds = durationSeconds(raw);
        if (seconds && seconds > 0) timeouts[key] = seconds;
        else notes.push(`"${name}": ${attr}="${raw}" is not a duration; the default is used.`);
      }
      if (Object.keys(timeouts).length) conn.timeouts = timeouts;
    }
    conn.api = api;

    if (tokenConfig) {
      conn.client.authMethod = 'private_key_jwt';
      conn.client.secret = '';
      const subject = tokenConfig.attrs.tokenSubject ?? '';
      if (!conn.client.id) conn.client.id = subject;
      else if (subject && subject !== conn.client.id) {
        notes.push(
          `"${name}": tokenSubject "${subject}" is the client ID; the authData user "${String(conn.client.id)}" is ignored.`,
        );
        conn.client.id = subject;
      }
      const claimsEl = tokenConfig.children.claims?.[0];
      const jwt: Record<string, Record<string, unknown>> = {
        claims: { customClaims: claimsEl?.text ?? '' },
        header: {},
        signing: {},
      };
      if (builder) {
        const b = builder.attrs;
        const bLabel = `<jwtBuilder id="${b.id ?? ''}">`;
        jwt.signing = { builderId: b.id ?? '' };
        if (b.issuer) jwt.claims!.issuer = b.issuer;
        if (b.audiences) {
          const list = b.audiences
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
          jwt.claims!.audience = list[0] ?? '';
          if (list.length > 1)
            notes.push(`${bLabel}: only the first audience (${list[0]}) is used.`);
        }
        const seconds = b.expiresInSeconds
          ? Number(b.expiresInSeconds)
          : b.expiry
            ? durationSeconds(b.expiry, 'h')
            : 7200;
        if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) {
          notes.push(`${bLabel}: the expiry is not a number; 5 minutes is used.`);
        } else if (seconds > MAX_ASSERTION_MINUTES * 60) {
          // An assertion signed with the user's key is a bearer credential while it lives.
          jwt.claims!.expirationMinutes = MAX_ASSERTION_MINUTES;
          const hours = seconds / 3600;
          notes.push(
            `${bLabel}: the expiry (${hours < 48 ? `${Math.ceil(seconds / 60)} minutes` : `${Math.round(hours / 24)} days`}) is longer than the 24 hours Tokensmith signs an assertion for; ${MAX_ASSERTION_MINUTES} minutes (24 hours) is used.`,
          );
        } else jwt.claims!.expirationMinutes = seconds / 60;
        jwt.claims!.includeJti = b.jti === undefined ? false : isTrue(b.jti);
        if (b.scope) jwt.claims!.scopeClaim = b.scope;
        if (b.signatureAlgorithm) {
          if (ALGORITHMS.has(b.signatureAlgorithm)) jwt.header!.alg = b.signatureAlgorithm;
          else
            notes.push(
              `${bLabel}: signatureAlgorithm ${b.signatureAlgorithm} is not supported; the key's default is used.`,
            );
        }
        if (isTrue(b.jwkEnabled)) {
          jwt.signing!.jwkEnabled = true;
          notes.push(
            `"${name}": a new RS256 key pair is generated for JWT builder "${b.id}" (jwkEnabled).`,
          );
          if (b.jwkRotationTime !== undefined) {
            const seconds = durationSeconds(b.jwkRotationTime, 'm');
            if (seconds !== undefined && seconds >= 60 && seconds <= 525_600 * 60)
              jwt.signing!.jwkRotationMinutes = Math.round(seconds / 60);
            else
              notes.push(
                `${bLabel}: jwkRotationTime="${b.jwkRotationTime}" is not a duration of 1 minute to a year; 720 minutes is used.`,
              );
          }
          if (b.jwkSigningKeySize !== undefined) {
            const bits = Number(b.jwkSigningKeySize);
            if ((JWK_KEY_SIZES as readonly number[]).includes(bits)) jwt.signing!.jwkKeySize = bits;
            else
              notes.push(
                `${bLabel}: jwkSigningKeySize="${b.jwkSigningKeySize}" is ${bits === 1024 ? 'too weak' : 'not a key size Tokensmith generates'}; 2048-bit keys are used.`,
              );
          }
        } else {
          jwt.signing!.keystore = b.keyStoreRef ?? '';
          jwt.signing!.alias = b.keyAlias ?? '';
          if (b.keyStoreRef) {
            notes.push(
              `"${name}": signs with keystore "${b.keyStoreRef}"${b.keyAlias ? ` alias "${b.keyAlias}"` : ''}; import it on the Keystores page with that name.`,
            );
          }
        }
      }
      conn.jwt = jwt;
    }

    if (authToken) {
      const a = authToken.attrs;
      const aLabel = `<zosconnect_authToken id="${a.id ?? ''}">`;
      const jwtServer = lookup(a.authServerRef, 'zosconnect_authorizationServer', aLabel);
      const user = lookup(
        jwtServer?.attrs.basicAuthRef,
        'zosconnect_authData',
        `<zosconnect_authorizationServer id="${jwtServer?.attrs.id ?? ''}">`,
      );
      const req = authToken.children.tokenRequest?.[0]?.attrs ?? {};
      const res = authToken.children.tokenResponse?.[0]?.attrs ?? {};
      const settings: Record<string, unknown> = {
        enabled: true,
        tokenEndpoint: jwtServer?.attrs.tokenEndpoint ?? '',
        username: user?.attrs.user ?? '',
        password: passwordOf(user),
        header: a.header ?? 'Authorization',
        useBearerScheme: a.useBearerScheme === undefined ? true : isTrue(a.useBearerScheme),
        credentialLocation: req.credentialLocation ?? 'header',
        requestMethod: (req.requestMethod ?? 'GET').toUpperCase(),
        tokenLocation: res.tokenLocation ?? 'header',
      };
      if (req.header) settings.requestHeader = req.header;
      if (req.requestBody) settings.requestBody = req.requestBody;
      if (res.header) settings.responseHeader = res.header;
      if (res.responseFormat)
        settings.responseFormat = /^text$/i.test(res.responseFormat) ? 'Text' : 'JSON';
      if (res.tokenPath) settings.tokenPath = res.tokenPath;
      conn.authToken = settings;
    }
    connections.push(conn as unknown as ConnectionInput);
  };

  const uniqueName = (wanted: string) => {
    let n = wanted;
    for (let i = 2; names.has(n); i++) n = `${wanted} (${i})`;
    names.add(n);
    return n;
  };

  for (const endpoint of server.children.zosconnect_endpointConnection ?? []) {
    used.add(endpoint); // the roots: nothing refers to them
    const id = endpoint.attrs.id ?? 'endpoint';
    const from = `<zosconnect_endpointConnection id="${id}">`;
    const refs = (endpoint.attrs.authenticationConfigRef ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    let oauth: XmlElement | undefined;
    let authToken: XmlElement | undefined;
    for (const ref of refs) {
      const found = byId.get(ref);
      if (!found) {
        notes.push(`${from} refers to "${ref}", which is not in the file.`);
      } else if (found.kind === 'zosconnect_oAuthConfig' && !oauth) {
        oauth = found.el;
      } else if (found.kind === 'zosconnect_authToken' && !authToken) {
        authToken = found.el;
      } else {
        notes.push(`${from}: authentication "${ref}" (<${found.kind}>) is not imported.`);
      }
    }
    if (!oauth) {
      notes.push(
        `${from} has no OAuth configuration${authToken ? ' (an authentication-server JWT alone is not a Tokensmith connection)' : ''}; skipped.`,
      );
      continue;
    }
    oauthUsed.add(oauth);
    used.add(oauth);
    if (authToken) used.add(authToken);
    build(uniqueName(id), oauth, endpoint, authToken);
  }
  for (const oauth of server.children.zosconnect_oAuthConfig ?? []) {
    if (oauthUsed.has(oauth)) continue;
    const id = oauth.attrs.id ?? 'oauth';
    notes.push(
      `<zosconnect_oAuthConfig id="${id}"> is not used by an endpoint connection; imported on its own.`,
    );
    used.add(oauth);
    build(uniqueName(id), oauth, undefined, undefined);
  }
  for (const { kind, el } of byId.values()) {
    if (!used.has(el))
      notes.push(`<${kind} id="${el.attrs.id}"> is not referred to and was not imported.`);
  }
  if (connections.length === 0) {
    throw new TokensmithError(
      'invalid_input',
      `Nothing was imported: the file has no zosconnect_oAuthConfig with grantType client_credentials or password.${notes.length ? `\n  ${notes.join('\n  ')}` : ''}`,
      { detail: { notes } },
    );
  }
  return { document: { format: EXPORT_FORMAT, version: 1, connections }, notes };
}
