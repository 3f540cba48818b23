import { useState } from 'react';
import { IconButton, InputAdornment, TextField, Tooltip } from '@mui/material';
import InspectIcon from '@mui/icons-material/ManageSearch';
import VisibilityIcon from '@mui/icons-material/Visibility';
import VisibilityOffIcon from '@mui/icons-material/VisibilityOff';
import { MONO } from '../theme.js';
import { CopyButton } from './CopyButton.js';

/** What a hidden value shows: always the same width, so it says nothing of the value's length. */
export const HIDDEN = '••••••••••••••••';

/** A read-only value with copy, hidden with a reveal button when it is a secret. */
export function ValueField({
  label,
  value,
  secret = false,
  multiline = false,
  onInspect,
  helperText,
}: {
  label: string;
  value: string;
  secret?: boolean;
  multiline?: boolean;
  onInspect?: () => void;
  helperText?: string;
}) {
  const [revealed, setRevealed] = useState(!secret);
  return (
    <TextField
      label={label}
      value={revealed ? value : HIDDEN}
      multiline={multiline && revealed}
      maxRows={4}
      helperText={helperText}
      slotProps={{
        input: {
          readOnly: true,
          sx: { fontFamily: MONO, fontSize: 12.5 },
          endAdornment: (
            <InputAdornment position="end">
              {secret && (
                <Tooltip title={revealed ? `Hide ${label}` : `Reveal ${label}`}>
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
                    <InspectIcon fontSize="small" />
                  </IconButton>
                </Tooltip>
              )}
              <CopyButton value={value} label={label} />
            </InputAdornment>
          ),
        },
      }}
    />
  );
}
