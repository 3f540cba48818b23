/**
 * Configure Connection (CloudStreams seed 004), drawn from the connection type's descriptor:
 * Name, Connection Type and Description; "Connection Groups: OAuth v2.0 (<flow>)" with the token
 * fields and Generate Access Token, which opens the flow's dialog; Advanced and z/OS Connect
 * folded below; Try API. Ctrl/⌘+S saves, Ctrl/⌘+Enter runs the flow.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { FormProvider, useWatch, type FieldPath } from 'react-hook-form';
import { Alert, Box, Button, CircularProgress, Stack, Tooltip, Typography } from '@mui/material';
import {
  descriptorOf,
  otherStepsFields,
  prerequisitesOf,
  suggestedName,
  type Connection,
  type ConnectionType,
} from '../../../shared/connection.js';
import { ACTIONS, type ActionSpec } from '../../../shared/connection-types/ui.js';
import { call, errorOf } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { TypeIcon } from '../components/TypeIcon.js';
import { shortcutText, useShortcut } from '../shortcuts.js';
import { ConnectionGroups } from './ConnectionGroups.js';
import { ConnectionSection, CONNECTION_FIELDS } from './ConnectionSection.js';
import { EditorContext } from './editor-context.js';
import { fieldId } from './field-spec.js';
import { FlowDialog, type OutsideError } from './FlowDialog.js';
import { FoldedSections, type Fold } from './FoldedSections.js';
import { errorMessages, firstError } from './form-errors.js';
import { sectionShown, type Section } from './SectionView.js';
import { loadConnection, useConnectionForm, type Loaded } from './use-connection-form.js';
import { useFlowRunner } from './use-flow-runner.js';
import { useStoreLists } from './store-lists.js';

export interface EditorProps {
  /** The tab this editor lives in: the callbacks say which one they are about. */
  tabKey: string;
  source: { id: string } | { newType: ConnectionType };
  /** Stable for the editor's life (the tab's key). */
  draftKey: string;
  active: boolean;
  onSaved(tabKey: string, saved: Connection): void;
  onState(tabKey: string, state: { dirty: boolean; name: string; type: ConnectionType }): void;
  /** A request ended: the list's status of this connection may have changed. */
  onActivity(): void;
}

export function ConnectionEditor(props: EditorProps) {
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [error, setError] = useState<ReturnType<typeof errorOf> | undefined>();
  // Loaded once per tab: after the first save the source becomes the new ID, the form stays.
  useEffect(() => {
    let cancelled = false;
    loadConnection(props.source, props.draftKey).then(
      (l) => !cancelled && setLoaded(l),
      (e: unknown) => !cancelled && setError(errorOf(e)),
    );
    return () => {
      cancelled = true;
    };
  }, []);
  if (error) return <ErrorAlert error={error} />;
  if (!loaded)
    return (
      <Box sx={{ p: 3 }}>
        <CircularProgress aria-label="Loading" size={24} />
      </Box>
    );
  return <EditorBody {...props} loaded={loaded} />;
}

