/**
 * The folded parts of Configure Connection below Connection Groups: Advanced and z/OS Connect
 * (the type's sections the connection's values show, with their own actions such as Get JWT)
 * and Try API.
 */
import type { Dispatch, SetStateAction } from 'react';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Button,
  CircularProgress,
  Stack,
  Typography,
} from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import type { Connection } from '../../../shared/connection.js';
import type { ActionSpec, SectionSpec } from '../../../shared/connection-types/ui.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { TokenResultView } from '../components/TokenResultView.js';
import { TryApiPanel } from '../components/TryApiPanel.js';
import { openInInspector } from '../navigation.js';
import { useEditor } from './editor-context.js';
import { SectionView, type Section } from './SectionView.js';

export type Fold = 'advanced' | 'zos' | 'tryApi';
const FOLDS: Array<{ level: 'advanced' | 'zos'; title: string }> = [
  { level: 'advanced', title: 'Advanced' },
  { level: 'zos', title: 'z/OS Connect' },
];

export function FoldedSections({
  sections,
  folds,
  onFolds,
  values,
  connection,
  onAction,
}: {
  sections: Record<'advanced' | 'zos', ReadonlyArray<SectionSpec<Connection>>>;
  folds: Set<Fold>;
  onFolds: Dispatch<SetStateAction<Set<Fold>>>;
  values: Connection;
  connection: () => Connection;
  onAction: (action: ActionSpec) => void;
}) {
  const { runner, idPrefix } = useEditor();
  const jwt = runner.state.jwt;
  return (
    <Box>
      {FOLDS.map(({ level, title }) => {
        const shown = sections[level];
        if (shown.length === 0) return null;
        return (
          <Accordion
            key={level}
            variant="outlined"
            expanded={folds.has(level)}
            onChange={(_e, open) =>
              onFolds((f) => {
                const n = new Set(f);
                if (open) n.add(level);
                else n.delete(level);
                return n;
              })
            }
          >
            <AccordionSummary
              expandIcon={<ExpandMoreIcon />}
              // The list of sections is cut with an ellipsis; the title never (no sideways scroll).
              sx={{ '& .MuiAccordionSummary-content': { minWidth: 0, alignItems: 'baseline' } }}
            >
              <Typography sx={{ fontWeight: 600, flexShrink: 0 }}>{title}</Typography>
              <Typography
                variant="body2"
                color="text.secondary"
                sx={{ ml: 1.5, minWidth: 0 }}
                noWrap
              >
                {shown.map((s) => s.title).join(' · ')}
              </Typography>
            </AccordionSummary>
            <AccordionDetails>
              <Stack spacing={2}>
                {shown.map((s) => (
                  <SectionView key={s.id} section={s as Section} values={values}>
                    {s.actions?.length && (s.id !== 'authToken' || values.authToken.enabled) ? (
                      <Stack spacing={1.5} sx={{ mt: 2 }}>
                        <Box>
                          {s.actions.map((a) => (
                            <Button
                              key={a.id}
                              variant="outlined"
                              disabled={Boolean(runner.state.busy)}
                              onClick={() => onAction(a)}
                              startIcon={
                                runner.state.busy?.action.id === a.id ? (
                                  <CircularProgress size={16} color="inherit" aria-hidden />
                                ) : undefined
                              }
                            >
                              {a.label}
                            </Button>
                          ))}
                        </Box>
                        {runner.state.error && runner.state.errorAction?.runs === 'authToken' && (
                          <ErrorAlert error={runner.state.error} onClose={runner.clearError} />
                        )}
                        {jwt && <TokenResultView result={jwt} onInspect={openInInspector} />}
                      </Stack>
                    ) : null}
                  </SectionView>
                ))}
              </Stack>
            </AccordionDetails>
          </Accordion>
        );
      })}
      <Accordion
        variant="outlined"
        expanded={folds.has('tryApi')}
        // Opened, its URL takes the focus and its Send row comes into view (keyboard and 1024 px).
        slotProps={{
          transition: {
            onEntered: (node: HTMLElement) => {
              const input = node.querySelector<HTMLInputElement>('input[name="apiUrl"]');
              input?.focus();
              input?.scrollIntoView({ block: 'center' });
            },
          },
        }}
        onChange={(_e, open) =>
          onFolds((f) => {
            const n = new Set(f);
            if (open) n.add('tryApi');
            else n.delete('tryApi');
            return n;
          })
        }
      >
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>
          <Typography sx={{ fontWeight: 600 }}>Try API</Typography>
          <Typography variant="body2" color="text.secondary" sx={{ ml: 1.5, minWidth: 0 }} noWrap>
            Call an API with this connection’s token
          </Typography>
        </AccordionSummary>
        <AccordionDetails>
          <TryApiPanel
            connection={connection}
            historyKey={values.id || idPrefix}
            baseUrl={values.api.baseUrl}
            retryCheckLevel={values.api.retryCheckLevel}
          />
        </AccordionDetails>
      </Accordion>
    </Box>
  );
}
