import { useCallback, useEffect } from 'react';

const REGION_ID = 'postmortems-announcements';

/**
 * The page's polite live region for the plugin, created once in document.body.
 * It lives outside React's tree so that announcements survive the component
 * that made them unmounting (a saved editor closes as it says "Saved"), and
 * so that every screen shares one region instead of several competing ones.
 */
function liveRegion(): HTMLElement {
  const existing = document.getElementById(REGION_ID);
  if (existing) return existing;
  const region = document.createElement('div');
  region.id = REGION_ID;
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  region.setAttribute('aria-atomic', 'true');
  Object.assign(region.style, {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: '0',
  });
  document.body.appendChild(region);
  return region;
}

let pending: ReturnType<typeof setTimeout> | undefined;

/**
 * Says `message` to screen-reader users without moving focus. The region is
 * emptied first and filled a moment later, so a message equal to the last one
 * ("Saved" twice) is announced again.
 */
export function announce(message: string) {
  const region = liveRegion();
  region.textContent = '';
  if (pending) clearTimeout(pending);
  pending = setTimeout(() => {
    region.textContent = message;
    pending = undefined;
  }, 100);
}

/**
 * Returns `announce`, and makes sure the live region exists as soon as the
 * component mounts: screen readers only report changes to a region that was
 * already in the page.
 */
export function useAnnouncer(): (message: string) => void {
  useEffect(() => {
    liveRegion();
  }, []);
  return useCallback((message: string) => announce(message), []);
}
