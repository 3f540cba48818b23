import {
  startTransition,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import {
  Controller,
  useFieldArray,
  useForm,
  type Control,
  type FieldPath,
  type Resolver,
} from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  IconButton,
  InputAdornment,
  Link,
  MenuItem,
  Paper,
  Stack,
  Switch,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import {
  CLIENT_AUTH_LABELS,
  CLIENT_AUTH_METHODS,
  CONNECTION_TYPES,
  CONNECTION_TYPE_LABELS,
  JWS_ALGORITHMS,
  JWK_KEY_SIZES,
  connectionSchema,
  newConnection,
  type Connection,
  type ConnectionType,
} from '../../../shared/connection.js';
import type { KeystoreSummary, TokenRun } from '../../../shared/contract.js';
import type { ProxyAlias } from '../../../shared/resources.js';
import type { AssertionCheck } from '../../../shared/assertion-check.js';
import type { ErrorData } from '../../../shared/result.js';
import type { FlowProgress } from '../../../shared/token-result.js';
import { call, errorOf, fileToBase64, isDesktop, newRequestId, onProgress } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { AssertionCheckView, TokenResultView } from '../components/TokenResultView.js';
import { navigate, openInInspector } from '../navigation.js';
import { setNavigationGuard } from '../navigation-guard.js';
import { TryApiPanel } from '../components/TryApiPanel.js';
import { Hint, SigningKeysPanel } from '../components/ZosSections.js';

type Values = Connection;

/** A message that outlives the page's remount after the first save of a new connection. */
let flash = '';

function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Paper variant="outlined" component="section" aria-label={title} sx={{ p: 2 }}>
      <Stack direction="row" alignItems="center" sx={{ mb: 1.5 }}>
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, flex: 1 }}>
          {title}
        </Typography>
        {actions}
      </Stack>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2 }}>
        {children}
      </Box>
    </Paper>
  );
}

const full = { gridColumn: '1 / -1' };

/** The form's error messages by path, as one string (errors hold DOM refs: no JSON.stringify). */
function errorMessages(errors: Record<string, unknown>, prefix = ''): string {
  let out = '';
  for (const [key, value] of Object.entries(errors)) {
    if (!value || typeof value !== 'object') continue;
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string') out += `${prefix}${key}=${message};`;
    else out += errorMessages(value as Record<string, unknown>, `${prefix}${key}.`);
  }
  return out;
}

function formErrorAt(errors: Record<string, unknown>, path: string): string | undefined {
  let node: unknown = errors;
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return (node as { message?: string } | undefined)?.message;
}

function ParamTable({
  control,
  name,
  label,
}: {
  control: Control<Values>;
  name: 'params.tokenParams' | 'params.authorizationParams' | 'params.refreshParams';
  label: string;
}) {
  const { fields, append, remove } = useFieldArray({ control, name });
  return (
    <Box sx={full}>
      <Typography variant="body2" sx={{ mb: 1, fontWeight: 500 }}>
        {label}
      </Typography>
      <Stack spacing={1}>
        {fields.map((f, i) => (
          <Stack key={f.id} direction="row" spacing={1}>
            <Controller
              control={control}
              name={`${name}.${i}.name` as const}
              render={({ field, fieldState }) => (
                <TextField
                  {...field}
                  label="Name"
                  error={Boolean(fieldState.error)}
                  helperText={fieldState.error?.message}
                  sx={{ flex: 1 }}
                />
              )}
            />
            <Controller
              control={control}
              name={`${name}.${i}.value` as const}
              render={({ field }) => <TextField {...field} label="Value" sx={{ flex: 2 }} />}
            />
            <Button
              onClick={() => remove(i)}
              aria-label={`Remove ${label} ${i + 1}`}
              color="inherit"
            >
              Remove
            </Button>
          </Stack>
        ))}
        <Box>
          <Button size="small" onClick={() => append({ name: '', value: '' })}>
            Add parameter
          </Button>
        </Box>
      </Stack>
    </Box>
  );
}

function redirectUri(v: Values, port?: number): string {
  if (v.type !== 'authorization_code') return '';
  const p = port ?? v.redirect.port;
  return `${v.redirect.https ? 'https' : 'http'}://${v.redirect.host}:${p || '{any free port}'}${v.redirect.path}`;
}

/** A new connection of a type with every default, and its required fields left empty. */
function blankConnection(type: ConnectionType): Values {
  const placeholder = 'https://placeholder.invalid/token';
  const values = connectionSchema.parse({
    ...newConnection(type, { id: crypto.randomUUID(), name: 'x', tokenEndpoint: placeholder }),
    ...(type === 'authorization_code' ? { authorizationEndpoint: placeholder } : {}),
    ...(type === 'password' ? { username: 'x' } : {}),
  }) as Record<string, unknown>;
  for (const key of ['name', 'tokenEndpoint', 'authorizationEndpoint', 'username'])
    if (key in values) values[key] = '';
  return values as Values;
}

