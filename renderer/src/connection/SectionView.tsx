/**
 * A section of a descriptor (Request Endpoints, SSL Connection, Claims…): its title and its
 * fields in a two-column grid, each shown only when its rule holds for the current values.
 */
import { Box, Paper, Stack, Typography } from '@mui/material';
import type { Connection } from '../../../shared/connection.js';
import type { SectionSpec } from '../../../shared/connection-types/ui.js';
import { useEditor } from './editor-context.js';
import { FieldView } from './FieldView.js';

export type Section = SectionSpec<Connection>;

export function visibleFields(section: Section, values: Connection) {
  return section.fields.filter((f) => f.when?.(values) ?? true);
}

export function sectionShown(section: Section, values: Connection): boolean {
  return (section.when?.(values) ?? true) && visibleFields(section, values).length > 0;
}

export function SectionFields({ section, values }: { section: Section; values: Connection }) {
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: 'minmax(0, 1fr)', sm: 'minmax(0, 1fr) minmax(0, 1fr)' },
        gap: 2,
        alignItems: 'start',
      }}
    >
      {visibleFields(section, values).map((f) => (
        <Box
          key={f.path}
          sx={
            f.full ||
            ['code', 'params', 'signingKeys', 'assertionCheck', 'hint', 'redirectUri'].includes(
              f.kind,
            )
              ? { gridColumn: '1 / -1' }
              : undefined
          }
        >
          <FieldView field={f} values={values} />
        </Box>
      ))}
    </Box>
  );
}

export function SectionView({
  section,
  values,
  children,
}: {
  section: Section;
  values: Connection;
  children?: React.ReactNode;
}) {
  const { idPrefix } = useEditor();
  if (!sectionShown(section, values)) return null;
  const headingId = `${idPrefix}-section-${section.id}`;
  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: 2 }}>
      <Stack direction="row" alignItems="center" sx={{ mb: 1.5 }}>
        <Typography
          id={headingId}
          variant="subtitle2"
          component="h3"
          sx={{ fontWeight: 700, flex: 1 }}
        >
          {section.title}
        </Typography>
      </Stack>
      <SectionFields section={section} values={values} />
      {children}
    </Paper>
  );
}
