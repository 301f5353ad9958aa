/**
 * Two owners: two `framelab serve` processes started at (nearly) the same moment on the same
 * fresh home, many times. Exactly one may own it; the other must exit with HOME_LOCKED naming
 * the owner, and the home must open cleanly afterwards (whether the owner stopped or was killed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../src/main/core/random';
import { schemaVersion } from '../../src/main/core/db/open';
import {
  call,
  Findings,
  killHard,
  listeningOrExit,
  quantile,
  REPO_ROOT,
  removeTempDir,
  sleep,
  spawnFramelab,
  stopServe,
  tempDir,
  type CampaignReport,
  type FramelabProcess,
  type Log,
} from './harness';
import { homeProblems } from './homeInvariants';
import { withFreshOpen } from './seedHome';

export interface OwnersRaceOptions {
  seed: number;
  rounds: number;
  /** The second process starts 0..this many ms after the first (seeded). */
  maxOffsetMs: number;
  log: Log;
}

export const OWNERS_RACE_SIZES = {
  ci: { rounds: 5, maxOffsetMs: 40 },
  long: { rounds: 40, maxOffsetMs: 40 },
};

const DEFAULT_CODEBOOK = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'resources', 'codebook.default.json'), 'utf8')) as {
  dimensions: { categories: unknown[] }[];
};

export async function ownersRace(options: OwnersRaceOptions): Promise<CampaignReport> {
  const f = new Findings();
  const random = mulberry32(options.seed);
  const settleGaps: number[] = [];
  let won = 0;
  let refused = 0;
  let killedOwners = 0;

  for (let round = 1; round <= options.rounds; round++) {
    const parent = tempDir('race');
    // Not created yet: both processes also race to create it.
    const home = path.join(parent, 'home');
    const offsetMs = Math.floor(random() * options.maxOffsetMs);
    const killOwner = random() < 0.5;
    const first = spawnFramelab(['serve', '--port', '0', '--home', home]);
    await sleep(offsetMs);
    const second = spawnFramelab(['serve', '--port', '0', '--home', home]);
    const at = (proc: FramelabProcess) => listeningOrExit(proc, 90_000).then((endpoint) => ({ proc, endpoint, settledAt: Date.now() }));
    const outcomes = await Promise.all([at(first), at(second)]);
    const owners = outcomes.filter((o) => o.endpoint);
    const where = `round ${round} (second started ${offsetMs} ms after the first)`;

    if (!f.check(owners.length === 1, `${where}: ${owners.length} processes own the home`)) {
      await Promise.all(outcomes.map((o) => killHard(o.proc)));
      continue;
    }
    won++;
    const owner = owners[0]!;
    const loser = outcomes.find((o) => o !== owner)!;
    const exit = await loser.proc.exit;
    settleGaps.push(Math.abs(owner.settledAt - loser.settledAt));
    const message = loser.proc.stderr();
    if (
      f.check(
        exit.code !== 0 && message.includes('HOME_LOCKED'),
        `${where}: the second process exited ${exit.code} without HOME_LOCKED: ${message.trim()}`,
      ) &&
      f.check(
        message.includes(`pid ${owner.proc.pid}`),
        `${where}: HOME_LOCKED does not name the owner (pid ${owner.proc.pid}): ${message.trim()}`,
      )
    ) {
      refused++;
    }

    const info = await call(owner.endpoint!, 'app.info');
    f.check(
      info.ok && info.value.home === home && info.value.mode === 'browser',
      `${where}: the owner does not answer app.info for its home: ${JSON.stringify(info)}`,
    );

    if (killOwner) {
      await killHard(owner.proc);
      killedOwners++;
    } else {
      const stopped = await stopServe(owner);
      f.check(stopped.code === 0, `${where}: the owner exited ${stopped.code}/${stopped.signal} on SIGTERM`);
      const leftovers = fs.readdirSync(home).filter((name) => name.startsWith('owner.lock'));
      f.check(leftovers.length === 0, `${where}: lock files left after a clean stop: ${leftovers.join(', ')}`);
    }

    // Whoever opens it next (after a clean stop or a kill) finds one intact database, its codebook seeded once.
    try {
      withFreshOpen(home, (core) => {
        for (const problem of homeProblems(core.db, core.home)) f.check(false, `${where}: ${problem}`);
        f.check(schemaVersion(core.db) > 0, `${where}: schema version ${schemaVersion(core.db)}`);
        const dimensions = (core.db.prepare('SELECT count(*) AS n FROM dimensions').get() as { n: number }).n;
        const categories = (core.db.prepare('SELECT count(*) AS n FROM categories').get() as { n: number }).n;
        const expectedCategories = DEFAULT_CODEBOOK.dimensions.reduce((sum, d) => sum + d.categories.length, 0);
        f.check(
          dimensions === DEFAULT_CODEBOOK.dimensions.length && categories === expectedCategories,
          `${where}: the codebook has ${dimensions} dimensions and ${categories} categories, not the default's ${DEFAULT_CODEBOOK.dimensions.length} and ${expectedCategories}`,
        );
      });
    } catch (err) {
      f.check(false, `${where}: the home does not open after the race: ${(err as Error).message}`);
    }
    options.log(
      `round ${round}/${options.rounds}: offset ${offsetMs} ms, owner pid ${owner.proc.pid}, the other refused; owner ${killOwner ? 'killed' : 'stopped'}`,
    );
    removeTempDir(parent);
  }

  f.figures['rounds'] = options.rounds;
  f.figures['rounds with exactly one owner'] = won;
  f.figures['refusals with HOME_LOCKED naming the owner'] = refused;
  f.figures['owners killed (others stopped cleanly)'] = killedOwners;
  f.figures['gap between owner listening and refusal, median ms'] = quantile(settleGaps, 0.5);
  return f.report('two owners');
}
