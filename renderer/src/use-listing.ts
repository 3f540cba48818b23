/**
 * A page's list from the core: loaded on mount, reloaded after each action, with the error of
 * the last load or action.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ChannelRequest, ChannelResponse } from '../../shared/contract.js';
import type { ErrorData } from '../../shared/result.js';
import { call, errorOf } from './api.js';
import { publishListing } from './connection/store-lists.js';

type ListChannel = 'connections:list' | 'keystores:list' | 'proxies:list' | 'cache:list';

export function useListing<C extends ListChannel>(channel: C) {
  const [items, setItems] = useState<ChannelResponse<C> | undefined>();
  const [error, setError] = useState<ErrorData | undefined>();
  const reload = useCallback(() => {
    call(channel, {} as ChannelRequest<C>).then(setItems, (e: unknown) => setError(errorOf(e)));
  }, [channel]);
  useEffect(reload, [reload]);
  // What the editors offer (subject connections, keystores, proxies) follows at once.
  useEffect(() => {
    if (items) publishListing(channel, items);
  }, [channel, items]);
  /** Runs an action, shows its failure, and reloads the list either way. */
  const act = useCallback(
    async (fn: () => Promise<unknown>) => {
      setError(undefined);
      try {
        await fn();
      } catch (e) {
        setError(errorOf(e));
      }
      reload();
    },
    [reload],
  );
  return { items, error, setError, reload, act };
}
