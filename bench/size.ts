/**
 * The problem size a benchmark runs at in `npm run bench`: `FRAMELAB_BENCH_<NAME>=10000x1536`
 * picks the full size (minutes); the fallback keeps the whole run short.
 */
export function benchSize(name: string, fallback: [number, number], env: NodeJS.ProcessEnv = process.env): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(env[`FRAMELAB_BENCH_${name}`] ?? '');
  return m ? [Number(m[1]), Number(m[2])] : fallback;
}
