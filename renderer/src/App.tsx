/**
 * The workbench: an activity bar (Connections, Keystores & Truststores, Proxy Aliases, JWT
 * Inspector, Token Cache), the view it selects, the command palette and the theme.
 */
import { useEffect, useState, type ReactNode } from 'react';
import {
  Box,
  CssBaseline,
  IconButton,
  ThemeProvider,
  Tooltip,
  useColorScheme,
} from '@mui/material';
import CableIcon from '@mui/icons-material/Cable';
import KeyIcon from '@mui/icons-material/KeyOutlined';
import RouterIcon from '@mui/icons-material/RouterOutlined';
import InspectIcon from '@mui/icons-material/ManageSearch';
import CacheIcon from '@mui/icons-material/HistoryToggleOff';
import SearchIcon from '@mui/icons-material/Search';
import DarkIcon from '@mui/icons-material/DarkModeOutlined';
import LightIcon from '@mui/icons-material/LightModeOutlined';
import type { ConnectionSummary } from '../../shared/contract.js';
import { call } from './api.js';
import { KeystoresPage } from './pages/KeystoresPage.js';
import { ProxiesPage } from './pages/ProxiesPage.js';
import { JwtInspectorPage } from './pages/JwtInspectorPage.js';
import { CachePage } from './pages/CachePage.js';
import { inspectorToken, parseHash, type Route, type View } from './navigation.js';
import { shortcutText, useShortcut } from './shortcuts.js';
import { theme } from './theme.js';
import { CommandPalette } from './workbench/CommandPalette.js';
import { ConnectionsWorkbench } from './workbench/ConnectionsWorkbench.js';

const VIEWS: Array<{ view: View; label: string; hash: string; icon: ReactNode }> = [
  { view: 'connections', label: 'Connections', hash: '#/connections', icon: <CableIcon /> },
  { view: 'keystores', label: 'Keystores & Truststores', hash: '#/keystores', icon: <KeyIcon /> },
  { view: 'proxies', label: 'Proxy Aliases', hash: '#/proxies', icon: <RouterIcon /> },
  { view: 'jwt', label: 'JWT Inspector', hash: '#/jwt', icon: <InspectIcon /> },
  { view: 'cache', label: 'Token Cache', hash: '#/cache', icon: <CacheIcon /> },
];

function ThemeToggle() {
  const { mode, systemMode, setMode } = useColorScheme();
  const dark = (mode === 'system' ? systemMode : mode) === 'dark';
  return (
    <Tooltip title={dark ? 'Light theme' : 'Dark theme'} placement="right">
      <IconButton
        aria-label={dark ? 'Light theme' : 'Dark theme'}
        onClick={() => setMode(dark ? 'light' : 'dark')}
      >
        {dark ? <LightIcon /> : <DarkIcon />}
      </IconButton>
    </Tooltip>
  );
}

function Page({ children }: { children: ReactNode }) {
  return (
    <Box component="main" sx={{ flex: 1, overflow: 'auto', minWidth: 0 }}>
      <Box sx={{ maxWidth: 1180, mx: 'auto', px: { xs: 2, md: 3 }, py: 3 }}>{children}</Box>
    </Box>
  );
}

export function App() {
  const [route, setRoute] = useState<{ route: Route; nonce: number }>(() => ({
    route: parseHash(window.location.hash),
    nonce: 0,
  }));
  const [palette, setPalette] = useState(false);
  const [connections, setConnections] = useState<ConnectionSummary[]>([]);
  useEffect(() => {
    const onHash = () =>
      setRoute((r) => ({ route: parseHash(window.location.hash), nonce: r.nonce + 1 }));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useShortcut('palette', () => {
    setPalette(true);
    call('connections:list', {}).then(setConnections, () => undefined);
  });
  const { view } = route.route;

  return (
    <ThemeProvider theme={theme} defaultMode="system">
      <CssBaseline />
      <Box sx={{ display: 'flex', height: '100vh', overflow: 'hidden' }}>
        <Box
          component="nav"
          aria-label="Views"
          sx={{
            width: 48,
            flexShrink: 0,
            display: 'flex',
            flexDirection: 'column',
            alignItems: 'center',
            py: 1,
            gap: 0.5,
            borderRight: 1,
            borderColor: 'divider',
            bgcolor: 'background.default',
          }}
        >
          {VIEWS.map((v) => (
            <Tooltip key={v.view} title={v.label} placement="right">
              <IconButton
                component="a"
                href={v.hash}
                aria-label={v.label}
                aria-current={view === v.view ? 'page' : undefined}
                color={view === v.view ? 'primary' : 'default'}
                sx={view === v.view ? { bgcolor: 'action.selected' } : undefined}
              >
                {v.icon}
              </IconButton>
            </Tooltip>
          ))}
          <Box sx={{ flex: 1 }} />
          <Tooltip title={`Command palette (${shortcutText('palette')})`} placement="right">
            <IconButton
              aria-label="Command palette"
              onClick={() => {
                setPalette(true);
                call('connections:list', {}).then(setConnections, () => undefined);
              }}
            >
              <SearchIcon />
            </IconButton>
          </Tooltip>
          <ThemeToggle />
        </Box>
        <ConnectionsWorkbench
          target={route.route.view === 'connections' ? route.route.connection : undefined}
          nonce={route.nonce}
          visible={view === 'connections'}
        />
        {view === 'keystores' && (
          <Page>
            <KeystoresPage />
          </Page>
        )}
        {view === 'proxies' && (
          <Page>
            <ProxiesPage />
          </Page>
        )}
        {view === 'jwt' && (
          <Page>
            <JwtInspectorPage initialToken={inspectorToken} />
          </Page>
        )}
        {view === 'cache' && (
          <Page>
            <CachePage />
          </Page>
        )}
      </Box>
      <CommandPalette open={palette} onClose={() => setPalette(false)} connections={connections} />
    </ThemeProvider>
  );
}
