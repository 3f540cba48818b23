import { useState } from 'react';
import { IconButton, InputAdornment, TextField, Tooltip } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import CheckIcon from '@mui/icons-material/Check';
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
  const [copied, setCopied] = useState(false);
  const shown = revealed ? value : '•'.repeat(Math.min(24, Math.max(8, value.length)));
  const copy = async () => {
    await navigator.clipboard.writeText(value).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1200);
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
              <Tooltip title={copied ? 'Copied' : 'Copy'}>
                <IconButton size="small" aria-label={`Copy ${label}`} onClick={() => void copy()}>
                  {copied ? <CheckIcon fontSize="small" /> : <ContentCopyIcon fontSize="small" />}
                </IconButton>
              </Tooltip>
            </InputAdornment>
          ),
        },
      }}
    />
  );
}
