import type { CSSProperties } from 'react';

/**
 * Read by screen readers, not shown: for words that sighted users get from a
 * colour or an icon, such as "added" beside a green "+".
 */
export const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
};
