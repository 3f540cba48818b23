/**
 * The parts of undici the core sends with, loaded (./undici.ts) when the first request is about
 * to be sent. undici's index loads all of undici — fetch, WebSocket, EventSource, the mocks, the
 * cache interceptors and their SQLite store — about 100 ms of a cold CLI start, spent even when
 * the token comes from the cache. These are the modules the index takes its exports from, set up
 * as the index sets them up (the request API assigned to Dispatcher.prototype, which is what
 * `dispatcher.request()` and the proxy agent's CONNECT use): the same classes, not copies
 * (test/core/http/undici-parts.test.ts holds them to undici's own exports).
 */
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';

Object.assign(Dispatcher.prototype, api);

export { Agent, EnvHttpProxyAgent };
// With them, so that a command that sends nothing does not load node:tls.
export { rootCertificates } from 'node:tls';
