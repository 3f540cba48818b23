import { useEffect, useMemo, useState } from 'react';
import {
  AppBar,
  Box,
  CssBaseline,
  Tab,
  Tabs,
  ThemeProvider,
  Toolbar,
  Typography,
  createTheme,
  useMediaQuery,
} from '@mui/material';
import { ConnectionsPage } from './pages/ConnectionsPage.js';
import { ConfigureConnectionPage } from './pages/ConfigureConnectionPage.js';
import { KeystoresPage } from './pages/KeystoresPage.js';
import { ProxiesPage } from './pages/ProxiesPage.js';
import { JwtInspectorPage } from './pages/JwtInspectorPage.js';
import { CachePage } from './pages/CachePage.js';
import { mayNavigate } from './navigation-guard.js';
import { inspectorToken, parseHash, type Route } from './navigation.js';

const TABS: Array<{ label: string; hash: string; pages: Route['page'][] }> = [
  { label: 'Connections', hash: '#/connections', pages: ['connections', 'connection'] },
  { label: 'Keystores & Truststores', hash: '#/keystores', pages: ['keystores'] },
  { label: 'Proxy Aliases', hash: '#/proxies', pages: ['proxies'] },
  { label: 'JWT Inspector', hash: '#/jwt', pages: ['jwt'] },
  { label: 'Token Cache', hash: '#/cache', pages: ['cache'] },
];

export function App() {
  const dark = useMediaQuery('(prefers-color-scheme: dark)');
  const theme = useMemo(
    () =>
      createTheme({
        palette: { mode: dark ? 'dark' : 'light', primary: { main: dark ? '#7aa7ff' : '#1f5fcc' } },
        shape: { borderRadius: 8 },
        components: {
          MuiTextField: { defaultProps: { size: 'small' } },
          MuiButton: {
            defaultProps: { disableElevation: true },
            styleOverrides: { root: { textTransform: 'none', fontWeight: 600 } },
          },
        },
      }),
    [dark],
  );
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    let current = window.location.hash;
    const onHash = () => {
      const target = window.location.hash;
      if (target === current) return;
      if (!mayNavigate(target)) {
        // Stay; the page asks whether to discard its changes.
        window.history.replaceState(null, '', current || '#/connections');
        return;
      }
      current = target;
      setRoute(parseHash(target));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const tab = TABS.findIndex((t) => t.pages.includes(route.page));

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <AppBar
        position="sticky"
        color="default"
        elevation={0}
        sx={{ borderBottom: 1, borderColor: 'divider' }}
      >
        <Toolbar variant="dense" sx={{ gap: 3 }}>
          <Typography variant="h6" component="div" sx={{ fontWeight: 700, whiteSpace: 'nowrap' }}>
            Tokensmith
          </Typography>
          <Tabs
            value={tab}
            aria-label="Pages"
            variant="scrollable"
            scrollButtons="auto"
            sx={{ minHeight: 48 }}
          >
            {TABS.map((t) => (
              <Tab
                key={t.hash}
                label={t.label}
                href={t.hash}
                component="a"
                sx={{ minHeight: 48, textTransform: 'none' }}
              />
            ))}
          </Tabs>
        </Toolbar>
      </AppBar>
      <Box component="main" sx={{ maxWidth: 1180, mx: 'auto', px: { xs: 2, md: 3 }, py: 3 }}>
        {route.page === 'connections' && <ConnectionsPage />}
        {route.page === 'connection' && (
          <ConfigureConnectionPage
            key={`${route.id ?? ''}:${route.type ?? ''}`}
            id={route.id}
            type={route.type}
          />
        )}
        {route.page === 'keystores' && <KeystoresPage />}
        {route.page === 'proxies' && <ProxiesPage />}
        {route.page === 'jwt' && <JwtInspectorPage initialToken={inspectorToken} />}
        {route.page === 'cache' && <CachePage />}
      </Box>
    </ThemeProvider>
  );
}
