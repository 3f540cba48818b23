/**
 * Sends a prepared grant and attaches the checks of what it carried: the assertion, if any, and
 * the binding of the token to the DPoP key or client certificate (`oauth/token-binding.ts`).
 */
import type { TokenResult } from '../../../shared/token-result.js';
import { TokensmithError } from '../errors.js';
import type { FlowContext } from '../oauth/flow-context.js';
import type { ResolvedConnection } from '../oauth/resolve.js';
import { sendTokenRequest } from '../oauth/send.js';
import { withBindingChecks } from '../oauth/token-binding.js';
import { deferredCheck } from './assertions.js';
import { lazyProperty } from '../lazy-property.js';
import { explainProviderError } from '../providers/hints.js';
import type { PreparedGrant } from './grant.js';

export async function runPrepared(
  resolved: ResolvedConnection,
  preparing: Promise<PreparedGrant>,
  ctx: FlowContext,
  label: 'token' | 'refresh' = 'token',
): Promise<TokenResult> {
  const prepared = await preparing;
  const sent = prepared.grantAssertion ?? prepared.clientAuth.assertion;
  // Checked when the check is read (the result's assertion panel, an error's detail).
  const check = sent
    ? await deferredCheck(resolved, sent, prepared.grantAssertion ? 'grant' : 'client_auth')
    : undefined;
  try {
    const result = await withBindingChecks(
      resolved,
      await sendTokenRequest(resolved, prepared, ctx, label),
      ctx,
    );
    if (check) lazyProperty(result, 'assertionCheck', check);
    return result;
  } catch (e) {
    // A provider's documented error names the field that fixes it (its profile, issue 25).
    explainProviderError(resolved.conn, e);
    // A refused assertion is explained by its check: the UI shows it beside the error.
    if (check && e instanceof TokensmithError) {
      const detail = { ...e.detail };
      lazyProperty(detail, 'assertionCheck', check);
      (e as { detail: Record<string, unknown> }).detail = detail;
    }
    throw e;
  }
}
