/**
 * The operating system's keychain (macOS Keychain, Windows Credential Manager, the freedesktop
 * Secret Service on Linux: gnome-keyring, KWallet) through `@napi-rs/keyring`, a prebuilt binding
 * shipped inside its npm packages. Loaded only when a command needs it. On Linux the entry is
 * pinned to the Secret Service: the binding would otherwise fall back to the kernel keyring,
 * whose keys vanish at log-out, and with them every secret sealed by such a key.
 */
import { createRequire } from 'node:module';

/** Every entry Tokensmith reads or writes is under this service name. */
export const KEYCHAIN_SERVICE = 'tokensmith';

export interface Keychain {
  /** The stored text, or null when there is none. Throws when the keychain cannot be reached. */
  get(account: string): string | null;
  set(account: string, value: string): void;
  delete(account: string): boolean;
}

interface EntryLike {
  getPassword(): string | null;
  setPassword(value: string): void;
  deletePassword(): boolean;
}
type EntryClass = new (
  service: string,
  account: string,
  options?: { linux?: { store?: 'secret-service' | 'keyutils' } },
) => EntryLike;

let binding: { Entry: EntryClass } | Error | undefined;

function load(): { Entry: EntryClass } | Error {
  if (!binding) {
    try {
      // A native addon: required, not bundled (the CLI bundle keeps it external).
      binding = createRequire(import.meta.url)('@napi-rs/keyring') as { Entry: EntryClass };
    } catch (e) {
      binding = e instanceof Error ? e : new Error(String(e));
    }
  }
  return binding;
}

/** Why the keychain cannot be used, in one line (the binding's text, without its codes). */
export function keychainProblem(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/^Platform failure: /, '').split('\n')[0] ?? text;
}

/** The keychain, or the reason there is none (no binding for this platform). */
export function osKeychain(): Keychain | Error {
  const loaded = load();
  if (loaded instanceof Error) return loaded;
  const entry = (account: string) =>
    new loaded.Entry(KEYCHAIN_SERVICE, account, { linux: { store: 'secret-service' } });
  return {
    get: (account) => entry(account).getPassword(),
    set: (account, value) => entry(account).setPassword(value),
    delete: (account) => entry(account).deletePassword(),
  };
}
