/**
 * Small values kept for this tab's session (they survive a reload, not a new tab). Storage can be
 * unavailable (privacy modes, quotas); then nothing is kept and nothing fails.
 */
export function readSessionValue(key: string): string | null {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeSessionValue(key: string, value: string | null): void {
  try {
    if (value === null) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, value);
  } catch {
    // Not kept; the default applies after a reload.
  }
}
