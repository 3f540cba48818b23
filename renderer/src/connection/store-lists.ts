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
