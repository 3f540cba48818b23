/**
 * The open connections' tabs: a tab list (←/→ move, Delete closes the focused tab, as the
 * ARIA tabs pattern says) and, after it, the active tab's Close button — a real button with
 * its name, reachable with Tab (a button inside a tab, or beside the tabs in the tab list, is
 * not allowed by ARIA). Each tab also has a × for the mouse.
 */
import { Box, IconButton, Tab, Tabs, Tooltip } from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import type { ConnectionType } from '../../../shared/connection.js';
import { TypeIcon } from '../components/TypeIcon.js';
import { shortcutText } from '../shortcuts.js';

export interface EditorTab {
  key: string;
  source: { id: string } | { newType: ConnectionType };
  name: string;
  type: ConnectionType;
  dirty: boolean;
}

export const tabId = (key: string) => `tab-${key}`;
export const tabLabel = (t: EditorTab) => t.name || 'New connection';

export function EditorTabs({
  tabs,
  activeKey,
  onShow,
  onClose,
}: {
  tabs: EditorTab[];
  activeKey: string | undefined;
  onShow: (tab: EditorTab | undefined) => void;
  onClose: (tab: EditorTab) => void;
}) {
  const active = tabs.find((t) => t.key === activeKey);
  return (
    <Box
      sx={{
        display: 'flex',
        alignItems: 'center',
        borderBottom: 1,
        borderColor: 'divider',
        bgcolor: 'background.paper',
      }}
    >
      <Tabs
        value={activeKey ?? false}
        onChange={(_e, key: string) => onShow(tabs.find((t) => t.key === key))}
        variant="scrollable"
        scrollButtons="auto"
        aria-label="Open connections"
        sx={{ minHeight: 38, flex: 1, minWidth: 0 }}
      >
        {tabs.map((t) => (
          <Tab
            key={t.key}
            id={tabId(t.key)}
            value={t.key}
            aria-label={`${tabLabel(t)}${t.dirty ? ' (unsaved changes)' : ''}`}
            onKeyDown={(e) => {
              if (e.key === 'Delete') onClose(t);
            }}
            sx={{ minHeight: 38, py: 0, pr: 0.5, maxWidth: 240 }}
            icon={<TypeIcon type={t.type} />}
            iconPosition="start"
            label={
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, minWidth: 0 }}>
                <Box
                  component="span"
                  sx={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                >
                  {tabLabel(t)}
                </Box>
                {t.dirty && (
                  <Box
                    component="span"
                    aria-hidden
                    sx={{
                      width: 7,
                      height: 7,
                      borderRadius: '50%',
                      bgcolor: 'warning.main',
                      flexShrink: 0,
                    }}
                  />
                )}
                {/* The mouse's ×; the keyboard has Delete, the shortcut and the Close button. */}
                <Box
                  component="span"
                  aria-hidden
                  title={`Close (${shortcutText('closeTab')})`}
                  data-testid={`close-${t.key}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    onClose(t);
                  }}
                  sx={{
                    display: 'inline-flex',
                    p: 0.5,
                    borderRadius: 1,
                    '&:hover': { bgcolor: 'action.hover' },
                  }}
                >
                  <CloseIcon sx={{ fontSize: 16 }} />
                </Box>
              </Box>
            }
          />
        ))}
      </Tabs>
      {active && (
        <Tooltip title={`Close the tab (${shortcutText('closeTab')}, or Delete on the tab)`}>
          <IconButton
            size="small"
            aria-label={`Close ${tabLabel(active)}`}
            onClick={() => onClose(active)}
            sx={{ mx: 0.5 }}
          >
            <CloseIcon fontSize="small" />
          </IconButton>
        </Tooltip>
      )}
    </Box>
  );
}
