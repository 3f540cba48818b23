/** Lets a page with unsaved changes hold up navigation (the page then asks the user). */
type Guard = (targetHash: string) => boolean;
let guard: Guard | null = null;

export function setNavigationGuard(next: Guard | null): void {
  guard = next;
}

/** true when navigation to the hash may go ahead. */
export function mayNavigate(targetHash: string): boolean {
  return guard ? guard(targetHash) : true;
}
