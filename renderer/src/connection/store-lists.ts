/**
 * The keystores, truststores and proxy aliases the dialogs offer, loaded when a dialog first
 * needs them (listing keystores opens every one of them) and shared by every open editor.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { ConnectionSummary, KeystoreSummary } from '../../../shared/contract.js';
import type { ProxyAlias } from '../../../shared/resources.js';
import { call } from '../api.js';

interface Lists {
  keystores: KeystoreSummary[];
  proxies: ProxyAlias[];
  /** Saved connections (a token exchange takes its subject from one). */
  connections: ConnectionSummary[];
  loaded: boolean;
}

let lists: Lists = { keystores: [], proxies: [], connections: [], loaded: false };
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();

function publish(next: Lists): void {
  lists = next;
  for (const l of listeners) l();
}

/**
 * A page's list, freshly loaded (the connections list after a save, an import, a rename or a
 * deletion; the Keystores and Proxies pages after a change): every open editor sees it at once.
 */
export function publishListing(
  channel: 'connections:list' | 'keystores:list' | 'proxies:list' | 'cache:list',
  items: unknown,
): void {
  const key =
    channel === 'connections:list'
      ? 'connections'
      : channel === 'keystores:list'
        ? 'keystores'
        : channel === 'proxies:list'
          ? 'proxies'
          : undefined;
  if (key) publish({ ...lists, [key]: items });
}

/** Loads (again) the lists, e.g. after the Keystores page changed them. */
export function reloadStoreLists(): Promise<void> {
  loading = Promise.all([
    call('keystores:list', {}),
    call('proxies:list', {}),
    call('connections:list', {}),
  ]).then(
    ([keystores, proxies, connections]) =>
      publish({ keystores, proxies, connections, loaded: true }),
    () => publish({ ...lists, loaded: true }),
  );
  return loading;
}

export function useStoreLists(wanted: boolean): Lists {
  const value = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => lists,
  );
  useEffect(() => {
    if (wanted && !loading) void reloadStoreLists();
  }, [wanted]);
  return value;
}
