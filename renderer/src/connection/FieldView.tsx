/**
 * One field of a descriptor's section, drawn by its kind: the plain inputs here, the ones with
 * behaviour of their own (Discover, Browse…, the Redirect URI, parameter tables, the signing
 * keys, the assertion check) in ./special-fields.tsx. Every field is a controlled input bound
 * to the editor's form by its path, with its label and its message from the model.
 */
import { useEffect, useState } from 'react';
import { Controller, useFormContext, type FieldPath } from 'react-hook-form';
import {
  Box,
  FormControlLabel,
  FormHelperText,
  IconButton,
  InputAdornment,
  MenuItem,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import VisibilityIcon from '@mui/icons-material/Visibility';
import VisibilityOffIcon from '@mui/icons-material/VisibilityOff';
import type { Connection } from '../../../shared/connection.js';
import type { FieldOption } from '../../../shared/connection-types/ui.js';
import { helpOf, textProps, type Field } from './field-spec.js';
import { useFieldId } from './editor-context.js';
import { MONO } from '../theme.js';
import { useStoreLists } from './store-lists.js';
import { DeviceAuthorizationField } from './DeviceAuthorization.js';
import {
  AssertionCheckField,
  IssuerField,
  LinesField,
  ParamsField,
  RedirectUriField,
  SigningKeysField,
  X5tField,
} from './special-fields.js';

type Values = Connection;

function useOptions(field: Field, values: Values): FieldOption[] {
  const source = typeof field.options === 'string' ? field.options : undefined;
  const { keystores, proxies, connections } = useStoreLists(source !== undefined);
  if (Array.isArray(field.options)) return [...(field.options as FieldOption[])];
  const none = { value: '', label: '(none)' };
  const aliasesOf = (name: string) => keystores.find((k) => k.name === name)?.aliases ?? [];
  switch (source) {
    case 'keystores':
      return [
        none,
        ...keystores
          .filter((k) => k.purpose === 'keystore')
          .map((k) => ({ value: k.name, label: k.name })),
      ];
    case 'stores':
      return [
        none,
        ...keystores.map((k) => ({ value: k.name, label: `${k.name} (${k.purpose})` })),
      ];
    case 'sslKeyAliases':
      return [
        none,
        ...aliasesOf(values.ssl.keystoreAlias)
          .filter((a) => a.hasPrivateKey)
          .map((a) => ({ value: a.alias, label: a.alias })),
      ];
    case 'signingAliases':
      return [
        none,
        ...aliasesOf(values.jwt.signing.keystore).map((a) => ({
          value: a.alias,
          label: `${a.alias}${a.certificate ? ` — ${a.certificate.subject}` : ''}${a.hasPrivateKey ? '' : ' (no key)'}`,
        })),
      ];
    case 'proxies':
      return [
        none,
        ...proxies.map((p) => ({ value: p.name, label: `${p.name} (${p.host}:${p.port})` })),
      ];
    case 'dpopKeyAliases':
      return [
        none,
        ...aliasesOf(values.dpop.keystore)
          .filter((a) => a.hasPrivateKey)
          .map((a) => ({ value: a.alias, label: a.alias })),
      ];
    case 'connections':
      return [
        none,
        ...connections
          .filter((c) => c.id !== values.id)
          .map((c) => ({ value: c.name, label: c.name })),
      ];
    default:
      return [];
  }
}

/**
 * The Signing Alias follows the Keystore Name (CloudStreams: "auto-populated based on the
 * keystore selected"): with one key in the keystore it is chosen; an alias the keystore does not
 * have is cleared.
 */
function useAutoAlias(field: Field, values: Values, options: FieldOption[]): void {
  const { setValue } = useFormContext<Values>();
  const keystore = values.jwt.signing.keystore;
  const alias = values.jwt.signing.alias;
  const { keystores, loaded } = useStoreLists(field.options === 'signingAliases');
  useEffect(() => {
    if (field.options !== 'signingAliases' || !loaded || !keystore) return;
    const withKeys = (keystores.find((k) => k.name === keystore)?.aliases ?? []).filter(
      (a) => a.hasPrivateKey,
    );
    const known = options.some((o) => o.value === alias && alias !== '');
    if (!known && withKeys.length === 1 && withKeys[0]!.alias !== alias)
      setValue('jwt.signing.alias', withKeys[0]!.alias, { shouldDirty: true });
    else if (!known && alias) setValue('jwt.signing.alias', '', { shouldDirty: true });
  }, [field.options, loaded, keystore, alias, keystores, options, setValue]);
}

function SelectField({ field, values }: { field: Field; values: Values }) {
  const idOf = useFieldId();
  const { control } = useFormContext<Values>();
  const options = useOptions(field, values);
  useAutoAlias(field, values, options);
  const empty = typeof field.options === 'string' && options.length <= 1;
  return (
    <Controller
      control={control}
      name={field.path as FieldPath<Values>}
      render={({ field: f, fieldState }) => {
        const value = f.value === undefined || f.value === null ? '' : String(f.value);
        const known = options.some((o) => o.value === value);
        return (
          <TextField
            select
            id={idOf(field.path)}
            label={field.label}
            value={value}
            onChange={(e) =>
              f.onChange(typeof f.value === 'number' ? Number(e.target.value) : e.target.value)
            }
            onBlur={f.onBlur}
            inputRef={f.ref}
            required={field.required}
            slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
            error={Boolean(fieldState.error)}
            helperText={
              fieldState.error?.message ??
              (empty && field.options === 'keystores'
                ? 'No keystores yet: add one under Keystores.'
                : empty && field.options === 'proxies'
                  ? 'No proxy aliases yet: add one under Proxies.'
                  : helpOf(field, values))
            }
          >
            {!known && value !== '' && <MenuItem value={value}>{value} (not found)</MenuItem>}
            {options.map((o) => (
              <MenuItem key={o.value} value={o.value}>
                {o.label}
              </MenuItem>
            ))}
          </TextField>
        );
      }}
    />
  );
}

function SecretInput({ field, values }: { field: Field; values: Values }) {
  const idOf = useFieldId();
  const { control } = useFormContext<Values>();
  const [shown, setShown] = useState(false);
  return (
    <Controller
      control={control}
      name={field.path as FieldPath<Values>}
      render={({ field: f, fieldState }) => (
        <TextField
          {...textProps(f)}
          id={idOf(field.path)}
          value={(f.value as string | undefined) ?? ''}
          label={field.label}
          type={shown ? 'text' : 'password'}
          autoComplete="off"
          required={field.required}
          error={Boolean(fieldState.error)}
          helperText={fieldState.error?.message ?? helpOf(field, values)}
          slotProps={{
            input: {
              sx: { fontFamily: MONO },
              endAdornment: (
                <InputAdornment position="end">
                  <IconButton
                    size="small"
                    aria-label={`${shown ? 'Hide' : 'Show'} ${field.label}`}
                    onClick={() => setShown(!shown)}
                    edge="end"
                  >
                    {shown ? (
                      <VisibilityOffIcon fontSize="small" />
                    ) : (
                      <VisibilityIcon fontSize="small" />
                    )}
                  </IconButton>
                </InputAdornment>
              ),
            },
          }}
        />
      )}
    />
  );
}

function TextInput({ field, values }: { field: Field; values: Values }) {
  const idOf = useFieldId();
  const { control } = useFormContext<Values>();
  const code = field.kind === 'code';
  return (
    <Controller
      control={control}
      name={field.path as FieldPath<Values>}
      render={({ field: f, fieldState }) => (
        <TextField
          {...textProps(f)}
          id={idOf(field.path)}
          value={(f.value as string | number | undefined) ?? ''}
          onChange={(e) =>
            f.onChange(
              field.kind === 'number' && e.target.value !== ''
                ? Number(e.target.value)
                : e.target.value,
            )
          }
          label={field.label}
          type={field.kind === 'number' ? 'number' : field.kind === 'url' ? 'url' : 'text'}
          required={field.required}
          placeholder={field.placeholder}
          multiline={code}
          minRows={code ? 2 : undefined}
          maxRows={code ? 8 : undefined}
          error={Boolean(fieldState.error)}
          helperText={fieldState.error?.message ?? helpOf(field, values)}
          slotProps={
            code || field.kind === 'url'
              ? { input: { sx: { fontFamily: MONO, fontSize: 12.5 } } }
              : {}
          }
        />
      )}
    />
  );
}

function SwitchInput({ field, values }: { field: Field; values: Values }) {
  const idOf = useFieldId();
  const { control } = useFormContext<Values>();
  const help = helpOf(field, values);
  const helpId = `${idOf(field.path)}-help`;
  return (
    <Controller
      control={control}
      name={field.path as FieldPath<Values>}
      render={({ field: f }) => (
        <Box>
          <FormControlLabel
            control={
              <Switch
                id={idOf(field.path)}
                checked={Boolean(f.value)}
                onChange={(e) => f.onChange(e.target.checked)}
                inputRef={f.ref}
                slotProps={{ input: help ? { 'aria-describedby': helpId } : {} }}
              />
            }
            label={field.label}
          />
          {help && (
            <FormHelperText id={helpId} sx={{ mt: -0.5, ml: 6 }}>
              {help}
            </FormHelperText>
          )}
        </Box>
      )}
    />
  );
}

/** A field of any kind, for the current values. */
export function FieldView({ field, values }: { field: Field; values: Values }) {
  switch (field.kind) {
    case 'text':
    case 'url':
    case 'number':
    case 'code':
      return <TextInput field={field} values={values} />;
    case 'secret':
      return <SecretInput field={field} values={values} />;
    case 'select':
      return <SelectField field={field} values={values} />;
    case 'switch':
      return <SwitchInput field={field} values={values} />;
    case 'lines':
      return <LinesField field={field} values={values} />;
    case 'params':
      return <ParamsField field={field} />;
    case 'issuer':
      return <IssuerField field={field} values={values} />;
    case 'redirectUri':
      return <RedirectUriField field={field} values={values} />;
    case 'x5t':
      return <X5tField field={field} values={values} />;
    case 'signingKeys':
      return <SigningKeysField values={values} />;
    case 'assertionCheck':
      return <AssertionCheckField values={values} />;
    case 'deviceAuthorization':
      return <DeviceAuthorizationField />;
    case 'hint':
      return (
        <Typography variant="body2" color="text.secondary">
          {field.label}
        </Typography>
      );
  }
}