export function ConfigureConnectionPage({
  id,
  type,
}: {
  id?: string | undefined;
  type?: string | undefined;
}) {
  const initialType = (CONNECTION_TYPES as readonly string[]).includes(type ?? '')
    ? (type as ConnectionType)
    : 'client_credentials';
  const draftKey = id ?? `new-${initialType}`;
  const [loaded, setLoaded] = useState<Values | undefined>();
  const [loadError, setLoadError] = useState<ErrorData | undefined>();
  const [restoredDraft, setRestoredDraft] = useState(false);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const [base, { draft }] = await Promise.all([
        id ? call('connections:get', { id }) : blankConnection(initialType),
        call('drafts:get', { key: draftKey }),
      ]);
      if (cancelled) return;
      if (draft && typeof draft === 'object') {
        setRestoredDraft(true);
        setLoaded({ ...base, ...(draft as Values) });
      } else setLoaded(base);
    })().catch((e: unknown) => !cancelled && setLoadError(errorOf(e)));
    return () => {
      cancelled = true;
    };
  }, [id, initialType, draftKey]);

  if (loadError) return <ErrorAlert error={loadError} />;
  if (!loaded) return <CircularProgress aria-label="Loading" />;
  return (
    <ConnectionForm
      initial={loaded}
      isNew={!id}
      draftKey={draftKey}
      restoredDraft={restoredDraft}
    />
  );
}

