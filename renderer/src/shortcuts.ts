/**
 * Keyboard shortcuts: one place that says which keys do what, shown in tooltips and menus with
 * the platform's modifier (⌘ on macOS, Ctrl elsewhere).
 *
 * Browsers keep some Ctrl keys for themselves and never pass them to the page (Chrome: Ctrl+N
 * and Ctrl+Shift+N open a window, Ctrl+W closes the tab), so in browser mode those shortcuts
 * are Alt (⌥) + the same letter. In the desktop app New Connection is its File menu's Ctrl+N.
 */
import { useEffect, useRef } from 'react';
import { isDesktop } from './api.js';

const MAC = /Mac|iPhone|iPad/.test(navigator.platform);

interface Shortcut {
  key: string;
  label: string;
  shift?: boolean;
  /** The browser keeps Ctrl+key: browser mode uses Alt+key. */
  browserAlt?: boolean;
  /** The desktop app's menu has this accelerator and runs it; the page does not listen. */
  desktopMenu?: boolean;
}

export const SHORTCUTS = {
  save: { key: 's', label: 'Save' },
  run: { key: 'Enter', label: 'Run the main action' },
  palette: { key: 'k', label: 'Command palette' },
  newConnection: { key: 'n', label: 'New connection', browserAlt: true, desktopMenu: true },
  closeTab: { key: 'w', label: 'Close the tab', browserAlt: true },
} as const satisfies Record<string, Shortcut>;

export type ShortcutName = keyof typeof SHORTCUTS;

const COMMAND_EVENT = 'tokensmith:command';

/** Runs a shortcut's command as if its keys were pressed (the command palette). */
export function runCommand(name: ShortcutName): void {
  window.dispatchEvent(new CustomEvent(COMMAND_EVENT, { detail: name }));
}

const usesAlt = (s: Shortcut) => Boolean(s.browserAlt) && !isDesktop;

/** "Ctrl+S" / "⌘S", "Alt+N" / "⌥N" in browser mode: how a shortcut is written for the user. */
export function shortcutText(name: ShortcutName): string {
  const s: Shortcut = SHORTCUTS[name];
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key;
  if (usesAlt(s)) return MAC ? `⌥${key}` : `Alt+${key}`;
  return MAC ? `${s.shift ? '⇧' : ''}⌘${key}` : `Ctrl+${s.shift ? 'Shift+' : ''}${key}`;
}

export function matches(event: KeyboardEvent, name: ShortcutName): boolean {
  const s: Shortcut = SHORTCUTS[name];
  if (s.desktopMenu && isDesktop) return false;
  if (usesAlt(s))
    // By the key's place: ⌥ + a letter types another character on macOS.
    return (
      event.altKey &&
      !event.ctrlKey &&
      !event.metaKey &&
      !event.shiftKey &&
      event.code === `Key${s.key.toUpperCase()}`
    );
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
