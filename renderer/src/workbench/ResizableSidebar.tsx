/** A sidebar the user can widen or narrow by dragging its edge or with the arrow keys. */
import { useState, type ReactNode, type PointerEvent } from 'react';
import { Box } from '@mui/material';

const KEY = 'tokensmith.sidebarWidth';
const MIN = 200;
const MAX = 480;

function initialWidth(): number {
  const saved = Number(localStorage.getItem(KEY));
  return saved >= MIN && saved <= MAX ? saved : 288;
}

export function ResizableSidebar({ children }: { children: ReactNode }) {
  const [width, setWidth] = useState(initialWidth);
  const set = (w: number) => {
    const next = Math.max(MIN, Math.min(MAX, Math.round(w)));
    setWidth(next);
    localStorage.setItem(KEY, String(next));
  };
  const drag = (e: PointerEvent<HTMLDivElement>) => {
    const startX = e.clientX;
    const start = width;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => set(start + ev.clientX - startX);
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };
  return (
    <Box
      component="nav"
      aria-label="Connections list"
      sx={{
        width,
        flexShrink: 0,
        position: 'relative',
        borderRight: 1,
        borderColor: 'divider',
        bgcolor: 'background.paper',
        minWidth: 0,
      }}
    >
      {children}
      <Box
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the connections list"
        aria-valuemin={MIN}
        aria-valuemax={MAX}
        aria-valuenow={width}
        tabIndex={0}
        onPointerDown={drag}
        onKeyDown={(e) => {
          if (e.key === 'ArrowLeft') set(width - 16);
          if (e.key === 'ArrowRight') set(width + 16);
        }}
        sx={{
          position: 'absolute',
          top: 0,
          right: -3,
          width: 6,
          height: '100%',
          cursor: 'col-resize',
          zIndex: 1,
          '&:hover, &:focus-visible': { bgcolor: 'primary.main', opacity: 0.4, outline: 'none' },
        }}
      />
    </Box>
  );
}