function ConnectionForm({
  initial,
  isNew,
  draftKey,
  restoredDraft,
}: {
  initial: Values;
  isNew: boolean;
  draftKey: string;
  restoredDraft: boolean;
}) {
  const form = useForm<Values>({
    defaultValues: initial,
    resolver: zodResolver(connectionSchema) as unknown as Resolver<Values>,
    mode: 'onBlur',
  });
  const { control, watch, getValues, setValue, reset, handleSubmit, formState, trigger } = form;
  const values = watch();
  const [keystores, setKeystores] = useState<KeystoreSummary[]>([]);
  const [proxies, setProxies] = useState<ProxyAlias[]>([]);
  const [result, setResult] = useState<TokenRun | undefined>();
  const [jwtResult, setJwtResult] = useState<TokenRun | undefined>();
  const [jwkPort, setJwkPort] = useState(9480);
  const [check, setCheck] = useState<AssertionCheck | undefined>();
  const [error, setError] = useState<ErrorData | undefined>();
  const [busy, setBusy] = useState<{ label: string; requestId: string } | undefined>();
  const [progress, setProgress] = useState<FlowProgress | undefined>();
  const [notice, setNotice] = useState(() => {
    const message =
      flash || (restoredDraft ? 'Unsaved changes from your last session were restored.' : '');
    flash = '';
    return message;
  });
  const [browsed, setBrowsed] = useState('');
  const [discoveryWarnings, setDiscoveryWarnings] = useState<string[]>([]);
  const [leaving, setLeaving] = useState<string | undefined>();
  const popup = useRef<Window | null>(null);
  const dirty = formState.isDirty || restoredDraft;

  useEffect(() => {
    call('keystores:list', {}).then(setKeystores, () => undefined);
    call('proxies:list', {}).then(setProxies, () => undefined);
    call('jwkServer:status', {}).then(
      (st) => setJwkPort(st.port),
      () => undefined,
    );
  }, []);

  // Drafts: everything typed survives a crash or restart.
  useEffect(() => {
    if (!formState.isDirty) return;
    const t = setTimeout(
      () => void call('drafts:save', { key: draftKey, draft: getValues() }).catch(() => undefined),
      400,
    );
    return () => clearTimeout(t);
  });

  useEffect(() => {
    setNavigationGuard(dirty ? (hash) => (setLeaving(hash), false) : null);
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      setNavigationGuard(null);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, [dirty]);

  useEffect(
    () =>
      onProgress((event) => {
        if (event.requestId !== busy?.requestId) return;
        setProgress(event.progress);
        if (event.progress.step === 'browser' && event.progress.url && !isDesktop) {
          if (popup.current && !popup.current.closed)
            popup.current.location.href = event.progress.url;
          else popup.current = window.open(event.progress.url, '_blank');
        }
      }),
    [busy?.requestId],
  );

  const keystoreNames = keystores.filter((k) => k.purpose === 'keystore').map((k) => k.name);
  const truststoreNames = keystores.map((k) => k.name);
  const aliasesOf = useCallback(
    (name: string) => keystores.find((k) => k.name === name)?.aliases ?? [],
    [keystores],
  );

  const type = values.type;
  const method = values.client.authMethod;
  const signs =
    type === 'jwt_bearer' || type === 'jwt_client_assertion' || method === 'private_key_jwt';
  const claims = signs || method === 'client_secret_jwt';
  const showSecret =
    type !== 'jwt_client_assertion' && !['none', 'private_key_jwt'].includes(method);

  const fail = (e: unknown) => {
    const data = errorOf(e);
    setError(data);
    if (data.field) void trigger(data.field as FieldPath<Values>);
  };

  /** Counts saves: what is published from saved connections (the JWKS) is reloaded after one. */
  const [saves, setSaves] = useState(0);
  const save = handleSubmit(async (v) => {
    setError(undefined);
    try {
      const saved = await call('connections:save', { connection: v });
      await call('drafts:save', { key: draftKey, draft: null });
      reset(saved);
      setSaves((n) => n + 1);
      setNotice(`Saved “${saved.name}”.`);
      if (isNew) {
        setNavigationGuard(null);
        flash = `Saved “${saved.name}”.`;
        navigate(`#/connection/${encodeURIComponent(saved.id)}`);
      }
    } catch (e) {
      fail(e);
    }
  });

  // Validated with the schema directly rather than handleSubmit: a valid form then changes no
  // form state, so the ~70 field controllers do not all re-render when a request starts and ends.
  const runFlow =
    (label: string, action: (requestId: string, v: Values) => Promise<void>) => async () => {
      const parsed = connectionSchema.safeParse(getValues());
      if (!parsed.success) {
        await trigger();
        return;
      }
      const v = parsed.data as Values;
      setError(undefined);
      setProgress(undefined);
      const requestId = newRequestId();
      if (v.type === 'authorization_code' && !isDesktop) {
        // Opened now, inside the click, so that the browser does not block it as a pop-up.
        popup.current = window.open('about:blank', '_blank');
      }
      setBusy({ label, requestId });
      try {
        await action(requestId, v);
      } catch (e) {
        fail(e);
      } finally {
        setBusy(undefined);
        setProgress(undefined);
        // Close the tab opened for the sign-in only if it never left about:blank (a cross-origin
        // page cannot be read, which means it did).
        try {
          if (
            popup.current &&
            !popup.current.closed &&
            popup.current.location.href === 'about:blank'
          )
            popup.current.close();
        } catch {
          // It shows the provider's or the loopback page: leave it to the user.
        }
      }
    };

  const getToken = (label: string) =>
    runFlow(label, async (requestId, v) => {
      setResult(await call('tokens:generate', { requestId, connection: v, useCache: false }));
    });

  const generateAssertion = runFlow('Generate JWT Token', async (requestId, v) => {
    const out = await call('assertions:generate', { requestId, connection: v });
    setValue('clientAssertion' as FieldPath<Values>, out.assertion as never, { shouldDirty: true });
    setCheck(out.check);
  });

  const getJwt = runFlow('Get JWT', async (requestId, v) => {
    setJwtResult(await call('authToken:fetch', { requestId, connection: v, useCache: false }));
  });

  const refresh = runFlow('Refresh Token', async (requestId, v) => {
    if (!result?.refreshToken) return;
    setResult(
      await call('tokens:refresh', { requestId, connection: v, refreshToken: result.refreshToken }),
    );
  });

  // The check of a pasted or generated assertion, shown before Submit Request.
  const assertion = type === 'jwt_client_assertion' ? values.clientAssertion : '';
  useEffect(() => {
    if (type !== 'jwt_client_assertion' || !assertion) {
      setCheck(undefined);
      return;
    }
    const t = setTimeout(() => {
      call('assertions:check', { connection: getValues(), assertion }).then(
        setCheck,
        () => undefined,
      );
    }, 300);
    return () => clearTimeout(t);
  }, [assertion, type, getValues]);

  const discover = async () => {
    setError(undefined);
    try {
      const out = await call('discovery:run', { connection: getValues() });
      if (out.tokenEndpoint) setValue('tokenEndpoint', out.tokenEndpoint, { shouldDirty: true });
      if (out.authorizationEndpoint && getValues().type === 'authorization_code')
        setValue('authorizationEndpoint' as FieldPath<Values>, out.authorizationEndpoint as never, {
          shouldDirty: true,
        });
      setDiscoveryWarnings(out.warnings);
      setNotice(`Endpoints read from ${out.metadataUrl}.`);
    } catch (e) {
      fail(e);
    }
  };

  const browseCertificate = async (file: File | undefined) => {
    if (!file) return;
    try {
      const info = await call('certificates:inspect', {
        fileName: file.name,
        content: await fileToBase64(file),
      });
      setValue('jwt.header.x5t', info.x5t, { shouldDirty: true });
      setValue('jwt.header.x5tS256', info.x5tS256, { shouldDirty: true });
      setBrowsed(
        `${file.name}: ${info.subject}, valid until ${new Date(info.notAfter).toLocaleDateString()}${info.expired ? ' (EXPIRED)' : ''}`,
      );
    } catch (e) {
      fail(e);
    }
  };

  const changeType = (next: ConnectionType) => {
    const current = getValues() as Record<string, unknown>;
    const defaults = newConnection(next, {
      id: String(current.id),
      name: String(current.name),
    }) as Record<string, unknown>;
    const merged = connectionSchema.safeParse({
      ...defaults,
      ...current,
      type: next,
      tokenEndpoint: current.tokenEndpoint || 'https://placeholder.invalid',
    });
    const nextValues = (merged.success ? merged.data : { ...current, type: next }) as Values;
    if (!current.tokenEndpoint) (nextValues as { tokenEndpoint: string }).tokenEndpoint = '';
    if (next === 'jwt_client_assertion' && !(current.params as { scope: string }).scope)
      nextValues.params.scope = 'https://graph.microsoft.com/.default';
    reset(nextValues, { keepDefaultValues: true });
    setResult(undefined);
    setCheck(undefined);
  };

  const fieldError = (path: string) =>
    formErrorAt(formState.errors as Record<string, unknown>, path);
  // Controlled fields: MUI then always knows a field has a value (labels never overlap it).
  const text = (path: FieldPath<Values>, label: string, extra: Record<string, unknown> = {}) => {
    const { helperText, ...rest } = extra as { helperText?: string };
    return (
      <Controller
        control={control}
        name={path}
        render={({ field, fieldState }) => (
          <TextField
            {...field}
            value={(field.value as string | number | undefined) ?? ''}
            label={label}
            error={Boolean(fieldState.error)}
            helperText={fieldState.error?.message ?? helperText}
            {...rest}
          />
        )}
      />
    );
  };
  const select = (
    path: FieldPath<Values>,
    label: string,
    options: Array<{ value: string; label: string }>,
    extra: Record<string, unknown> = {},
  ) => (
    <Controller
      control={control}
      name={path}
      render={({ field }) => (
        <TextField
          select
          label={label}
          value={(field.value as string) ?? ''}
          onChange={field.onChange}
          onBlur={field.onBlur}
          inputRef={field.ref}
          {...extra}
        >
          {options.map((o) => (
            <MenuItem key={o.value} value={o.value}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
      )}
    />
  );
  const toggle = (path: FieldPath<Values>, label: string) => (
    <Controller
      control={control}
      name={path}
      render={({ field }) => (
        <FormControlLabel
          control={
            <Switch
              checked={Boolean(field.value)}
              onChange={(e) => field.onChange(e.target.checked)}
            />
          }
          label={label}
        />
      )}
    />
  );
  const none = [{ value: '', label: '(none)' }];
  const signingAliases = aliasesOf(values.jwt.signing.keystore).map((a) => ({
    value: a.alias,
    label: `${a.alias}${a.certificate ? ` — ${a.certificate.subject}` : ''}${a.hasPrivateKey ? '' : ' (no key)'}`,
  }));
  const sslAliases = aliasesOf(values.ssl.keystoreAlias)
    .filter((a) => a.hasPrivateKey)
    .map((a) => ({ value: a.alias, label: a.alias }));

  const actionButton = (label: string, onClick: () => void, primary = true) => (
    <Button
      variant={primary ? 'contained' : 'outlined'}
      onClick={onClick}
      disabled={Boolean(busy)}
      startIcon={busy?.label === label ? <CircularProgress size={16} color="inherit" /> : undefined}
    >
      {label}
    </Button>
  );
  const redirect = useMemo(() => redirectUri(values), [values]);
  const builderIssuerUrl = `http://127.0.0.1:${jwkPort}/jwt/${values.jwt.signing.builderId}`;

  // The form's sections re-render when the values, the lists they offer or their messages
  // change — not when a request starts, progresses or returns (that would re-render every field).
  const valuesKey = JSON.stringify(values);
  // The first screen (Connection, Request Endpoints, SSL Connection) renders at once; the sections
  // below it in the next, interruptible render: the dialog opens without waiting for ~70 fields.
  const [rest, setRest] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => startTransition(() => setRest(true)));
    return () => cancelAnimationFrame(frame);
  }, []);
  const errorsKey = errorMessages(formState.errors as Record<string, unknown>);
  const sections = useMemo(
    () => (
      <>
        <Section title="Connection">
          {text('name', 'Name', { required: true })}
          <Controller
            control={control}
            name="type"
            render={({ field }) => (
              <TextField
                select
                label="Connection Type"
                value={field.value}
                onChange={(e) => changeType(e.target.value as ConnectionType)}
              >
                {CONNECTION_TYPES.map((t) => (
                  <MenuItem key={t} value={t}>
                    {CONNECTION_TYPE_LABELS[t]}
                  </MenuItem>
                ))}
              </TextField>
            )}
          />
          {text('description', 'Description', { sx: full })}
        </Section>

        <Section title="Request Endpoints">
          {type === 'authorization_code' &&
            text('authorizationEndpoint' as FieldPath<Values>, 'Authorization Endpoint', {
              required: true,
              placeholder: 'https://login.example.com/oauth2/authorize',
            })}
          {text('tokenEndpoint', 'Token Endpoint', {
            required: true,
            placeholder: 'https://login.example.com/oauth2/token',
          })}
          {text('issuer', 'Issuer (optional, for discovery)', {
            slotProps: {
              input: {
                endAdornment: (
                  <InputAdornment position="end">
                    <Button size="small" onClick={() => void discover()} disabled={!values.issuer}>
                      Discover
                    </Button>
                  </InputAdornment>
                ),
              },
            },
          })}
          {discoveryWarnings.map((w) => (
            <Alert key={w} severity="warning" sx={full}>
              {w}
            </Alert>
          ))}
        </Section>

        <Section title="SSL Connection">
          <Box sx={full}>
            {toggle('ssl.enabled', 'SSL Connection (client certificate and trusted CAs)')}
          </Box>
          {values.ssl.enabled && (
            <>
              {select('ssl.keystoreAlias', 'Keystore Alias', [
                ...none,
                ...keystoreNames.map((n) => ({ value: n, label: n })),
              ])}
              {select('ssl.keyAlias', 'Key Alias', [...none, ...sslAliases])}
              {select('ssl.truststoreAlias', 'Truststore Alias', [
                ...none,
                ...truststoreNames.map((n) => ({ value: n, label: n })),
              ])}
            </>
          )}
        </Section>

        {rest && (
          <>
            <Section
              title={
                type === 'jwt_client_assertion'
                  ? 'JWT Assertion Request Parameters'
                  : 'Request Parameters'
              }
            >
              {text('client.id', 'Client ID')}
              {showSecret &&
                text('client.secret', 'Client Secret', {
                  type: 'password',
                  autoComplete: 'off',
                  helperText: 'Write ${env:NAME} to read it from the environment.',
                })}
              {type !== 'jwt_client_assertion' &&
                select(
                  'client.authMethod',
                  'Client Authentication',
                  CLIENT_AUTH_METHODS.map((m) => ({ value: m, label: CLIENT_AUTH_LABELS[m] })),
                )}
              {(method === 'private_key_jwt' || method === 'client_secret_jwt') && (
                <Box>
                  {toggle('client.sendClientIdWithAssertion', 'Also send client_id in the body')}
                </Box>
              )}
              {type === 'password' && (
                <>
                  {text('username' as FieldPath<Values>, 'Username', { autoComplete: 'off' })}
                  {text('password' as FieldPath<Values>, 'Password', {
                    type: 'password',
                    autoComplete: 'off',
                  })}
                </>
              )}
              {text('params.scope', 'Scope')}
              {text('params.audience', 'Audience')}
              <Controller
                control={control}
                name="params.resource"
                render={({ field, fieldState }) => (
                  <TextField
                    label="Resource (one per line)"
                    multiline
                    minRows={1}
                    value={(field.value ?? []).join('\n')}
                    onChange={(e) =>
                      field.onChange(
                        e.target.value
                          .split('\n')
                          .map((s) => s.trim())
                          .filter((s, i, all) => s !== '' || i === all.length - 1),
                      )
                    }
                    onBlur={() => {
                      field.onChange((field.value ?? []).filter((s: string) => s !== ''));
                      field.onBlur();
                    }}
                    error={
                      Boolean(fieldState.error) || Array.isArray(formState.errors.params?.resource)
                    }
                    helperText={
                      fieldState.error?.message ??
                      (
                        formState.errors.params?.resource as unknown as
                          Array<{ message?: string }> | undefined
                      )?.find?.(Boolean)?.message
                    }
                  />
                )}
              />
              {text('tokenPath', 'Token Path', {
                helperText:
                  fieldError('tokenPath') ??
                  'Which response field is the token: $.access_token, $.id_token…',
              })}
              <ParamTable
                control={control}
                name="params.tokenParams"
                label="Custom parameters: token request"
              />
              {type === 'authorization_code' && (
                <ParamTable
                  control={control}
                  name="params.authorizationParams"
                  label="Extra authorization parameters (prompt, login_hint, access_type…)"
                />
              )}
              <ParamTable
                control={control}
                name="params.refreshParams"
                label="Custom parameters: refresh request"
              />
            </Section>

            {type === 'authorization_code' && (
              <Section title="Redirect">
                <TextField
                  label="Redirect URI"
                  value={redirect}
                  sx={full}
                  slotProps={{
                    input: {
                      readOnly: true,
                      endAdornment: (
                        <InputAdornment position="end">
                          <Tooltip title="Copy the Redirect URI to register it at the provider">
                            <IconButton
                              aria-label="Copy Redirect URI"
                              onClick={() =>
                                void navigator.clipboard.writeText(redirect).catch(() => undefined)
                              }
                            >
                              <ContentCopyIcon fontSize="small" />
                            </IconButton>
                          </Tooltip>
                        </InputAdornment>
                      ),
                    },
                  }}
                  helperText="Register this at the provider. Port 0 picks a free port at each sign-in (providers that follow RFC 8252 accept any loopback port)."
                />
                {select(
                  'redirect.host' as FieldPath<Values>,
                  'Loopback Host',
                  ['127.0.0.1', '[::1]', 'localhost'].map((h) => ({ value: h, label: h })),
                )}
                {text('redirect.port' as FieldPath<Values>, 'Port', { type: 'number' })}
                {text('redirect.path' as FieldPath<Values>, 'Path')}
                {text('loginTimeoutSeconds' as FieldPath<Values>, 'Sign-in timeout (seconds)', {
                  type: 'number',
                })}
                <Box>
                  {toggle(
                    'redirect.https' as FieldPath<Values>,
                    'HTTPS redirect (self-signed certificate)',
                  )}
                </Box>
                <Box>{toggle('pkce' as FieldPath<Values>, 'PKCE (S256)')}</Box>
              </Section>
            )}

            {signs && values.jwt.signing.jwkEnabled && (
              <Section title="Headers">
                {select('jwt.header.alg', 'Algorithm', [
                  { value: 'auto', label: 'Automatic (RS256 for the generated key)' },
                ])}
                <Hint>
                  The kid of the generated signing key is always sent, so the server picks the key
                  from the JWKS. There is no certificate, so no x5t or x5c.
                </Hint>
              </Section>
            )}
            {signs && !values.jwt.signing.jwkEnabled && (
              <Section title="Headers">
                {text('jwt.header.x5t', 'x5t', {
                  helperText:
                    browsed ||
                    'Empty: taken from the Signing Alias certificate. Browse… fills it from a certificate file.',
                  slotProps: {
                    input: {
                      endAdornment: (
                        <InputAdornment position="end">
                          <Button size="small" component="label">
                            Browse…
                            <input
                              hidden
                              type="file"
                              accept=".cer,.crt,.pem,.der"
                              aria-label="Certificate for x5t"
                              onChange={(e) => void browseCertificate(e.target.files?.[0])}
                            />
                          </Button>
                        </InputAdornment>
                      ),
                    },
                  },
                })}
                {select('jwt.header.alg', 'Algorithm', [
                  { value: 'auto', label: 'Automatic (follows the key)' },
                  ...JWS_ALGORITHMS.map((a) => ({ value: a, label: a })),
                ])}
                {text('jwt.header.kid', 'kid (empty: key thumbprint)')}
                {text('jwt.header.x5tS256', 'x5t#S256 (empty: from the certificate)')}
                <Stack direction="row" flexWrap="wrap" sx={full}>
                  {toggle('jwt.header.includeX5t', 'Send x5t')}
                  {toggle('jwt.header.includeX5tS256', 'Send x5t#S256')}
                  {toggle('jwt.header.includeKid', 'Send kid')}
                  {toggle('jwt.header.includeX5c', 'Send x5c chain')}
                </Stack>
              </Section>
            )}

            {claims && (
              <Section title="Claims">
                {text('jwt.claims.issuer', 'Issuer', {
                  helperText: values.jwt.signing.builderId
                    ? `Empty: the JWT builder's URL, ${builderIssuerUrl}`
                    : type === 'jwt_bearer'
                      ? 'Client ID or name of the system issuing the JWT'
                      : 'Empty: the Client ID',
                })}
                {text(
                  'jwt.claims.subject',
                  type === 'jwt_bearer' ? 'Subject' : 'Subject (Client ID)',
                  {
                    helperText:
                      type === 'jwt_bearer'
                        ? 'The user this token represents'
                        : 'Always the Client ID for client authentication',
                  },
                )}
                {text('jwt.claims.audience', 'Audience', {
                  helperText: 'Empty: the Token Endpoint',
                })}
                {text('jwt.claims.expirationMinutes', 'Expiration Time (mins)', { type: 'number' })}
                {type === 'jwt_bearer' && text('jwt.claims.scopeClaim', 'scope claim (optional)')}
                <Stack direction="row" flexWrap="wrap">
                  {toggle('jwt.claims.includeJti', 'jti')}
                  {toggle('jwt.claims.includeNotBefore', 'nbf')}
                </Stack>
                {text('jwt.claims.customClaims', 'Custom claims (JSON object)', {
                  multiline: true,
                  minRows: 2,
                  sx: full,
                  placeholder: '{"tid": "…", "roles": ["reader"]}',
                  slotProps: { input: { sx: { fontFamily: 'monospace' } } },
                })}
              </Section>
            )}

            <Section title="Keystore and Proxy">
              {signs && (
                <>
                  <Box sx={full}>
                    {toggle(
                      'jwt.signing.jwkEnabled',
                      'Sign with a key Tokensmith generates and publishes as a JWKS (z/OS jwkEnabled)',
                    )}
                  </Box>
                  {text('jwt.signing.builderId', 'JWT Builder ID', {
                    helperText: values.jwt.signing.jwkEnabled
                      ? 'Names the key set and its URL /jwt/ibm/api/{id}/jwk'
                      : 'Optional (z/OS jwtBuilder id): the default issuer becomes its URL and the alias’s public key is published at /jwt/ibm/api/{id}/jwk',
                  })}
                  {values.jwt.signing.jwkEnabled && (
                    <>
                      {text('jwt.signing.jwkRotationMinutes', 'Rotate the key every (minutes)', {
                        type: 'number',
                        helperText: 'z/OS jwkRotationTime, 720 by default; 0: only by hand',
                      })}
                      {select(
                        'jwt.signing.jwkKeySize',
                        'Key size',
                        JWK_KEY_SIZES.map((bits) => ({
                          value: String(bits),
                          label: `RSA ${bits} bits`,
                        })),
                        { helperText: 'z/OS jwkSigningKeySize: for the next key generated' },
                      )}
                      <Box />
                    </>
                  )}
                </>
              )}
              {signs && values.jwt.signing.jwkEnabled && (
                <SigningKeysPanel
                  builderId={values.jwt.signing.builderId}
                  generated
                  reloadKey={String(saves)}
                />
              )}
              {signs && !values.jwt.signing.jwkEnabled && (
                <>
                  {select(
                    'jwt.signing.keystore',
                    'Keystore Name',
                    [...none, ...keystoreNames.map((n) => ({ value: n, label: n }))],
                    {
                      helperText: keystoreNames.length
                        ? undefined
                        : 'No keystores yet: add one on the Keystores page.',
                    },
                  )}
                  {select('jwt.signing.alias', 'Signing Alias', [...none, ...signingAliases])}
                  {values.jwt.signing.builderId && (
                    <SigningKeysPanel
                      builderId={values.jwt.signing.builderId}
                      generated={false}
                      reloadKey={`${values.jwt.signing.keystore}/${values.jwt.signing.alias}/${saves}`}
                    />
                  )}
                </>
              )}
              {select('proxyAlias', 'Proxy Server Alias', [
                ...none,
                ...proxies.map((p) => ({
                  value: p.name,
                  label: `${p.name} (${p.host}:${p.port})`,
                })),
              ])}
            </Section>

            <Section title="API">
              {text('api.baseUrl', 'API Base URL', {
                placeholder: 'https://api.example.com:8443',
                helperText: 'Where Try API starts (z/OS endpoint connection host and port)',
              })}
              <Controller
                control={control}
                name="api.retryCheckLevel"
                render={({ field }) => (
                  <TextField
                    select
                    label="Token retry check level"
                    value={String(field.value ?? 0)}
                    onChange={(e) => field.onChange(Number(e.target.value))}
                    helperText="z/OS tokenRetryCheckLevel: when an API call is retried with a new token"
                  >
                    <MenuItem value="0">0: on 401 with WWW-Authenticate invalid_token</MenuItem>
                    <MenuItem value="1">1: on any 401</MenuItem>
                  </TextField>
                )}
              />
            </Section>

            <Section title="Authentication Server JWT">
              <Box sx={full}>
                {toggle(
                  'authToken.enabled',
                  'Also send a JWT from an authentication server, in its own header (z/OS zosconnect_authToken)',
                )}
              </Box>
              {values.authToken.enabled && (
                <>
                  {text('authToken.tokenEndpoint', 'Authentication Server URL', {
                    required: true,
                    placeholder: 'https://auth.example.com/jwt',
                  })}
                  {select(
                    'authToken.requestMethod',
                    'Request Method',
                    ['GET', 'POST', 'PUT'].map((m) => ({ value: m, label: m })),
                  )}
                  {text('authToken.username', 'User', { autoComplete: 'off' })}
                  {text('authToken.password', 'Password', {
                    type: 'password',
                    autoComplete: 'off',
                    helperText: 'Write ${env:NAME} to read it from the environment.',
                  })}
                  {select('authToken.credentialLocation', 'Credentials Location', [
                    { value: 'header', label: 'Header (Basic user:password)' },
                    { value: 'body', label: 'Request body' },
                  ])}
                  {values.authToken.credentialLocation === 'header'
                    ? text('authToken.requestHeader', 'Credentials Header', {
                        helperText: 'e.g. JWTReqAuthorization',
                      })
                    : text('authToken.requestBody', 'Request Body', {
                        helperText: '${userid} and ${password} are replaced',
                        slotProps: { input: { sx: { fontFamily: 'monospace', fontSize: 13 } } },
                      })}
                  {select('authToken.tokenLocation', 'JWT Location in the Response', [
                    { value: 'header', label: 'Header' },
                    { value: 'body', label: 'Body' },
                  ])}
                  {values.authToken.tokenLocation === 'header' ? (
                    text('authToken.responseHeader', 'JWT Response Header', {
                      helperText: 'e.g. JWTResAuthorization',
                    })
                  ) : (
                    <Stack direction="row" spacing={1}>
                      {select(
                        'authToken.responseFormat',
                        'Format',
                        ['JSON', 'Text'].map((m) => ({ value: m, label: m })),
                        { sx: { minWidth: 100 } },
                      )}
                      {values.authToken.responseFormat === 'JSON' &&
                        text('authToken.tokenPath', 'JWT Path', { sx: { flex: 1 } })}
                    </Stack>
                  )}
                  {text('authToken.header', 'API Request Header for the JWT', {
                    helperText:
                      fieldError('authToken.header') ??
                      'Not Authorization: that carries the OAuth access token',
                  })}
                  <Box>{toggle('authToken.useBearerScheme', 'Send as “Bearer <JWT>”')}</Box>
                  {jwtResult && (
                    <Box sx={full}>
                      <TokenResultView result={jwtResult} onInspect={openInInspector} />
                    </Box>
                  )}
                </>
              )}
            </Section>

            {type === 'jwt_client_assertion' && (
              <Section title="JWT Assertion">
                {text('clientAssertion' as FieldPath<Values>, 'Client Assertion (JWT Token)', {
                  multiline: true,
                  minRows: 3,
                  sx: full,
                  placeholder: 'Generate JWT Token fills this, or paste an assertion.',
                  slotProps: { input: { sx: { fontFamily: 'monospace', fontSize: 12 } } },
                })}
                {check && (
                  <Box sx={full}>
                    <AssertionCheckView check={check} />
                  </Box>
                )}
              </Section>
            )}
          </>
        )}
      </>
    ),
    [
      valuesKey,
      keystores,
      proxies,
      errorsKey,
      rest,
      browsed,
      discoveryWarnings,
      check,
      jwkPort,
      jwtResult,
      saves,
    ],
  );

  return (
    <Stack
      spacing={2}
      component="form"
      noValidate
      onSubmit={(e) => e.preventDefault()}
      aria-label="Configure Connection"
    >
      <Stack direction={{ xs: 'column', sm: 'row' }} alignItems={{ sm: 'center' }} spacing={1}>
        <Box sx={{ flex: 1 }}>
          <Link
            component="button"
            type="button"
            variant="body2"
            onClick={() => navigate('#/connections')}
          >
            ← Connections
          </Link>
          <Typography variant="h5" component="h1">
            Configure Connection{values.name ? `: ${values.name}` : ''}
          </Typography>
        </Box>
        <Button
          variant="contained"
          onClick={() => void save()}
          disabled={Boolean(busy)}
          sx={{ minWidth: 120 }}
        >
          Save
        </Button>
      </Stack>
      {notice && (
        <Alert
          severity={restoredDraft && notice.startsWith('Unsaved') ? 'info' : 'success'}
          onClose={() => setNotice('')}
          action={
            restoredDraft && notice.startsWith('Unsaved') ? (
              <Button
                color="inherit"
                size="small"
                onClick={() => {
                  void call('drafts:save', { key: draftKey, draft: null }).then(() =>
                    window.location.reload(),
                  );
                }}
              >
                Discard draft
              </Button>
            ) : undefined
          }
        >
          {notice}
        </Alert>
      )}

      {sections}
      {rest && (
        <>
          <Paper variant="outlined" sx={{ p: 2 }}>
            <Stack direction="row" spacing={1.5} alignItems="center" flexWrap="wrap" useFlexGap>
              {type === 'authorization_code' &&
                actionButton('Authorize', () => void getToken('Authorize')())}
              {type === 'jwt_bearer' &&
                actionButton('Get Token', () => void getToken('Get Token')())}
              {type === 'jwt_client_assertion' && (
                <>
                  {actionButton('Generate JWT Token', () => void generateAssertion(), false)}
                  {actionButton('Submit Request', () => void getToken('Submit Request')())}
                </>
              )}
              {(type === 'client_credentials' || type === 'password') &&
                actionButton(
                  'Generate Access Token',
                  () => void getToken('Generate Access Token')(),
                )}
              {result?.refreshToken && actionButton('Refresh Token', () => void refresh(), false)}
              {values.authToken.enabled && actionButton('Get JWT', () => void getJwt(), false)}
              {busy && (
                <Button
                  color="inherit"
                  onClick={() => void call('tokens:cancel', { requestId: busy.requestId })}
                >
                  Cancel
                </Button>
              )}
              {busy && progress && (
                <Typography
                  variant="body2"
                  color="text.secondary"
                  role="status"
                  sx={{ overflowWrap: 'anywhere', flex: 1, minWidth: 200 }}
                >
                  {progress.message}
                  {progress.url && (
                    <>
                      {' — '}
                      <Link href={progress.url} target="_blank" rel="noreferrer">
                        open the sign-in page
                      </Link>
                    </>
                  )}
                </Typography>
              )}
            </Stack>
          </Paper>
          {error && <ErrorAlert error={error} onClose={() => setError(undefined)} />}
          {result && (
            <Paper variant="outlined" sx={{ p: 2 }}>
              <TokenResultView result={result} onInspect={openInInspector} />
            </Paper>
          )}
          <TryApiPanel
            connection={getValues}
            baseUrl={values.api.baseUrl}
            retryCheckLevel={values.api.retryCheckLevel}
          />
        </>
      )}
      <Dialog
        open={leaving !== undefined}
        onClose={() => setLeaving(undefined)}
        aria-labelledby="leave-title"
      >
        <DialogTitle id="leave-title">Leave without saving?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Your changes to this connection are not saved. Discard them, or keep editing.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setLeaving(undefined)}>Keep editing</Button>
          <Button
            color="error"
            onClick={() => {
              const target = leaving as string;
              setLeaving(undefined);
              setNavigationGuard(null);
              void call('drafts:save', { key: draftKey, draft: null }).finally(() =>
                navigate(target),
              );
            }}
          >
            Discard changes
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
