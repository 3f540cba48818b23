/**
 * The fields that do more than hold a value: the Issuer with Discover, the Redirect URI to copy,
 * x5t with Browse… (CloudStreams seed 004), parameter tables, resource lines, a JWT builder's
 * signing keys, and the check of the client assertion about to be sent.
 */
import { useEffect, useState } from 'react';
import { Controller, useFieldArray, useFormContext, type FieldPath } from 'react-hook-form';
import {
  Alert,
  Box,
  Button,
  IconButton,
  InputAdornment,
  Stack,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import type { Connection } from '../../../shared/connection.js';
import type { ErrorData } from '../../../shared/result.js';
import { call, errorOf, fileToBase64 } from '../api.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { AssertionCheckView } from '../components/TokenResultView.js';
import { SigningKeysPanel } from '../components/ZosSections.js';
import { MONO } from '../theme.js';
import { useEditor } from './editor-context.js';
import { helpOf, textProps, type Field } from './field-spec.js';
import { useFieldId } from './editor-context.js';

type Values = Connection;

export function IssuerField({ field, values }: { field: Field; values: Values }) {
  const idOf = useFieldId();
  const { control, setValue, getValues } = useFormContext<Values>();
  const [outcome, setOutcome] = useState<{ warnings: string[]; url: string } | undefined>();
  const [error, setError] = useState<ErrorData | undefined>();
  const [busy, setBusy] = useState(false);
  const discover = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const out = await call('discovery:run', { connection: getValues() });
      if (out.tokenEndpoint)
        setValue('tokenEndpoint', out.tokenEndpoint, { shouldDirty: true, shouldValidate: true });
      if (out.authorizationEndpoint && 'authorizationEndpoint' in getValues())
        setValue('authorizationEndpoint' as FieldPath<Values>, out.authorizationEndpoint as never, {
          shouldDirty: true,
          shouldValidate: true,
        });
      setOutcome({ warnings: out.warnings, url: out.metadataUrl });
    } catch (e) {
      setError(errorOf(e));
      setOutcome(undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={1}>
      <Controller
        control={control}
        name="issuer"
        render={({ field: f, fieldState }) => (
          <TextField
            {...textProps(f)}
            id={idOf(field.path)}
            label={field.label}
            placeholder={field.placeholder}
            error={Boolean(fieldState.error)}
            helperText={
              fieldState.error?.message ??
              (outcome ? `Endpoints read from ${outcome.url}` : helpOf(field, values))
            }
            slotProps={{
              input: {
                sx: { fontFamily: MONO, fontSize: 12.5 },
                endAdornment: (
                  <InputAdornment position="end">
                    <Button
                      size="small"
                      onClick={() => void discover()}
                      disabled={!values.issuer || busy}
                    >
                      {busy ? 'Discovering…' : 'Discover'}
                    </Button>
                  </InputAdornment>
                ),
              },
            }}
          />
        )}
      />
      {error && <ErrorAlert error={error} onClose={() => setError(undefined)} />}
      {outcome?.warnings.map((w) => (
        <Alert key={w} severity="warning">
          {w}
        </Alert>
      ))}
    </Stack>
  );
}

/** RFC 8252 loopback Redirect URI, as the user registers it at the provider. */
export function redirectUriOf(v: Values): string {
  if (v.type !== 'authorization_code') return '';
  return `${v.redirect.https ? 'https' : 'http'}://${v.redirect.host}:${v.redirect.port || '{any free port}'}${v.redirect.path}`;
}

export function RedirectUriField({ field, values }: { field: Field; values: Values }) {
  const idOf = useFieldId();
  const uri = redirectUriOf(values);
  return (
    <TextField
      id={idOf(field.path)}
      label={field.label}
      value={uri}
      helperText={helpOf(field, values)}
      slotProps={{
        input: {
          readOnly: true,
          sx: { fontFamily: MONO, fontSize: 12.5 },
          endAdornment: (
            <InputAdornment position="end">
              <CopyButton value={uri} label="Redirect URI" />
            </InputAdornment>
          ),
        },
      }}
    />
  );
}

export function X5tField({ field, values }: { field: Field; values: Values }) {
  const idOf = useFieldId();
  const { control, setValue } = useFormContext<Values>();
  const [browsed, setBrowsed] = useState('');
  const [error, setError] = useState<ErrorData | undefined>();
  const browse = async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
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
      setError(errorOf(e));
    }
  };
  return (
    <Stack spacing={1}>
      <Controller
        control={control}
        name="jwt.header.x5t"
        render={({ field: f, fieldState }) => (
          <TextField
            {...textProps(f)}
            id={idOf(field.path)}
            label={field.label}
            error={Boolean(fieldState.error)}
            helperText={fieldState.error?.message ?? (browsed || helpOf(field, values))}
            slotProps={{
              input: {
                sx: { fontFamily: MONO, fontSize: 12.5 },
                endAdornment: (
                  <InputAdornment position="end">
                    <Button size="small" component="label">
                      Browse…
                      <input
                        hidden
                        type="file"
                        accept=".cer,.crt,.pem,.der"
                        aria-label="Certificate for x5t"
                        onChange={(e) => void browse(e.target.files?.[0])}
                      />
                    </Button>
                  </InputAdornment>
                ),
              },
            }}
          />
        )}
      />
      {error && <ErrorAlert error={error} onClose={() => setError(undefined)} />}
    </Stack>
  );
}

