/**
 * How a connection type is presented: its flow dialog's steps in the seed's order (CloudStreams
 * Configure Connection, seed 004), each step's sections and fields, and the action that ends the
 * step; plus the settings the seed does not show, folded under Advanced and z/OS Connect. The
 * renderer draws pages and dialogs from this data; nothing about a type is decided in a page.
 */

/** What a field is drawn as. Most are plain inputs; a few carry their own small behaviour. */
export type FieldKind =
  | 'text'
  | 'url'
  | 'secret'
  | 'number'
  | 'switch'
  | 'select'
  /** Monospace, several lines (JSON, a JWT). */
  | 'code'
  /** A list of strings, one per line. */
  | 'lines'
  /** A list of name/value pairs. */
  | 'params'
  /** A URL with a Discover button (OpenID / RFC 8414 metadata). */
  | 'issuer'
  /** The computed Redirect URI, read-only, with a copy button. */
  | 'redirectUri'
  /** x5t with Browse… for a certificate file. */
  | 'x5t'
  /** The generated or published signing keys of a JWT builder. */
  | 'signingKeys'
  /** The check of the client assertion about to be sent. */
  | 'assertionCheck'
  /**
   * While a device authorization waits (RFC 8628 §3.3): the user code, `verification_uri` as a
   * link, `verification_uri_complete` as a link and a QR code, and the time left; drawn from the
   * running flow's progress (`FlowProgress.device`).
   */
  | 'deviceAuthorization'
  /** A line of explanation. */
  | 'hint';

/**
 * Kinds that show something (computed, or drawn from a running flow) rather than hold a value of
 * the connection: no CLI flag, no model path. The one list every face asks.
 */
export const DISPLAY_KINDS: ReadonlySet<FieldKind> = new Set<FieldKind>([
  'redirectUri',
  'signingKeys',
  'assertionCheck',
  'deviceAuthorization',
  'hint',
]);

/** Lists that come from the user's store rather than from the descriptor. */
export type OptionSource =
  /** Keystores (not truststores). */
  | 'keystores'
  /** Keystores and truststores. */
  | 'stores'
  /** Aliases with a private key of the SSL Connection's Keystore Alias. */
  | 'sslKeyAliases'
  /** Aliases of the Keystore Name (auto-selected when there is only one). */
  | 'signingAliases'
  /** Aliases with a private key of the DPoP Keystore Name (`dpop.keystore`). */
  | 'dpopKeyAliases'
  /** The names of the other saved connections (a token exchange's subject or actor). */
  | 'connections'
  | 'proxies';

export interface FieldOption {
  value: string;
  label: string;
}

/** Where a field is shown: in the flow's dialog, or folded under Advanced / z/OS Connect. */
export type FieldLevel = 'basic' | 'advanced' | 'zos';

/**
 * Help that depends on the values. Declared as a method's type so that a field written for the
 * shared connection shape also fits every type (method parameters are bivariant).
 */
type HelpText<C> = { text(conn: C): string }['text'];

export interface FieldSpec<C> {
  /** Dotted path into the connection (display-only kinds use a name of their own). */
  path: string;
  label: string;
  kind: FieldKind;
  help?: string | HelpText<C>;
  required?: boolean;
  placeholder?: string;
  options?: readonly FieldOption[] | OptionSource;
  /** Takes the whole row. */
  full?: boolean;
  /** Shown only when this holds for the current values. */
  when?(conn: C): boolean;
  /**
   * What the field is for the rules that guard secrets. `endpoint`: a URL that receives the
   * client authentication or another secret — the user's secrets are bound to it (a changed
   * value asks for them again) and a review names it.
   */
  role?: FieldRole;
}

export type FieldRole = 'endpoint';

export interface SectionSpec<C> {
  /** Stable id: tests, anchors and the first-error scroll use it. */
  id: string;
  title: string;
  level: FieldLevel;
  fields: ReadonlyArray<FieldSpec<C>>;
  when?(conn: C): boolean;
  /** Actions of the section itself (e.g. Get JWT of the authentication server). */
  actions?: readonly ActionSpec[];
}

