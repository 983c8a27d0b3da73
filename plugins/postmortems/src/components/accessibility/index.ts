export { readableTextOn, secondaryText, withContrast } from './contrast';
export { useFilledButtonFocus, useFocusTargetClass } from './focusRing';
export { visuallyHidden } from './visuallyHidden';
