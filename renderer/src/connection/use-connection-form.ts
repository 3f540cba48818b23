/**
 * The form of one connection editor: react-hook-form over the connection model, loaded from the
 * store or a new type's defaults, a draft kept as the user types (restored after a crash or
 * restart), the Connection Type switch, and Save.
 */
import { useCallback, useEffect, useState } from 'react';
import { useForm, type Resolver, type UseFormReturn } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import {
  connectionSchema,
  descriptorOfType,
  newConnection,
  type Connection,
  type ConnectionType,
} from '../../../shared/connection.js';
import type { ErrorData } from '../../../shared/result.js';
import { call, errorOf } from '../api.js';

/** A new connection of a type with every default, and its required fields left empty. */
export function blankConnection(type: ConnectionType): Connection {
  const placeholder = 'https://placeholder.invalid/token';
  const values = connectionSchema.parse({
    ...newConnection(type, { id: crypto.randomUUID(), name: 'x', tokenEndpoint: placeholder }),
    ...(type === 'authorization_code' ? { authorizationEndpoint: placeholder } : {}),
  }) as Record<string, unknown>;
  for (const key of ['name', 'tokenEndpoint', 'authorizationEndpoint'])
    if (key in values) values[key] = '';
  return values as Connection;
}

export interface Loaded {
  /** What the form starts with: the stored connection, with the draft over it if there is one. */
  values: Connection;
  /** The stored connection (or the new one), without any draft. */
  stored: Connection;
  restoredDraft: boolean;
}

/** The stored connection (or a new one) and the draft left of it, if any. */
export async function loadConnection(
  source: { id: string } | { newType: ConnectionType },
  draftKey: string,
): Promise<Loaded> {
  const [base, { draft }] = await Promise.all([
    'id' in source ? call('connections:get', { id: source.id }) : blankConnection(source.newType),
    call('drafts:get', { key: draftKey }),
  ]);
  if (draft && typeof draft === 'object')
    return { values: { ...base, ...(draft as Connection) }, stored: base, restoredDraft: true };
  return { values: base, stored: base, restoredDraft: false };
}

export interface ConnectionForm {
  form: UseFormReturn<Connection>;
  dirty: boolean;
  saving: boolean;
  saveError: ErrorData | undefined;
  setSaveError(error: ErrorData | undefined): void;
  save(): Promise<Connection | undefined>;
  changeType(next: ConnectionType): void;
  discardDraft(): Promise<void>;
}

export function useConnectionForm(
  loaded: Loaded,
  draftKey: string,
  onSaved: (saved: Connection) => void,
  /** What a run put in the form that is not the user's (a generated assertion): not saved. */
  transient?: () => Record<string, string>,
): ConnectionForm {
  const form = useForm<Connection>({
    defaultValues: loaded.values,
    resolver: zodResolver(connectionSchema) as unknown as Resolver<Connection>,
    // Messages once the user saves or runs, then as they fix each field: not while they type.
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { formState, getValues, reset, handleSubmit } = form;
  const [draftRestored, setDraftRestored] = useState(loaded.restoredDraft);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ErrorData | undefined>();
  const dirty = formState.isDirty || draftRestored;

  // Drafts: everything typed survives a crash or a restart.
  useEffect(() => {
    if (!formState.isDirty) return;
    const t = setTimeout(
      () => void call('drafts:save', { key: draftKey, draft: getValues() }).catch(() => undefined),
      400,
    );
    return () => clearTimeout(t);
  });

  const save = useCallback(async () => {
    let saved: Connection | undefined;
    setSaveError(undefined);
    await handleSubmit(
      async (v) => {
        setSaving(true);
        try {
          // A value a run generated is the run's, not the connection's: saving it would send a
          // stale assertion later instead of a fresh one.
          const connection = { ...v } as Record<string, unknown>;
          for (const [key, value] of Object.entries(transient?.() ?? {}))
            if (value && connection[key] === value) connection[key] = '';
          saved = await call('connections:save', { connection });
          await call('drafts:save', { key: draftKey, draft: null });
          reset(saved);
          setDraftRestored(false);
          onSaved(saved);
        } catch (e) {
          setSaveError(errorOf(e));
        } finally {
          setSaving(false);
        }
      },
      () =>
        setSaveError({
          code: 'invalid_input',
          message: 'Some fields need attention before saving.',
        }),
    )();
    return saved;
  }, [handleSubmit, draftKey, reset, onSaved, transient]);

  const changeType = useCallback(
    (next: ConnectionType) => {
      const current = getValues() as unknown as Record<string, unknown>;
      const merged = connectionSchema.safeParse({
        ...descriptorOfType(next).defaults(),
        ...current,
        type: next,
        tokenEndpoint: current.tokenEndpoint || 'https://placeholder.invalid',
        ...(next === 'authorization_code' && !current.authorizationEndpoint
          ? { authorizationEndpoint: 'https://placeholder.invalid' }
          : {}),
      });
      const values = (merged.success ? merged.data : { ...current, type: next }) as Record<
        string,
        unknown
      >;
      if (!current.tokenEndpoint) values.tokenEndpoint = '';
      if (next === 'authorization_code' && !current.authorizationEndpoint)
        values.authorizationEndpoint = '';
      const defaults = descriptorOfType(next).defaults() as { params?: { scope?: string } };
      const params = values.params as { scope: string };
      if (defaults.params?.scope && !params.scope) params.scope = defaults.params.scope;
      reset(values as Connection, { keepDefaultValues: true });
    },
    [getValues, reset],
  );

  const discardDraft = useCallback(async () => {
    await call('drafts:save', { key: draftKey, draft: null });
    reset(loaded.stored);
    setDraftRestored(false);
  }, [draftKey, reset, loaded.stored]);

  return { form, dirty, saving, saveError, setSaveError, save, changeType, discardDraft };
}
