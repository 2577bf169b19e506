export function summarise(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (quantile: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? 0;
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    n: sorted.length,
    median_ms: round(at(0.5)),
    p95_ms: round(at(0.95)),
    worst_ms: round(sorted[sorted.length - 1] ?? 0),
  };
}
