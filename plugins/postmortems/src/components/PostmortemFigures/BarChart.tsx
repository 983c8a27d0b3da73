import { useTheme } from '@material-ui/core';

export interface Bar {
  label: string;
  value: number;
  /** A theme colour; the primary colour by default. */
  color?: string;
}

/**
 * Vertical bars drawn as SVG in the theme's colours; the values are also in
 * the accessible description, so the chart is not the only way to read them.
 */
export const BarChart = ({
  title,
  bars,
  height = 180,
  unit = '',
}: {
  title: string;
  bars: Bar[];
  height?: number;
  unit?: string;
}) => {
  const theme = useTheme();
  const width = Math.max(bars.length * 48, 240);
  const top = 20;
  const bottom = 28;
  const plot = height - top - bottom;
  const max = Math.max(1, ...bars.map(b => b.value));
  const slot = width / Math.max(bars.length, 1);
  const barWidth = Math.min(36, slot * 0.6);
  const description = bars
    .map(b => `${b.label}: ${b.value}${unit ? ` ${unit}` : ''}`)
    .join(', ');
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
              <title>{`${bar.label}: ${bar.value}${
                unit ? ` ${unit}` : ''
              }`}</title>
            </rect>
            <text
              x={x + barWidth / 2}
              y={y - 4}
              textAnchor="middle"
              fontSize={11}
              fill={theme.palette.text.primary}
            >
              {bar.value}
            </text>
            <text
              x={x + barWidth / 2}
              y={height - 8}
              textAnchor="middle"
              fontSize={10}
              fill={theme.palette.text.secondary}
            >
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
};
