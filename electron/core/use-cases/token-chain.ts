/**
 * Chained tokens for a token exchange (RFC 8693): another saved connection's current token, by
 * name, obtained as `tokensmith token` would (from the cache while good, refreshed, or anew) with
 * the same cache settings and the same cancel signal. A chain that loops, or runs deeper than
 * a few hops, is refused with the chain named.
 */
import { TokensmithError } from '../errors.js';
import type { ChainedToken, FlowContext } from '../oauth/flow-context.js';
import { obtainToken, type ObtainTokenOptions, type TokenSource } from '../token-service.js';
import { connectionByName } from './connections.js';
import { resolved, type Session } from './session.js';

/** The most connections one exchange may chain through (its own included). */
export const MAX_CHAIN = 8;

/**
 * `ctx` with `tokenOf` over the session's store; `visiting`: the connections on the way here;
 * `onObtained`: told where each upstream token came from (the caller saves a changed cache).
 */
export function withTokenChain(
  session: Session,
  ctx: FlowContext,
  options: ObtainTokenOptions,
  visiting: readonly string[],
  onObtained?: (source: TokenSource) => void,
): FlowContext {
  const asked = new Map<string, Promise<ChainedToken>>();
  const tokenOf = (name: string): Promise<ChainedToken> => {
    let pending = asked.get(name);
    if (!pending) {
      pending = obtain(name);
      asked.set(name, pending);
      pending.catch(() => asked.delete(name));
    }
    return pending;
  };
  const obtain = async (name: string): Promise<ChainedToken> => {
    const path = [...visiting, name];
    if (visiting.includes(name))
      throw new TokensmithError(
        'invalid_input',
        `The token exchange chain loops: ${path.join(' → ')}.`,
      );
    if (path.length > MAX_CHAIN)
      throw new TokensmithError(
        'invalid_input',
        `The token exchange chain is longer than ${MAX_CHAIN} connections: ${path.join(' → ')}.`,
      );
    const conn = resolved(session, connectionByName(await session.workspace.store.read(), name));
    ctx.onProgress?.({ step: 'chain', message: `Getting the token of "${name}"` });
    const nested = withTokenChain(session, ctx, options, path, onObtained);
    const { result, source } = await obtainToken(conn, nested, options);
    onObtained?.(source);
    return { result, source };
  };
  return { ...ctx, tokenOf };
}