type ParamPath = 'params.tokenParams' | 'params.authorizationParams' | 'params.refreshParams';

export function ParamsField({ field }: { field: Field }) {
  const { control } = useFormContext<Values>();
  const name = field.path as ParamPath;
  const { fields, append, remove } = useFieldArray({ control, name });
  return (
    <Box role="group" aria-label={field.label}>
      <Typography variant="body2" sx={{ mb: 1, fontWeight: 500 }}>
        {field.label}
      </Typography>
      <Stack spacing={1}>
        {fields.map((f, i) => (
          <Stack key={f.id} direction="row" spacing={1} alignItems="flex-start">
            <Controller
              control={control}
              name={`${name}.${i}.name` as const}
              render={({ field: nf, fieldState }) => (
                <TextField
                  {...textProps(nf)}
                  label={`Name ${i + 1}`}
                  error={Boolean(fieldState.error)}
                  helperText={fieldState.error?.message}
                  sx={{ flex: 1 }}
                />
              )}
            />
            <Controller
              control={control}
              name={`${name}.${i}.value` as const}
              render={({ field: vf }) => (
                <TextField {...textProps(vf)} label={`Value ${i + 1}`} sx={{ flex: 2 }} />
              )}
            />
            <Tooltip title="Remove">
              <IconButton aria-label={`Remove ${field.label} ${i + 1}`} onClick={() => remove(i)}>
                <DeleteIcon fontSize="small" />
              </IconButton>
            </Tooltip>
          </Stack>
        ))}
        <Box>
          <Button
            size="small"
            startIcon={<AddIcon />}
            onClick={() => append({ name: '', value: '' })}
          >
            Add parameter
          </Button>
        </Box>
      </Stack>
    </Box>
  );
}

export function LinesField({ field, values }: { field: Field; values: Values }) {
  const idOf = useFieldId();
  const { control, formState } = useFormContext<Values>();
  return (
    <Controller
      control={control}
      name={field.path as FieldPath<Values>}
      render={({ field: f, fieldState }) => {
        const lines = (f.value as string[] | undefined) ?? [];
        const itemError = (
          formState.errors.params?.resource as unknown as Array<{ message?: string }> | undefined
        )?.find?.(Boolean)?.message;
        return (
          <TextField
            id={idOf(field.path)}
            label={field.label}
            multiline
            minRows={1}
            value={lines.join('\n')}
            inputRef={f.ref}
            onChange={(e) =>
              f.onChange(
                e.target.value
                  .split('\n')
                  .map((s) => s.trim())
                  .filter((s, i, all) => s !== '' || i === all.length - 1),
              )
            }
            onBlur={() => {
              f.onChange(lines.filter((s) => s !== ''));
              f.onBlur();
            }}
            error={Boolean(fieldState.error) || Boolean(itemError)}
            helperText={fieldState.error?.message ?? itemError ?? helpOf(field, values)}
            slotProps={{ input: { sx: { fontFamily: MONO, fontSize: 12.5 } } }}
          />
        );
      }}
    />
  );
}

export function SigningKeysField({ values }: { values: Values }) {
  const { saves } = useEditor();
  const { builderId, jwkEnabled, keystore, alias } = values.jwt.signing;
  if (!builderId) return null;
  return (
    <SigningKeysPanel
      builderId={builderId}
      generated={jwkEnabled}
      reloadKey={`${keystore}/${alias}/${saves}`}
    />
  );
}

/** The check of a generated or pasted client assertion, shown before Submit Request. */
export function AssertionCheckField({ values }: { values: Values }) {
  const { runner } = useEditor();
  const { getValues } = useFormContext<Values>();
  const assertion = values.type === 'jwt_client_assertion' ? values.clientAssertion : '';
  // What the assertion is checked against: typed after Generate JWT Token in seed 004's order.
  const against = [values.client.id, values.tokenEndpoint, values.issuer].join('\n');
  const { setCheck } = runner;
  useEffect(() => {
    if (!assertion) {
      setCheck(undefined);
      return;
    }
    // Only the newest check is shown: an older answer arriving late is dropped, and a check that
    // cannot be made (a half-typed URL) clears the verdict rather than leave a stale one.
    let current = true;
    const t = setTimeout(() => {
      call('assertions:check', { connection: getValues(), assertion }).then(
        (check) => current && setCheck(check),
        () => current && setCheck(undefined),
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(t);
    };
  }, [assertion, against, getValues, setCheck]);
  const check = runner.state.check;
  return check ? <AssertionCheckView check={check} /> : null;
}
