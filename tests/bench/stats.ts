// Timing helpers for `npm run bench`: medians and tails over repeated runs, printed side by
// side with a baseline measured in the same run.
export async function sample(runs: number, fn: () => Promise<unknown>, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export function report(title: string, rows: { name: string; times: number[] }[], baseline?: string) {
  console.log(`\n${title}`);
  const base = rows.find((r) => r.name === baseline);
  for (const r of rows) {
    const p50 = percentile(r.times, 50);
    const ratio = base && base !== r ? `  ${(p50 / percentile(base.times, 50)).toFixed(2)}x baseline` : base === r ? '  (baseline)' : '';
    console.log(
      `  ${r.name.padEnd(52)} p50 ${p50.toFixed(2).padStart(8)} ms   p99 ${percentile(r.times, 99).toFixed(2).padStart(8)} ms   n=${r.times.length}${ratio}`,
    );
  }
}
