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

/**
 * Focuses what `find` returns once it exists, within `ms`. With `onlyIfLost`, focus the user
 * put somewhere is left alone; either way a focus that falls back to the body meanwhile (a
 * dialog restoring focus to an element that has gone) is put on the target again.
 */
export function focusSoon(
  find: () => HTMLElement | null | undefined,
  { ms = 3000, onlyIfLost = false }: { ms?: number; onlyIfLost?: boolean } = {},
): () => void {
  const deadline = performance.now() + ms;
  let done = false;
  let focusedAt = 0;
  let frame = 0;
  const step = () => {
    if (done || performance.now() > deadline) return;
    const target = find();
    const lost = focusIsLost();
    if (target && visible(target) && (lost || (!onlyIfLost && focusedAt === 0))) {
      // A heading is focused as the place the user arrived at, not as a tab stop.
      if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.tabIndex = -1;
      target.focus();
      focusedAt = performance.now();
    }
    // Watch a little after focusing: a dialog closing may restore focus to something gone.
    if (focusedAt && performance.now() - focusedAt > 400) return;
    frame = requestAnimationFrame(step);
  };
  frame = requestAnimationFrame(step);
  return () => {
    done = true;
    cancelAnimationFrame(frame);
  };
}