export type ActionId =
  | 'authorize'
  | 'getToken'
  | 'generateJwt'
  | 'submitRequest'
  | 'generateAccessToken'
  | 'refresh'
  | 'getJwt'
  | 'getDeviceCode'
  | 'exchangeToken';

/** What an action asks the engine for. */
export type ActionRun = 'token' | 'assertion' | 'refresh' | 'authToken' | 'introspect' | 'revoke';

export interface ActionSpec {
  id: ActionId;
  /** The seed's button label. */
  label: string;
  runs: ActionRun;
}

/** One step of a flow dialog: its sections in the seed's order and the button that ends it. */
export interface FlowStep<C> {
  /** Shown when a flow has more than one step (e.g. "JWT Token", "JWT Assertion"). */
  title: string;
  sections: ReadonlyArray<SectionSpec<C>>;
  action: ActionSpec;
}

/** The icons a type can show in lists and menus (the renderer draws each). */
export const TYPE_ICONS = [
  'login',
  'key',
  'badge',
  'lan',
  'person',
  'devices',
  'swap',
  'token',
] as const;
export type TypeIcon = (typeof TYPE_ICONS)[number];

export interface ConnectionUi<C> {
  icon: TypeIcon;
  /** "Connection Groups: OAuth v2.0 (JWT Client Assertion)": the section with the token fields. */
  groupTitle: string;
  /** The flow dialog's title, e.g. "OAuth 2.0 Authorization Code Flow". */
  dialogTitle: string;
  steps: ReadonlyArray<FlowStep<C>>;
  /** What the seed's dialog does not show: token path, custom parameters, z/OS options. */
  advanced: ReadonlyArray<SectionSpec<C>>;
}

export const ACTIONS = {
  authorize: { id: 'authorize', label: 'Authorize', runs: 'token' },
  getToken: { id: 'getToken', label: 'Get Token', runs: 'token' },
  generateJwt: { id: 'generateJwt', label: 'Generate JWT Token', runs: 'assertion' },
  submitRequest: { id: 'submitRequest', label: 'Submit Request', runs: 'token' },
  generateAccessToken: {
    id: 'generateAccessToken',
    label: 'Generate Access Token',
    runs: 'token',
  },
  refresh: { id: 'refresh', label: 'Refresh Token', runs: 'refresh' },
  getJwt: { id: 'getJwt', label: 'Get JWT', runs: 'authToken' },
  getDeviceCode: { id: 'getDeviceCode', label: 'Get Device Code', runs: 'token' },
  exchangeToken: { id: 'exchangeToken', label: 'Exchange Token', runs: 'token' },
} as const satisfies Record<ActionId, ActionSpec>;

/** What the result panel offers for the token it shows, whatever the connection type. */
export interface ResultActionSpec {
  id: 'introspect' | 'revoke';
  label: string;
  runs: Extract<ActionRun, 'introspect' | 'revoke'>;
  /** The contract channel it calls. */
  channel: 'tokens:introspect' | 'tokens:revoke';
  /** Token type hints offered (RFC 7662 §2.1, RFC 7009 §2.1); the refresh token only when there is one. */
  hints: ReadonlyArray<'access_token' | 'refresh_token'>;
  /** Ask before running it (revocation cannot be undone). */
  confirm?: string;
}

export const RESULT_ACTIONS: readonly ResultActionSpec[] = [
  {
    id: 'introspect',
    label: 'Introspect',
    runs: 'introspect',
    channel: 'tokens:introspect',
    hints: ['access_token', 'refresh_token'],
  },
  {
    id: 'revoke',
    label: 'Revoke',
    runs: 'revoke',
    channel: 'tokens:revoke',
    hints: ['access_token', 'refresh_token'],
    confirm: 'Revoke this token at the authorization server? The cached token is cleared.',
  },
];

/** Every field of every section of a type's UI, in order (tests and the first-error scroll). */
export function fieldsOf<C>(ui: ConnectionUi<C>): Array<FieldSpec<C>> {
  return [...ui.steps.flatMap((s) => s.sections), ...ui.advanced].flatMap((s) => [...s.fields]);
}
