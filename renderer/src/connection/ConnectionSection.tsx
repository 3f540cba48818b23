/** The Configure Connection page's first section: Name, Connection Type, Description. */
import { Controller, useFormContext } from 'react-hook-form';
import { ListItemIcon, MenuItem, Paper, TextField } from '@mui/material';
import {
  CONNECTION_TYPES,
  CONNECTION_TYPE_LABELS,
  type Connection,
  type ConnectionType,
} from '../../../shared/connection.js';
import { TypeIcon } from '../components/TypeIcon.js';
import { textProps } from './field-spec.js';
import { useFieldId } from './editor-context.js';

export const CONNECTION_FIELDS = [
  { path: 'name', label: 'Name' },
  { path: 'type', label: 'Connection Type' },
  { path: 'description', label: 'Description' },
] as const;

export function ConnectionSection({
  onTypeChange,
  autoFocus,
}: {
  onTypeChange: (type: ConnectionType) => void;
  /** A new connection starts with its Name. */
  autoFocus: boolean;
}) {
  const idOf = useFieldId();
  const { control } = useFormContext<Connection>();
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label="Connection"
      sx={{
        p: 2,
        display: 'grid',
        gap: 2,
        // Name and Type side by side, Description under them: three in a row cut all three
        // beside the list at 1024 px.
        gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' },
      }}
    >
      <Controller
        control={control}
        name="name"
        render={({ field, fieldState }) => (
          <TextField
            {...textProps(field)}
            id={idOf('name')}
            label="Name"
            autoFocus={autoFocus}
            required
            error={Boolean(fieldState.error)}
            helperText={fieldState.error?.message}
          />
        )}
      />
      <Controller
        control={control}
        name="type"
        render={({ field }) => (
          <TextField
            select
            id={idOf('type')}
            label="Connection Type"
            value={field.value}
            inputRef={field.ref}
            onChange={(e) => onTypeChange(e.target.value as ConnectionType)}
            slotProps={{
              select: { renderValue: (v) => CONNECTION_TYPE_LABELS[v as ConnectionType] },
            }}
          >
            {CONNECTION_TYPES.map((t) => (
              <MenuItem key={t} value={t}>
                <ListItemIcon>
                  <TypeIcon type={t} />
                </ListItemIcon>
                {CONNECTION_TYPE_LABELS[t]}
              </MenuItem>
            ))}
          </TextField>
        )}
      />
      <Controller
        control={control}
        name="description"
        render={({ field }) => (
          <TextField
            {...textProps(field)}
            id={idOf('description')}
            label="Description"
            sx={{ gridColumn: '1 / -1' }}
          />
        )}
      />
    </Paper>
  );
}
