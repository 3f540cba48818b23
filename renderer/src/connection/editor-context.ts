/** What the fields of one editor share beyond the form: its flow runner and its save count. */
import { createContext, useContext } from 'react';
import { fieldId } from './field-spec.js';
import type { FlowRunner } from './use-flow-runner.js';

export interface EditorContextValue {
  runner: FlowRunner;
  /** Prefix of this editor's element ids (unique among the open editors). */
  idPrefix: string;
  /** Counts saves: what is published from saved connections (a builder's JWKS) reloads after one. */
  saves: number;
}

export const EditorContext = createContext<EditorContextValue | undefined>(undefined);

/** The id of a field's input in this editor. */
export function useFieldId(): (path: string) => string {
  const { idPrefix } = useEditor();
  return (path) => fieldId(idPrefix, path);
}

export function useEditor(): EditorContextValue {
  const value = useContext(EditorContext);
  if (!value) throw new Error('useEditor outside a connection editor');
  return value;
}
