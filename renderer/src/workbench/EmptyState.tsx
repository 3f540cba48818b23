/** What the editor area says when no connection is open: what to do first. */
import { Box, Button, Paper, Stack, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import UploadIcon from '@mui/icons-material/FileUploadOutlined';
import ScienceIcon from '@mui/icons-material/ScienceOutlined';
import { shortcutText } from '../shortcuts.js';
import { MONO } from '../theme.js';

export function EmptyState({
  hasConnections,
  onNew,
  onImport,
}: {
  hasConnections: boolean;
  onNew: () => void;
  onImport: () => void;
}) {
  return (
    <Box sx={{ display: 'grid', placeItems: 'center', height: '100%', p: 3 }}>
      <Stack spacing={3} sx={{ maxWidth: 560 }}>
        <Box>
          <Typography variant="h5" component="h2" sx={{ fontWeight: 700 }}>
            {hasConnections ? 'Open a connection' : 'Get your first access token'}
          </Typography>
          <Typography color="text.secondary">
            {hasConnections
              ? 'Choose a connection in the list, or start a new one.'
              : 'Tokensmith configures OAuth 2.0 and JWT connections and gets their tokens. Start in one of three ways:'}
          </Typography>
        </Box>
        {!hasConnections && (
          <Paper variant="outlined" sx={{ p: 2 }}>
            <Stack direction="row" spacing={1.5} alignItems="flex-start">
              <ScienceIcon color="primary" />
              <Box>
                <Typography sx={{ fontWeight: 600 }}>Try it against the sandbox</Typography>
                <Typography variant="body2" color="text.secondary">
                  Run{' '}
                  <Box component="code" sx={{ fontFamily: MONO }}>
                    npm run sandbox
                  </Box>{' '}
                  in a terminal: a local authorization server starts and a connection of every type
                  appears in the list.
                </Typography>
              </Box>
            </Stack>
          </Paper>
        )}
        <Stack direction="row" spacing={1.5}>
          <Button variant="contained" startIcon={<AddIcon />} onClick={onNew}>
            New connection ({shortcutText('newConnection')})
          </Button>
          <Button variant="outlined" startIcon={<UploadIcon />} onClick={onImport}>
            Import connections…
          </Button>
        </Stack>
        <Typography variant="body2" color="text.secondary">
          {shortcutText('palette')} opens the command palette; {shortcutText('save')} saves;{' '}
          {shortcutText('run')} gets a token.
        </Typography>
      </Stack>
    </Box>
  );
}
