import { useTheme } from '@material-ui/core';

export interface Bar {
  label: string;
  value: number;
  /** A theme colour; the primary colour by default. */
  color?: string;
  /** How the value reads when not as `format` writes it (a dash for none). */
  text?: string;
}

/** A label cut to `max` characters, with an ellipsis when it was longer. */
const shorten = (label: string, max: number) =>
  label.length <= max ? label : `${label.slice(0, Math.max(max - 1, 1))}…`;

/**
 * Vertical bars drawn as SVG in the theme's colours; the values are also in
 * the accessible description, so the chart is not the only way to read them.
 * Labels too long for their bar are shortened on the chart only.
 */
export const BarChart = ({
  title,
  bars,
  height = 180,
  unit = '',
  format = String,
  barSpace = 48,
}: {
  title: string;
  bars: Bar[];
  height?: number;
  unit?: string;
  /** Writes a value (e.g. a duration); the number as it is by default. */
  format?: (value: number) => string;
  /** The room of one bar and its label, in the chart's units. */
  barSpace?: number;
}) => {
  const theme = useTheme();
  const width = Math.max(bars.length * barSpace, 240);
  const top = 20;
  const bottom = 28;
  const plot = height - top - bottom;
  const max = Math.max(1, ...bars.map(b => b.value));
  const slot = width / Math.max(bars.length, 1);
  const barWidth = Math.min(36, slot * 0.6);
  // About 6 units per character at the labels' size.
  const labelChars = Math.max(3, Math.floor(slot / 6));
  const valueOf = (bar: Bar) => bar.text ?? format(bar.value);
  const written = (bar: Bar) =>
    `${bar.label}: ${valueOf(bar)}${unit ? ` ${unit}` : ''}`;
  const description = bars.map(written).join(', ');
  return (
    <svg
      role="img"
      aria-label={`${title}. ${description}`}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      height={height}
      preserveAspectRatio="xMidYMid meet"
    >
      <title>{title}</title>
      <line
        x1={0}
        x2={width}
        y1={top + plot}
        y2={top + plot}
        stroke={theme.palette.divider}
      />
      {bars.map((bar, index) => {
        const h = (bar.value / max) * plot;
        const x = index * slot + (slot - barWidth) / 2;
        const y = top + plot - h;
        return (
          <g key={`${bar.label}-${index}`}>
            <rect
              x={x}
              y={y}
              width={barWidth}
              height={Math.max(h, bar.value ? 2 : 0)}
              rx={2}
              fill={bar.color ?? theme.palette.primary.main}
            >
              <title>{written(bar)}</title>
            </rect>
            <text
              x={x + barWidth / 2}
              y={y - 4}
              textAnchor="middle"
              fontSize={11}
              fill={theme.palette.text.primary}
            >
              {valueOf(bar)}
            </text>
            <text
              x={x + barWidth / 2}
              y={height - 8}
              textAnchor="middle"
              fontSize={10}
              fill={theme.palette.text.secondary}
            >
              {shorten(bar.label, labelChars)}
            </text>
          </g>
        );
      })}
    </svg>
  );
};
