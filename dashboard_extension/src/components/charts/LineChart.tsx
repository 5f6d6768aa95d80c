/** A small SVG line chart: one line per series over shared x labels. Theme colours via CSS variables. */
import { Box, Text } from "@saleor/macaw-ui";

export type Series = { name: string; values: (number | null)[] };

const PALETTE = ["#2563eb", "#16a34a", "#d97706", "#db2777", "#7c3aed", "#0891b2"];
const WIDTH = 560;
const HEIGHT = 180;
const PAD = { right: 24, top: 8, bottom: 24 };
const CHAR_WIDTH = 6; // at fontSize 10: room per character of an axis label, so none is clipped
const LABEL_GAP = 12;

/** Left padding that fits the widest y-axis label. */
export function leftPad(yLabels: string[]): number {
  return Math.max(36, 10 + CHAR_WIDTH * Math.max(0, ...yLabels.map((label) => label.length)));
}

/** Show every n-th x label so that they do not overlap (the first is always shown). */
export function labelStep(labels: string[], width: number): number {
  if (labels.length <= 1) return 1;
  const widest = CHAR_WIDTH * Math.max(...labels.map((label) => label.length)) + LABEL_GAP;
  const fits = Math.max(1, Math.floor(width / widest));
  return Math.max(1, Math.ceil(labels.length / fits));
}

export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

export function LineChart({ labels, series, format, title }: { labels: string[]; series: Series[]; format: (value: number) => string; title: string }) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const yTicks = [0, 0.5, 1].map((share) => ({ share, label: format(max * share) }));
  const left = leftPad(yTicks.map((tick) => tick.label));
  const innerW = WIDTH - left - PAD.right;
  const step = labelStep(labels, innerW);
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (index: number) => left + (labels.length <= 1 ? innerW / 2 : (index * innerW) / (labels.length - 1));
  const y = (value: number) => PAD.top + innerH - (value / max) * innerH;

  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={title} style={{ color: "currentColor" }}>
        {yTicks.map(({ share, label }) => (
          <g key={share}>
            <line x1={left} x2={WIDTH - PAD.right} y1={y(max * share)} y2={y(max * share)} stroke="currentColor" strokeOpacity={0.15} />
            <text x={left - 6} y={y(max * share) + 4} textAnchor="end" fontSize={10} fill="currentColor" fillOpacity={0.7}>
              {label}
            </text>
          </g>
        ))}
        {labels.map((label, index) =>
          index % step === 0 ? (
            <text key={label} x={x(index)} y={HEIGHT - 6} textAnchor="middle" fontSize={10} fill="currentColor" fillOpacity={0.7}>
              {label}
            </text>
          ) : null,
        )}
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
