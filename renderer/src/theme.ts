/**
 * Light and dark themes (MUI colour schemes; the system's choice unless the user picks one),
 * dense like the tools integration engineers live in (VS Code, Insomnia), monospace for values.
 */
import { createTheme } from '@mui/material';

export const MONO = 'ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace';

export const theme = createTheme({
  cssVariables: { colorSchemeSelector: 'class' },
  colorSchemes: {
    light: {
      palette: {
        primary: { main: '#1f5fcc' },
        // Darker than MUI's defaults: small text on them meets WCAG AA (4.5:1).
        warning: { main: '#a8500a' },
        info: { main: '#0b64c0' },
        success: { main: '#1e7b34' },
        background: { default: '#f6f7f9', paper: '#ffffff' },
      },
    },
    dark: {
      palette: {
        primary: { main: '#8ab4ff' },
        // Light tones: MUI then writes dark text on them, which meets WCAG AA.
        error: { main: '#f28b82' },
        warning: { main: '#fdd663' },
        info: { main: '#8ab4f8' },
        success: { main: '#81c995' },
        background: { default: '#16181c', paper: '#1e2126' },
      },
    },
  },
  shape: { borderRadius: 6 },
  typography: { fontSize: 13.5, button: { textTransform: 'none', fontWeight: 600 } },
  components: {
    MuiTextField: { defaultProps: { size: 'small', fullWidth: true } },
    MuiButton: { defaultProps: { disableElevation: true } },
    MuiTooltip: {
      defaultProps: { enterDelay: 400, arrow: true },
      // Opaque: MUI's 92 % grey lets what it covers (a button's label) lower its text's contrast.
      styleOverrides: {
        tooltip: { backgroundColor: '#505357', color: '#ffffff' },
        arrow: { color: '#505357' },
      },
    },
    MuiAccordion: {
      defaultProps: { disableGutters: true, slotProps: { transition: { unmountOnExit: true } } },
    },
    MuiDialog: { defaultProps: { scroll: 'paper' } },
  },
});
