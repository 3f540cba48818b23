/**
 * An HTTP Archive (HAR 1.2, http://www.softwareishard.com/blog/har-12-spec/) of a flow's HTTP
 * legs, as Tokensmith exports it (`--trace FILE`, the app's Export trace): redacted, so it may be
 * shared. Custom fields (HAR's leading underscore): `_tlsPeerCertificate` on an entry that went
 * over TLS, `_error` on a leg that failed (its response is then status 0).
 */

interface NameValue {
  name: string;
  value: string;
}

/** The server's certificate and the TLS session a leg went over. Public values only. */
export interface TlsPeer {
  protocol?: string;
  cipher?: string;
  subject?: string;
  issuer?: string;
  subjectAltName?: string;
  serialNumber?: string;
  validFrom?: string;
  validTo?: string;
  fingerprint256?: string;
  /** The leaf certificate, PEM. */
  pem?: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: NameValue[];
    headers: NameValue[];
    queryString: NameValue[];
    postData?: { mimeType: string; text: string; params?: NameValue[] };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: NameValue[];
    headers: NameValue[];
    content: { size: number; mimeType: string; text?: string; comment?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; ssl: number } & Record<
    'send' | 'wait' | 'receive',
    number
  >;
  serverIPAddress?: string;
  _tlsPeerCertificate?: TlsPeer;
  _error?: string;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    entries: HarEntry[];
    comment: string;
  };
}
