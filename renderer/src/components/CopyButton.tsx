/** Copies a value; says "Copied", or that the clipboard refused it (never claims a copy it did not make). */
import { useState } from 'react';
import { IconButton, Tooltip } from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import ErrorOutlineIcon from '@mui/icons-material/ErrorOutline';

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copyValue = async () => {
    const outcome = await navigator.clipboard.writeText(value).then(
      () => 'copied' as const,
      () => 'failed' as const,
    );
    setCopy(outcome);
    setTimeout(() => setCopy('idle'), outcome === 'failed' ? 4000 : 1200);
  };
  return (
    <Tooltip
      title={
        copy === 'copied'
          ? 'Copied'
          : copy === 'failed'
            ? 'Copy failed: the clipboard refused the text'
            : `Copy ${label}`
      }
      open={copy === 'idle' ? undefined : true}
    >
      <IconButton
        size="small"
        aria-label={`Copy ${label}`}
        color={copy === 'failed' ? 'error' : 'default'}
        onClick={() => void copyValue()}
      >
        {copy === 'copied' ? (
          <CheckIcon fontSize="small" />
        ) : copy === 'failed' ? (
          <ErrorOutlineIcon fontSize="small" />
        ) : (
          <ContentCopyIcon fontSize="small" />
        )}
      </IconButton>
    </Tooltip>
  );
}
