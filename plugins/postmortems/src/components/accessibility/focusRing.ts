import { makeStyles, Theme } from '@material-ui/core';

const useStyles = makeStyles((theme: Theme) => ({
  // A solid ring outside the button, in the theme's main text colour (about
  // 16:1 on light paper, and as strong on dark themes), where MUI's default is
  // a faint shadow plus a pulsing ripple that also lightens the label.
  ring: {
    outline: `3px solid ${theme.palette.text.primary}`,
    outlineOffset: 2,
  },
}));

/**
 * Props that give a button a visible keyboard focus: a contrasting outline
 * while focus-visible, and no focus ripple (on filled buttons MUI's pulsing
 * ripple washes out the label, and its default highlight is faint). Spread
 * them on the plugin's filled buttons, `<Button variant="contained"
 * {...focusRing}>`, and on any button the plugin focuses itself: MUI v4
 * throws when a button is focused in the commit that mounts it while its
 * focus ripple is on. The app theme is left alone: the plugin cannot assume
 * adopters want all their buttons restyled.
 */
export function useFocusRing() {
  const classes = useStyles();
  return { focusVisibleClassName: classes.ring, disableFocusRipple: true };
}

const useTargetStyles = makeStyles((theme: Theme) => ({
  // Drawn inside the element: targets such as a dialog's title sit flush
  // with a container that clips what overflows it, which would cut an
  // outline drawn outside down to one edge.
  target: {
    '&:focus-visible': {
      outline: `3px solid ${theme.palette.text.primary}`,
      outlineOffset: -3,
    },
  },
}));

/**
 * A class for elements that take focus programmatically (tabIndex -1), such
 * as the region focus moves to after an action, so sighted keyboard users see
 * where they are.
 */
export function useFocusTargetClass() {
  return useTargetStyles().target;
}
