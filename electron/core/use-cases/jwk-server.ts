/** The JWKS server of the app and browser mode: on, off and its port follow the settings. */
import type { JwkServerStatus } from '../../../shared/contract.js';
import type { ErrorData } from '../../../shared/result.js';
import { toErrorData } from '../errors.js';
import { startJwkServer, type JwkServer } from '../jwk-server.js';
import { jwksProvider } from './signing-keys.js';
import type { Session } from './session.js';

export class JwkServerControl {
  #server: JwkServer | undefined;
  #error: ErrorData | undefined;

  constructor(private readonly session: Session) {}

  get running(): boolean {
    return this.#server !== undefined;
  }

  async status(): Promise<JwkServerStatus> {
    const { jwkServerEnabled, jwkServerPort } = (await this.session.workspace.store.read())
      .settings;
    return {
      enabled: jwkServerEnabled,
      port: jwkServerPort,
      running: this.#server !== undefined,
      ...(this.#server ? { baseUrl: this.#server.baseUrl } : {}),
      ...(this.#error ? { error: this.#error } : {}),
    };
  }

  /** Starts or stops the server to match the settings. */
  async apply(): Promise<JwkServerStatus> {
    const { jwkServerEnabled, jwkServerPort } = (await this.session.workspace.store.read())
      .settings;
    if (this.#server && (!jwkServerEnabled || this.#server.port !== jwkServerPort))
      await this.close();
    this.#error = undefined;
    if (jwkServerEnabled && !this.#server) {
      try {
        this.#server = await startJwkServer(jwkServerPort, jwksProvider(this.session));
      } catch (e) {
        this.#error = toErrorData(e);
      }
    }
    return this.status();
  }

  async configure(enabled: boolean, port: number): Promise<JwkServerStatus> {
    await this.session.workspace.store.update((doc) => {
      doc.settings.jwkServerEnabled = enabled;
      doc.settings.jwkServerPort = port;
    });
    return this.apply();
  }

  async close(): Promise<void> {
    await this.#server?.close();
    this.#server = undefined;
  }
}
