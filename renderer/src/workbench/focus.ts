/**
 * Where focus goes after something on screen went away (the command palette, a closed tab, a
 * dialog): never the page body. The target may not exist yet (an editor still loading), so it is
 * looked for on each frame for a short while.
 */

/** Is focus nowhere in particular (the body, or an element that has gone)? */
export function focusIsLost(): boolean {
  const el = document.activeElement;
  return !el || el === document.body || !el.isConnected;
}

function visible(el: Element): boolean {
  return (el as HTMLElement).offsetParent !== null || el.getClientRects().length > 0;
}

/** The first field of the editor in `panel`: a text box, a select or a switch, in page order. */
export function firstField(panel: ParentNode | null): HTMLElement | undefined {
  if (!panel) return undefined;
  const all = panel.querySelectorAll<HTMLElement>(
    'form input:not([type=hidden]):not([disabled]), form textarea:not([disabled]), form [role=combobox]:not([aria-disabled=true])',
  );
  return [...all].find((el) => el.tabIndex >= 0 && visible(el));
}

/** The one focus move waiting for its target: a newer one, or the user's next key or click, ends it. */
let pending: (() => void) | undefined;

/**
 * Focuses what `find` returns once it exists, within `ms`. With `onlyIfLost`, focus the user
 * put somewhere is left alone; either way a focus that falls back to the body meanwhile (a
 * dialog restoring focus to an element that has gone) is put on the target again.
 */
export function focusSoon(
  find: () => HTMLElement | null | undefined,
  { ms = 3000, onlyIfLost = false }: { ms?: number; onlyIfLost?: boolean } = {},
): () => void {
  // A move that only fills in for a lost focus gives way to one already under way.
  if (onlyIfLost && pending) return () => undefined;
  pending?.();
  const deadline = performance.now() + ms;
  let focusedAt = 0;
  let frame = 0;
  const stop = () => {
    cancelAnimationFrame(frame);
    window.removeEventListener('keydown', stop, true);
    window.removeEventListener('pointerdown', stop, true);
    if (pending === stop) pending = undefined;
  };
  const step = () => {
    if (performance.now() > deadline) return stop();
    const target = find();
    const lost = focusIsLost();
    if (target && visible(target) && (lost || (!onlyIfLost && focusedAt === 0))) {
      // A heading is focused as the place the user arrived at, not as a tab stop.
      if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.tabIndex = -1;
      target.focus();
      focusedAt = performance.now();
    }
    // Watch a little after focusing: a dialog closing may restore focus to something gone.
    if (focusedAt && performance.now() - focusedAt > 400) return stop();
    frame = requestAnimationFrame(step);
  };
  frame = requestAnimationFrame(step);
  // Capture: the key that asked for this move has passed the window's capture phase already.
  window.addEventListener('keydown', stop, true);
  window.addEventListener('pointerdown', stop, true);
  pending = stop;
  return stop;
}
