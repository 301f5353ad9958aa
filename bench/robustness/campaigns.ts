/** The campaigns by name, at the sizes CI runs (`ci`) or the big run (`long`). */
import { crashSafety, CRASH_SAFETY_SIZES } from './crashSafety';
import type { CampaignReport, Log } from './harness';
import { jobKills, JOB_KILLS_SIZES } from './jobKills';
import { loadRun, LOAD_SIZES } from './load';
import { ownersRace, OWNERS_RACE_SIZES } from './ownersRace';

export type Size = 'ci' | 'long';

export const CAMPAIGNS: Record<string, (size: Size, seed: number, log: Log) => Promise<CampaignReport>> = {
  crash: (size, seed, log) => crashSafety({ seed, log, ...CRASH_SAFETY_SIZES[size] }),
  jobs: (size, seed, log) => jobKills({ seed, log, ...JOB_KILLS_SIZES[size] }),
  race: (size, seed, log) => ownersRace({ seed, log, ...OWNERS_RACE_SIZES[size] }),
  load: (size, seed, log) => loadRun({ seed, log, ...LOAD_SIZES[size] }),
};
