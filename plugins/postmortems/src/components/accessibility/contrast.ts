import {
  darken,
  decomposeColor,
  getContrastRatio,
  lighten,
  recomposeColor,
  Theme,
} from '@material-ui/core';

/** WCAG 2.x AA minimum for normal-size text. */
export const TEXT_CONTRAST = 4.5;

const BLACK = '#000000';
const WHITE = '#FFFFFF';

/**
 * Black or white, whichever reads better on `background`. One of the two is
 * always at least 4.58:1 against any opaque colour, so a chip coloured from the
 * theme stays legible whatever the adopter's palette is.
 */
export function readableTextOn(background: string): string {
  return getContrastRatio(WHITE, background) >=
    getContrastRatio(BLACK, background)
    ? WHITE
    : BLACK;
}

/**
 * `colour` painted over `background`, as one opaque colour. Contrast ratios
 * are only meaningful for opaque colours (MUI's getContrastRatio ignores
 * alpha), and the theme's text colours are translucent.
 */
export function opaqueOver(colour: string, background: string): string {
  const top = decomposeColor(colour);
  const bottom = decomposeColor(opaque(background));
  if (top.type.startsWith('hsl') || bottom.type.startsWith('hsl')) {
    return colour;
  }
  const a = top.values[3] ?? 1;
  const mixed = [0, 1, 2].map(i =>
    Math.round(top.values[i] * a + bottom.values[i] * (1 - a)),
  );
  return recomposeColor({
    type: 'rgb',
    values: mixed as [number, number, number],
  });
}

function opaque(colour: string): string {
  const c = decomposeColor(colour);
  if (c.type === 'rgba' || c.type === 'hsla') {
    return recomposeColor({
      type: c.type.slice(0, 3) as 'rgb',
      values: c.values.slice(0, 3) as [number, number, number],
    });
  }
  return colour;
}

/**
 * A colour as close to `colour` as possible that reaches `ratio` against every
 * one of `backgrounds`: darkened on light themes, lightened on dark ones, in
 * small steps so the hue the theme chose is kept.
 */
export function withContrast(
  colour: string,
  backgrounds: string[],
  ratio = TEXT_CONTRAST,
): string {
  const dark = backgrounds.every(
    b => getContrastRatio(WHITE, b) > getContrastRatio(BLACK, b),
  );
  const enough = (c: string) =>
    backgrounds.every(b => getContrastRatio(c, b) >= ratio);
  let candidate = colour;
  for (let step = 1; step <= 20 && !enough(candidate); step++) {
    candidate = dark
      ? lighten(colour, step * 0.05)
      : darken(colour, step * 0.05);
  }
  return candidate;
}

/**
 * Backstage's surfaces are not all the theme's background: the page layouts
 * paint #F5F5F5 where the light theme says #F8F8F8. Secondary text aims a
 * little above 4.5:1 so that it passes on such near neighbours too.
 */
const SECONDARY_TEXT_CONTRAST = 5;

/**
 * The theme's secondary text colour, made legible on both the page background
 * and cards. Backstage's light theme pairs rgba(0,0,0,0.54) with its grey
 * page, which is 4.41:1 to 4.53:1 depending on the surface: short of AA.
 */
export function secondaryText(theme: Theme): string {
  const page = theme.palette.background.default;
  return withContrast(
    opaqueOver(theme.palette.text.secondary, page),
    [page, theme.palette.background.paper],
    SECONDARY_TEXT_CONTRAST,
  );
}
