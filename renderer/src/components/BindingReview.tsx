/**
 * The review of what someone else's file would use of the user's (an import, a workspace folder
 * from git): each binding named with its kind and what it would do, ticked one by one.
 */
import type { ReactNode } from 'react';
import { Alert, Box, Checkbox, FormControlLabel, Stack, Typography } from '@mui/material';
import type { ImportBinding } from '../../../shared/transfer.js';

const KIND_LABELS: Record<ImportBinding['kind'], string> = {
  keystore: 'Your keystore',
  truststore: 'Your truststore',
  builder: 'Your generated signing key of JWT builder',
  proxy: 'Your proxy alias',
  env: 'Environment variable',
  keychain: 'Keychain entry',
  path: 'File',
  connection: 'Your connection',
};

export function BindingReview<B extends ImportBinding>({
  bindings,
  confirmed,
  onToggle,
  keyOf = (b) => b.id,
  titleId,
  title,
  children,
}: {
  bindings: B[];
  confirmed: ReadonlySet<string>;
  onToggle: (key: string, on: boolean) => void;
  /** What confirms a binding: its ID (an import) or its digest (a workspace). */
  keyOf?: (b: B) => string;
  titleId: string;
  title: ReactNode;
  /** Why the review is asked for. */
  children: ReactNode;
}) {
  return (
    <Box component="section" aria-labelledby={titleId}>
      <Alert severity="warning" sx={{ mb: 1 }}>
        <Typography id={titleId} variant="subtitle2" component="h3">
          {title}
        </Typography>
        {children}
      </Alert>
      <Stack component="ul" spacing={0.5} sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {bindings.map((b) => (
          <li key={keyOf(b)}>
            <FormControlLabel
              sx={{ alignItems: 'flex-start', m: 0 }}
              control={
                <Checkbox
                  sx={{ pt: 0.25 }}
                  checked={confirmed.has(keyOf(b))}
                  onChange={(e) => onToggle(keyOf(b), e.target.checked)}
                />
              }
              label={
                <Box sx={{ overflowWrap: 'anywhere' }}>
                  <Typography variant="body2" component="span" sx={{ fontWeight: 600 }}>
                    {KIND_LABELS[b.kind]} “{b.name}”
                  </Typography>
                  <Typography variant="body2" color="text.secondary">
                    {b.detail}
                  </Typography>
                </Box>
              }
            />
          </li>
        ))}
      </Stack>
    </Box>
  );
}

/** A toggle of one key in a set, for `onToggle`. */
export const toggled = (was: ReadonlySet<string>, key: string, on: boolean): Set<string> => {
  const next = new Set(was);
  if (on) next.add(key);
  else next.delete(key);
  return next;
};
