/**
 * One network profile per connection — proxy, trusted CAs, client certificate, timeouts —
 * applied to every leg of a flow: discovery, token, refresh, API calls.
 */
import { hash } from 'node:crypto';

export interface ProxySettings {
  protocol: 'http' | 'https';
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** NO_PROXY-style entries: `example.com`, `.corp.example`, `*`, `host:port`. */
  bypass: string[];
}

export interface ClientCertificate {
  /** PEM private key (unencrypted, held in memory only). */
  key: string;
  /** PEM certificate chain, leaf first. */
  cert: string;
  /** The leaf's subject (`CN=…`, or its whole name without a CN), for messages. */
  subject?: string;
  /** The leaf's issuer (`CN=…, O=…`), for messages. */
  issuer?: string;
}

export interface NetworkProfile {
  proxy?: ProxySettings;
  /** Extra trusted CA certificates (PEM), added to the system's roots. */
  trustedCertificates?: string[];
  clientCertificate?: ClientCertificate;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  maxResponseBytes: number;
}

export const DEFAULT_NETWORK_PROFILE: NetworkProfile = {
  connectTimeoutMs: 10_000,
  readTimeoutMs: 30_000,
  maxResponseBytes: 1024 * 1024,
};

/** The proxy URL with its credentials, for undici's ProxyAgent. */
export function proxyUrl(proxy: ProxySettings): string {
  const url = new URL(`${proxy.protocol}://${proxy.host}:${proxy.port}`);
  if (proxy.username) {
    url.username = encodeURIComponent(proxy.username);
    url.password = encodeURIComponent(proxy.password ?? '');
  }
  return url.href;
}

/** A stable key for reusing a dispatcher; secrets enter it only through a hash. */
export function profileKey(profile: NetworkProfile): string {
  return hash('sha256', JSON.stringify(profile), 'base64url');
}
