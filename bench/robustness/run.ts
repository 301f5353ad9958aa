/**
 * `npm run robustness [-- --long] [--only crash,jobs,race,load] [--seed N]`: the reliability
 * campaign against the real `framelab serve`. Each campaign prints its figures; the run exits
 * 1 when any invariant broke. Without --long the sizes are the ones CI runs (test/robustness/).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { CAMPAIGNS, type Size } from './campaigns';
import type { CampaignReport, Log } from './harness';

const loadNow = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

function print(report: CampaignReport, seconds: number): void {
  const width = Math.max(...Object.keys(report.figures).map((k) => k.length));
  process.stdout.write(`\n== ${report.name}: ${report.failures.length ? 'FAILED' : 'ok'} (${seconds.toFixed(1)} s)\n`);
  for (const [name, value] of Object.entries(report.figures)) process.stdout.write(`  ${name.padEnd(width)}  ${value}\n`);
  for (const failure of report.failures) process.stdout.write(`  FAIL: ${failure}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { long: { type: 'boolean' }, only: { type: 'string' }, seed: { type: 'string' }, quiet: { type: 'boolean' } },
  });
  const size: Size = values.long ? 'long' : 'ci';
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed needs an integer, not "${values.seed}"`);
  const names = values.only ? values.only.split(',') : Object.keys(CAMPAIGNS);
  const unknown = names.filter((n) => !CAMPAIGNS[n]);
  if (unknown.length) throw new Error(`Unknown campaign ${unknown.join(', ')}; pick from ${Object.keys(CAMPAIGNS).join(', ')}`);

  process.stdout.write(`Framelab robustness campaign: ${size} sizes, seed ${seed}, ${os.cpus().length} cores, load average ${loadNow()}\n`);
  let failed = 0;
  for (const name of names) {
    const started = performance.now();
    const log: Log = values.quiet ? () => undefined : (line) => process.stdout.write(`  [${name}] ${line}\n`);
    let report: CampaignReport;
    try {
      report = await CAMPAIGNS[name]!(size, seed, log);
    } catch (err) {
      report = { name, figures: {}, failures: [`the campaign stopped: ${(err as Error).stack ?? err}`] };
    }
    print(report, (performance.now() - started) / 1000);
    if (report.failures.length) failed++;
  }
  process.stdout.write(`\nload average at the end ${loadNow()}; ${failed ? `${failed} campaign(s) FAILED` : 'every invariant held'}\n`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  },
);
