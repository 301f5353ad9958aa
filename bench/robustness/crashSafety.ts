/**
 * Crash safety: coders save codes in a loop from concurrent clients while `framelab serve` is
 * killed with SIGKILL at random (seeded) moments and restarted on the same home. After every
 * kill a fresh open must hold every acknowledged save exactly (or what a save still in flight
 * at the kill wrote), no (frame, coder) with some dimensions but not all, no empty code.
 */
import { mulberry32 } from '../../src/main/core/random';
import { codesOf } from '../../src/main/core/coding/codes';
import { call, Findings, killHard, round1, startServe, tempDir, UNREACHABLE, type CampaignReport, type Log, type Server } from './harness';
import { homeProblems } from './homeInvariants';
import { SaveLedger, sameCodes, type Codes } from './saveLedger';
import { seedCoding, withFreshOpen, type CodingSet } from './seedHome';

export interface CrashSafetyOptions {
  seed: number;
  kills: number;
  frames: number;
  /** Concurrent clients, each saving as its own coder. */
  clients: number;
  /** How long the server runs before each kill: uniform in [min, max] ms after it listens. */
  upMs: [number, number];
  log: Log;
}

export const CRASH_SAFETY_SIZES = {
  ci: { kills: 3, frames: 40, clients: 2, upMs: [250, 700] as [number, number] },
  long: { kills: 22, frames: 400, clients: 2, upMs: [500, 4000] as [number, number] },
};

/** Where the clients send their saves: the server while it is up; they wait while it is down. */
class Endpoint {
  private current: Promise<Server | null> = new Promise(() => undefined);
  private open: ((server: Server | null) => void) | null = null;

  constructor() {
    this.down();
  }

  up(server: Server | null): void {
    this.open?.(server);
    this.open = null;
    this.current = Promise.resolve(server);
  }

  /** From now on clients wait; call before the kill so no one picks the dying server afresh. */
  down(): void {
    if (this.open) return;
    this.current = new Promise((resolve) => (this.open = resolve));
  }

  next(): Promise<Server | null> {
    return this.current;
  }
}

export async function crashSafety(options: CrashSafetyOptions): Promise<CampaignReport> {
  const f = new Findings();
  const home = tempDir('crash');
  const set = seedCoding(home, { frames: options.frames, coders: options.clients });
  const ledger = new SaveLedger();
  const counts = { attempted: 0, acknowledged: 0, inFlightAtKill: 0, inFlightCommitted: 0, lost: 0, upMs: 0 };
  const endpoint = new Endpoint();
  let stopping = false;

  async function saveLoop(client: number): Promise<void> {
    const random = mulberry32(options.seed * 1009 + client + 1);
    const coderId = set.coderIds[client]!;
    for (;;) {
      const server = await endpoint.next();
      if (!server || stopping) return;
      const frameId = set.frameIds[Math.floor(random() * set.frameIds.length)]!;
      const codes = randomCodes(set, random);
      ledger.sent(frameId, coderId, codes);
      counts.attempted++;
      const reply = await call(server, 'coding.save', { coderId, frameId, codes });
      if (reply.ok) {
        f.check(
          sameCodes(reply.value.codes, codes),
          `coding.save ${frameId}/${coderId} acknowledged ${JSON.stringify(reply.value.codes)} for ${JSON.stringify(codes)}`,
        );
        ledger.acknowledged(frameId, coderId, codes);
        counts.acknowledged++;
      } else if (reply.error.code !== UNREACHABLE) {
        ledger.refused(frameId, coderId, codes);
        f.check(false, `coding.save ${frameId}/${coderId} answered ${reply.error.code}: ${reply.error.message}`);
      }
      // UNREACHABLE: the server died with the save in flight; it stays in `inFlight` (it may have committed).
    }
  }

  /** A fresh open of the home checks every (frame, coder) against what was acknowledged. */
  function verify(after: string): void {
    withFreshOpen(home, (core) => {
      for (const problem of homeProblems(core.db, core.home)) f.check(false, `${after}: ${problem}`);
      const pairs = set.frameIds.flatMap((frameId) =>
        set.coderIds.map((coderId) => {
          const found = codesOf(core.db, frameId, coderId);
          return { frameId, coderId, found: Object.keys(found).length ? found : null };
        }),
      );
      const result = ledger.reconcile(pairs);
      for (const lost of result.lost) {
        f.check(
          false,
          `${after}: ${lost.frameId}/${lost.coderId} holds ${JSON.stringify(lost.found)}, acknowledged ${JSON.stringify(lost.acknowledged)}`,
        );
      }
      counts.lost += result.lost.length;
      counts.inFlightAtKill += result.inFlight;
      counts.inFlightCommitted += result.inFlightCommitted;
    });
  }

  const random = mulberry32(options.seed);
  const clients = Array.from({ length: options.clients }, (_, i) => saveLoop(i));
  try {
    for (let kill = 1; kill <= options.kills; kill++) {
      const server = await startServe(home);
      const upMs = options.upMs[0] + random() * (options.upMs[1] - options.upMs[0]);
      const before = counts.acknowledged;
      endpoint.up(server);
      await new Promise((resolve) => setTimeout(resolve, upMs));
      endpoint.down();
      await killHard(server);
      counts.upMs += upMs;
      verify(`after kill ${kill}`);
      options.log(`kill ${kill}/${options.kills} after ${Math.round(upMs)} ms up: ${counts.acknowledged - before} saves acknowledged`);
    }
  } finally {
    stopping = true;
    endpoint.up(null);
    await Promise.all(clients);
  }

  f.figures['kills (SIGKILL)'] = options.kills;
  f.figures['saves attempted'] = counts.attempted;
  f.figures['saves acknowledged'] = counts.acknowledged;
  f.figures['acknowledged saves per second up'] = round1(counts.acknowledged / (counts.upMs / 1000));
  f.figures['saves in flight at a kill'] = counts.inFlightAtKill;
  f.figures['  of which committed'] = counts.inFlightCommitted;
  f.figures['acknowledged saves lost'] = counts.lost;
  f.check(
    counts.acknowledged >= options.kills,
    `only ${counts.acknowledged} saves were acknowledged over ${options.kills} runs: the campaign tested nothing`,
  );
  return f.report('crash safety');
}

function randomCodes(set: CodingSet, random: () => number): Codes {
  return Object.fromEntries(set.dimensions.map((d) => [d.name, d.values[Math.floor(random() * d.values.length)]!]));
}
