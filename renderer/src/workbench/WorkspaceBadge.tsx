/**
 * Which store the list shows: nothing for the personal store; for a workspace folder (shared in
 * git) its name and folder, and the files of it that could not be read (left out until fixed),
 * so that a connection missing after a `git pull` is explained where it is missed.
 */
import { useEffect, useState } from 'react';
import { Alert, Box, Chip, Tooltip } from '@mui/material';
import FolderIcon from '@mui/icons-material/FolderOutlined';
import type { WorkspaceInfo } from '../../../shared/contract.js';
import { call, onWorkspaceChanged } from '../api.js';
import { WorkspaceTrust } from './WorkspaceTrust.js';

const SHOWN_PROBLEMS = 3;

export function WorkspaceBadge() {
  const [workspace, setWorkspace] = useState<WorkspaceInfo | undefined>();
  useEffect(() => {
    let live = true;
    let told = false; // an event is newer than a slow first answer
    call('workspace:current', {}).then(
      (w) => live && !told && setWorkspace(w),
      () => undefined,
    );
    const off = onWorkspaceChanged((event) => {
      told = true;
      setWorkspace(event.workspace);
    });
    return () => {
      live = false;
      off();
    };
  }, []);
  if (workspace?.kind !== 'folder') return null;
  const { problems } = workspace;
  return (
    <Box sx={{ px: 1.5, pb: 1 }} role="status" aria-label="Workspace">
      <Tooltip title={workspace.folder}>
        <Chip
          size="small"
          variant="outlined"
          icon={<FolderIcon fontSize="small" />}
          label={`Workspace: ${workspace.name ?? workspace.folder}`}
          sx={{ maxWidth: '100%' }}
        />
      </Tooltip>
      <WorkspaceTrust workspace={workspace} onChange={setWorkspace} />
      {problems.length > 0 && (
        <Alert severity="warning" sx={{ mt: 1, py: 0, overflowWrap: 'anywhere' }}>
          {problems.length} file{problems.length === 1 ? '' : 's'} left out until fixed:
          <Box component="ul" sx={{ m: 0, pl: 2 }}>
            {problems.slice(0, SHOWN_PROBLEMS).map((p) => (
              <li key={`${p.file}${p.pointer}${p.message}`}>
                {p.file}
                {p.line ? `:${p.line}` : ''} — {p.message}
              </li>
            ))}
            {problems.length > SHOWN_PROBLEMS && (
              <li>and {problems.length - SHOWN_PROBLEMS} more (tokensmith workspace status)</li>
            )}
          </Box>
        </Alert>
      )}
    </Box>
  );
}
