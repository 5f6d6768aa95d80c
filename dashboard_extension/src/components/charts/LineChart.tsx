/** A small SVG line chart: one line per series over shared x labels. Theme colours via CSS variables. */
import { Box, Text } from "@saleor/macaw-ui";

export type Series = { name: string; values: (number | null)[] };

const PALETTE = ["#2563eb", "#16a34a", "#d97706", "#db2777", "#7c3aed", "#0891b2"];
const WIDTH = 560;
const HEIGHT = 180;
const PAD = { left: 44, right: 8, top: 8, bottom: 24 };

export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

export function LineChart({ labels, series, format, title }: { labels: string[]; series: Series[]; format: (value: number) => string; title: string }) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (index: number) => PAD.left + (labels.length <= 1 ? innerW / 2 : (index * innerW) / (labels.length - 1));
  const y = (value: number) => PAD.top + innerH - (value / max) * innerH;

  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={title} style={{ color: "currentColor" }}>
        {[0, 0.5, 1].map((share) => (
          <g key={share}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * share)} y2={y(max * share)} stroke="currentColor" strokeOpacity={0.15} />
            <text x={PAD.left - 6} y={y(max * share) + 4} textAnchor="end" fontSize={10} fill="currentColor" fillOpacity={0.7}>
              {format(max * share)}
            </text>
          </g>
        ))}
        {labels.map((label, index) => (
          <text key={label} x={x(index)} y={HEIGHT - 6} textAnchor="middle" fontSize={10} fill="currentColor" fillOpacity={0.7}>
            {label}
          </text>
        ))}
        {series.map((s, seriesIndex) => {
          const color = PALETTE[seriesIndex % PALETTE.length];
          const points = s.values.map((value, index) => (value === null ? null : ([x(index), y(value)] as const)));
          const path = points
            .map((point, index) => (point ? `${index === 0 || !points[index - 1] ? "M" : "L"}${point[0].toFixed(1)},${point[1].toFixed(1)}` : ""))
            .join(" ");
          return (
            <g key={s.name}>
              <path d={path} fill="none" stroke={color} strokeWidth={2} />
              {points.map((point, index) => point && <circle key={index} cx={point[0]} cy={point[1]} r={3} fill={color} />)}
            </g>
          );
        })}
      </svg>
      <Box display="flex" gap={4} flexWrap="wrap">
        {series.map((s, index) => (
          <Box key={s.name} display="flex" alignItems="center" gap={1}>
            <Box __width="10px" __height="10px" borderRadius={2} __backgroundColor={PALETTE[index % PALETTE.length]} />
            <Text size={2}>{s.name}</Text>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
