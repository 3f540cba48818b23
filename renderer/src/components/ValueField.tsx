import { useState } from 'react';
import { IconButton, InputAdornment, TextField, Tooltip } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import CheckIcon from '@mui/icons-material/Check';
import ErrorOutlineIcon from '@mui/icons-material/ErrorOutline';
import VisibilityIcon from '@mui/icons-material/Visibility';
import VisibilityOffIcon from '@mui/icons-material/VisibilityOff';

/** A read-only value with copy, masked with a reveal button when it is a secret. */
export function ValueField({
  label,
  value,
  secret = false,
  multiline = false,
  onInspect,
}: {
  label: string;
  value: string;
  secret?: boolean;
  multiline?: boolean;
  onInspect?: () => void;
}) {
  const [revealed, setRevealed] = useState(!secret);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const shown = revealed ? value : '•'.repeat(Math.min(24, Math.max(8, value.length)));
  const copyValue = async () => {
    const outcome = await navigator.clipboard.writeText(value).then(
      () => 'copied' as const,
      () => 'failed' as const,
    );
    setCopy(outcome);
    setTimeout(() => setCopy('idle'), outcome === 'failed' ? 4000 : 1200);
  };
  return (
    <TextField
      label={label}
      value={shown}
      fullWidth
      size="small"
      multiline={multiline && revealed}
      maxRows={4}
      slotProps={{
        input: {
          readOnly: true,
          sx: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 13 },
          endAdornment: (
            <InputAdornment position="end">
              {secret && (
                <Tooltip title={revealed ? 'Hide' : 'Reveal'}>
                  <IconButton
                    size="small"
                    aria-label={`${revealed ? 'Hide' : 'Reveal'} ${label}`}
                    onClick={() => setRevealed(!revealed)}
                  >
                    {revealed ? (
                      <VisibilityOffIcon fontSize="small" />
                    ) : (
                      <VisibilityIcon fontSize="small" />
                    )}
                  </IconButton>
                </Tooltip>
              )}
              {onInspect && (
                <Tooltip title="Open in the JWT Inspector">
                  <IconButton size="small" aria-label={`Inspect ${label}`} onClick={onInspect}>
                    <span aria-hidden style={{ fontSize: 13, fontWeight: 700 }}>
                      JWT
                    </span>
                  </IconButton>
                </Tooltip>
              )}
              <Tooltip
                title={
                  copy === 'copied'
                    ? 'Copied'
                    : copy === 'failed'
                      ? 'Copy failed: the clipboard refused the text'
                      : 'Copy'
                }
                open={copy === 'failed' ? true : undefined}
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
            </InputAdornment>
          ),
        },
      }}
    />
  );
}
