/**
 * Keyboard shortcuts: one place that says which keys do what, shown in tooltips and menus with
 * the platform's modifier (⌘ on macOS, Ctrl elsewhere).
 */
import { useEffect, useRef } from 'react';

const MAC = /Mac|iPhone|iPad/.test(navigator.platform);

export const SHORTCUTS = {
  save: { key: 's', label: 'Save' },
  run: { key: 'Enter', label: 'Run the main action' },
  palette: { key: 'k', label: 'Command palette' },
  newConnection: { key: 'n', label: 'New connection', shift: true },
} as const;

export type ShortcutName = keyof typeof SHORTCUTS;

const COMMAND_EVENT = 'tokensmith:command';

/** Runs a shortcut's command as if its keys were pressed (the command palette). */
export function runCommand(name: ShortcutName): void {
  window.dispatchEvent(new CustomEvent(COMMAND_EVENT, { detail: name }));
}

/** "Ctrl+S" / "⌘S": how a shortcut is written for the user. */
export function shortcutText(name: ShortcutName): string {
  const s: { key: string; shift?: boolean } = SHORTCUTS[name];
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key;
  return MAC ? `${s.shift ? '⇧' : ''}⌘${key}` : `Ctrl+${s.shift ? 'Shift+' : ''}${key}`;
}

export function matches(event: KeyboardEvent, name: ShortcutName): boolean {
  const s: { key: string; shift?: boolean } = SHORTCUTS[name];
  const mod = MAC ? event.metaKey : event.ctrlKey;
  return (
    mod && Boolean(s.shift) === event.shiftKey && event.key.toLowerCase() === s.key.toLowerCase()
  );
}

/**
 * Runs `handler` when the shortcut is pressed while `active` (e.g. the editor in view). The
 * handler is read at key time, so it always sees the current state.
 */
export function useShortcut(name: ShortcutName, handler: () => void, active = true): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (!matches(event, name)) return;
      event.preventDefault();
      ref.current();
    };
    const onCommand = (event: Event) => {
      if ((event as CustomEvent<string>).detail === name) ref.current();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener(COMMAND_EVENT, onCommand);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(COMMAND_EVENT, onCommand);
    };
  }, [name, active]);
}
