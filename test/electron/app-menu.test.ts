/**
 * The application menu per platform and build (electron/app-menu.ts): macOS gets its app menu
 * and Window menu, Windows/Linux keep File → Quit and Help → About, and a packaged build has no
 * developer tools. main-wiring.test.ts checks that main installs this menu.
 */
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate, type MenuActions } from '../../electron/app-menu.js';

function recordingActions() {
  const done: string[] = [];
  const actions: MenuActions = {
    newConnection: () => void done.push('newConnection'),
    importFile: async () => void done.push('importFile'),
    exportFile: async () => void done.push('exportFile'),
    newWorkspace: async () => void done.push('newWorkspace'),
    openWorkspace: async () => void done.push('openWorkspace'),
    closeWorkspace: async () => void done.push('closeWorkspace'),
    about: () => void done.push('about'),
  };
  return { actions, done };
}

/** The menu as text: `label|role` per item, submenus indented, separators as `---`. */
function outline(items: MenuItemConstructorOptions[], depth = 0): string[] {
  return items.flatMap((item) => [
    '  '.repeat(depth) + (item.type === 'separator' ? '---' : (item.label ?? `(${item.role})`)),
    ...(Array.isArray(item.submenu) ? outline(item.submenu, depth + 1) : []),
  ]);
}

function find(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  for (const item of items) {
    if (item.label === label) return item;
    if (Array.isArray(item.submenu)) {
      const found = find(item.submenu, label);
      if (found.label === label) return found;
    }
  }
  return {};
}

describe('application menu', () => {
  it('macOS: app menu first (About, Services, Hide, Quit), File closes the window, Window menu', () => {
    const { actions } = recordingActions();
    expect(
      outline(
        menuTemplate({ platform: 'darwin', isPackaged: true, appName: 'Tokensmith' }, actions),
      ),
    ).toEqual([
      'Tokensmith',
      '  About Tokensmith',
      '  ---',
      '  (services)',
      '  ---',
      '  (hide)',
      '  (hideOthers)',
      '  (unhide)',
      '  ---',
      '  (quit)',
      'File',
      '  New Connection',
      '  Import…',
      '  Export…',
      '  ---',
      '  New Workspace…',
      '  Open Workspace…',
      '  Close Workspace',
      '  ---',
      '  (close)',
      '(editMenu)',
      'View',
      '  (reload)',
      '  ---',
      '  (resetZoom)',
      '  (zoomIn)',
      '  (zoomOut)',
      '  ---',
      '  (togglefullscreen)',
      '(windowMenu)',
    ]);
  });

  it('Windows and Linux: File → Quit, Help → About, no app or Window menu', () => {
    const { actions } = recordingActions();
    for (const platform of ['linux', 'win32'] as const) {
      const lines = outline(
        menuTemplate({ platform, isPackaged: true, appName: 'Tokensmith' }, actions),
      );
      expect(lines.filter((l) => !l.startsWith(' '))).toEqual([
        'File',
        '(editMenu)',
        'View',
        '(help)',
      ]);
      expect(lines.slice(0, 10)).toEqual([
        'File',
        '  New Connection',
        '  Import…',
        '  Export…',
        '  ---',
        '  New Workspace…',
        '  Open Workspace…',
        '  Close Workspace',
        '  ---',
        '  (quit)',
      ]);
      expect(lines.slice(-1)).toEqual(['  About Tokensmith']);
    }
  });

  it('developer tools only in a development build, on every platform', () => {
    const { actions } = recordingActions();
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      const dev = outline(menuTemplate({ platform, isPackaged: false, appName: 'T' }, actions));
      const packaged = outline(menuTemplate({ platform, isPackaged: true, appName: 'T' }, actions));
      expect(dev).toContain('  (toggleDevTools)');
      expect(packaged).not.toContain('  (toggleDevTools)');
    }
  });

  it('items call their actions; accelerators are the usual ones', () => {
    const { actions, done } = recordingActions();
    for (const platform of ['darwin', 'linux'] as const) {
      const menu = menuTemplate({ platform, isPackaged: true, appName: 'Tokensmith' }, actions);
      for (const label of ['New Connection', 'Import…', 'Export…', 'About Tokensmith']) {
        const click = find(menu, label).click as (() => void) | undefined;
        click?.();
      }
      expect(find(menu, 'New Connection').accelerator).toBe('CmdOrCtrl+N');
      expect(find(menu, 'Import…').accelerator).toBe('CmdOrCtrl+O');
      expect(find(menu, 'Export…').accelerator).toBe('CmdOrCtrl+E');
    }
    expect(done).toEqual([
      ...['newConnection', 'importFile', 'exportFile', 'about'],
      ...['newConnection', 'importFile', 'exportFile', 'about'],
    ]);
  });
});
