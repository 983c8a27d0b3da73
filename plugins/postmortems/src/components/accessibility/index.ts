export { readableTextOn, secondaryText, withContrast } from './contrast';
export { useFocusRing, useFocusTargetClass } from './focusRing';
export { visuallyHidden } from './visuallyHidden';