function EditorBody({
  tabKey,
  source,
  loaded,
  draftKey,
  active,
  onSaved,
  onState,
  onActivity,
}: EditorProps & { loaded: Loaded }) {
  const [saves, setSaves] = useState(0);
  const handleSaved = useCallback(
    (saved: Connection) => {
      setSaves((n) => n + 1);
      onSaved(tabKey, saved);
    },
    [onSaved, tabKey],
  );
  // The assertion Generate JWT Token put in the form: shown and submitted, never saved.
  const generated = useRef('');
  const transient = useCallback(() => ({ clientAssertion: generated.current }), []);
  const { form, dirty, saving, saveError, setSaveError, save, changeType, discardDraft } =
    useConnectionForm(loaded, draftKey, handleSaved, transient);
  const { control, getValues, setValue, setFocus, trigger, formState } = form;
  const values = useWatch({ control }) as Connection;
  const descriptor = descriptorOf(values);
  const lists = useStoreLists(false);
  const onAssertion = useCallback(
    (jwt: string) => {
      // A run is not an edit: the field shows the result without making the tab unsaved.
      generated.current = jwt;
      form.resetField('clientAssertion' as FieldPath<Connection>, { defaultValue: jwt as never });
      // Step 2 starts with the generated assertion: bring it into view.
      document
        .getElementById(fieldId(tabKey, 'clientAssertion'))
        ?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    },
    [form, tabKey],
  );
  const runner = useFlowRunner(onAssertion);
  const { setLast } = runner;
  // The token set kept with a saved connection: Connection Groups shows it until a new one comes.
  const savedId = 'id' in source ? source.id : undefined;
  useEffect(() => {
    if (!savedId) return;
    let cancelled = false;
    call('tokens:last', { connectionId: savedId }).then(
      (last) => !cancelled && setLast(last ?? undefined),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [savedId, setLast]);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [outsideError, setOutsideError] = useState<OutsideError | undefined>();
  const [folds, setFolds] = useState<Set<Fold>>(new Set());
  const [justSaved, setJustSaved] = useState(false);
  const focusAfter = useRef<string | undefined>(undefined);

  useEffect(
    () => onState(tabKey, { dirty, name: values.name, type: values.type }),
    [dirty, values.name, values.type, onState, tabKey],
  );
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  useEffect(() => {
    if (formState.isDirty) setJustSaved(false);
  }, [formState.isDirty]);
  // A message about the last save is about the values then: any change makes it stale.
  useEffect(() => {
    const sub = form.watch(() => setSaveError(undefined));
    return () => sub.unsubscribe();
  }, [form, setSaveError]);
  // Focus a field once the part of the page that holds it has rendered.
  useEffect(() => {
    const path = focusAfter.current;
    if (!path) return;
    // Kept until it is done: a render in between (the run ending) schedules it again.
    const t = setTimeout(() => {
      focusAfter.current = undefined;
      setFocus(path as FieldPath<Connection>);
      const el = document.getElementById(fieldId(tabKey, path));
      if (el && el !== document.activeElement) el.focus();
      el?.scrollIntoView({ block: 'center' });
    }, 50);
    return () => clearTimeout(t);
  });

  /** Where each field lives, in the order the user sees them. */
  const places = useMemo(() => {
    const out: Array<{ path: string; where: 'page' | 'dialog' | Fold; label: string }> = [];
    for (const f of CONNECTION_FIELDS) out.push({ path: f.path, where: 'page', label: f.label });
    for (const step of descriptor.ui.steps)
      for (const s of step.sections)
        for (const f of s.fields)
          out.push({ path: f.path, where: 'dialog', label: `${s.title} → ${f.label}` });
    for (const s of descriptor.ui.advanced)
      for (const f of s.fields)
        out.push({
          path: f.path,
          where: s.level === 'zos' ? 'zos' : 'advanced',
          label: `${s.title} → ${f.label}`,
        });
    return out;
  }, [descriptor]);

  const reveal = useCallback(
    (path: string) => {
      const place = places.find((p) => p.path === path);
      setOutsideError(undefined);
      if (place?.where === 'dialog') setDialogOpen(true);
      else {
        setDialogOpen(false);
        if (place && place.where !== 'page') setFolds((f) => new Set(f).add(place.where as Fold));
      }
      focusAfter.current = path;
    },
    [places],
  );

  // A refusal of the engine about a field (an assertion without aud…) goes on that field too.
  const refused = runner.state.error;
  useEffect(() => {
    const place = places.find((p) => p.path === refused?.field);
    if (!place || !refused) return;
    form.setError(place.path as FieldPath<Connection>, {
      type: 'engine',
      message: refused.message,
    });
    // Outside the open dialog the refusal's own alert says it (and the field shows it later).
    if (place.where === 'dialog' || !dialogOpen) reveal(place.path);
  }, [refused, places, form, reveal]);

  /** Validates, then runs; an invalid field is shown where it is. */
  const runAction = useCallback(
    async (action: ActionSpec) => {
      setOutsideError(undefined);
      runner.clearError();
      // The seeds never ask for a name: a new connection gets one it can be saved under.
      if (!getValues().name.trim())
        setValue(
          'name',
          suggestedName(
            getValues(),
            lists.connections.map((c) => c.name),
          ),
          { shouldDirty: true },
        );
      // A step's own button needs only that step (seed 004: Generate JWT Token before the Token
      // Endpoint and Client ID of step 2): it checks the fields outside the other steps, and does
      // not mark the form submitted (which would show step 2's refusals before the user is there).
      const elsewhere = otherStepsFields(descriptor.type, action.id);
      let valid = false;
      if (elsewhere.size > 0)
        valid = await trigger(
          places.map((p) => p.path).filter((p) => !elsewhere.has(p)) as FieldPath<Connection>[],
        );
      else
        await form.handleSubmit(() => {
          valid = true;
        })();
      let first = valid
        ? undefined
        : firstError(
            errorMessages(form.formState.errors),
            places.map((p) => p.path),
          );
      // What the grant needs before it runs (a secret for client credentials…), on its field.
      const [missing] = valid && action.runs === 'token' ? prerequisitesOf(getValues()) : [];
      if (missing) {
        form.setError(missing.field as FieldPath<Connection>, {
          type: 'prerequisite',
          message: missing.message,
        });
        first = { path: missing.field, message: missing.message };
      }
      if (!valid || missing) {
        const place = places.find((p) => p.path === first?.path);
        if (first && place?.where !== 'dialog' && dialogOpen)
          setOutsideError({
            path: first.path,
            message: first.message,
            where: place?.label ?? first.path,
          });
        else if (first) reveal(first.path);
        return;
      }
      const ok = await runner.run(action, getValues());
      onActivity();
      if (ok && action.runs === 'token') setDialogOpen(false);
    },
    [
      runner,
      descriptor,
      trigger,
      form.formState,
      places,
      dialogOpen,
      reveal,
      getValues,
      setValue,
      lists.connections,
      onActivity,
    ],
  );

  /** Saves; a field the model refuses is shown where it lives, focused, with its message. */
  const saveAndShow = useCallback(async () => {
    const saved = await save();
    if (saved) setJustSaved(true);
    else {
      const first = firstError(
        errorMessages(form.formState.errors),
        places.map((p) => p.path),
      );
      if (first) reveal(first.path);
    }
  }, [save, form.formState, places, reveal]);

  const mainAction = descriptor.ui.steps[descriptor.ui.steps.length - 1]?.action;
  useShortcut('save', () => void saveAndShow(), active);
  useShortcut(
    'run',
    () => {
      if (!mainAction || runner.state.busy) return;
      setDialogOpen(true);
      void runAction(mainAction);
    },
    active,
  );

  const folded = (level: 'advanced' | 'zos') =>
    descriptor.ui.advanced.filter((s) => s.level === level && sectionShown(s as Section, values));

  return (
    <FormProvider {...form}>
      <EditorContext.Provider value={{ runner, saves, idPrefix: tabKey }}>
        <Stack
          spacing={2}
          sx={{ p: { xs: 1.5, md: 2.5 }, maxWidth: 1120, mx: 'auto' }}
          component="form"
          noValidate
          onSubmit={(e) => e.preventDefault()}
          aria-label="Configure Connection"
        >
          <Stack direction="row" spacing={1.5} alignItems="center">
            <TypeIcon type={values.type} color="action" />
            <Box sx={{ flex: 1, minWidth: 0 }}>
              <Typography variant="h6" component="h1" noWrap title={values.name}>
                Configure Connection{values.name ? `: ${values.name}` : ''}
              </Typography>
              <Typography variant="body2" color="text.secondary" role="status">
                {descriptor.label}
                {dirty ? ' · unsaved changes' : justSaved ? ' · saved' : ''}
              </Typography>
            </Box>
            <Tooltip title={`Save (${shortcutText('save')})`}>
              <span>
                <Button
                  variant={dirty ? 'contained' : 'outlined'}
                  disabled={saving || Boolean(runner.state.busy)}
                  onClick={() => void saveAndShow()}
                  sx={{ minWidth: 96 }}
                >
                  Save
                </Button>
              </span>
            </Tooltip>
          </Stack>
          {loaded.restoredDraft && dirty && (
            <Alert
              severity="info"
              action={
                <Button color="inherit" size="small" onClick={() => void discardDraft()}>
                  Discard draft
                </Button>
              }
            >
              Unsaved changes from your last session were restored.
            </Alert>
          )}
          {saveError && <ErrorAlert error={saveError} onClose={() => setSaveError(undefined)} />}
          <ConnectionSection
            autoFocus={'newType' in source}
            onTypeChange={(t) => {
              changeType(t);
              runner.setResult(undefined);
              runner.setLast(undefined);
              runner.setCheck(undefined);
            }}
          />
          <ConnectionGroups
            descriptor={descriptor}
            runner={runner}
            connection={getValues}
            onGenerate={() => setDialogOpen(true)}
            onRefresh={() => void runner.run(ACTIONS.refresh, getValues())}
          />
          <FoldedSections
            sections={{ advanced: folded('advanced'), zos: folded('zos') }}
            folds={folds}
            onFolds={setFolds}
            values={values}
            connection={getValues}
            onAction={(a) => void runAction(a)}
          />
        </Stack>
        <FlowDialog
          open={dialogOpen}
          descriptor={descriptor}
          runner={runner}
          outsideError={outsideError}
          onRun={(a) => void runAction(a)}
          onClose={() => {
            setDialogOpen(false);
            setOutsideError(undefined);
          }}
          onReveal={reveal}
        />
      </EditorContext.Provider>
    </FormProvider>
  );
}
