/**
 * Load: many API calls from concurrent clients (reads and coding saves mixed) while many event
 * sockets are open. Every call must be answered ok, every socket must get every codes event
 * (one per save that changed something), and the server must still answer afterwards.
 */
import { mulberry32 } from '../../src/main/core/random';
import {
  callOk,
  call,
  Findings,
  openEventSocket,
  quantile,
  round1,
  startServe,
  stopServe,
  tempDir,
  waitUntil,
  type CampaignReport,
  type EventSocket,
  type Log,
} from './harness';
import { homeProblems } from './homeInvariants';
import { seedCoding, withFreshOpen } from './seedHome';

export interface LoadOptions {
  seed: number;
  calls: number;
  clients: number;
  sockets: number;
  frames: number;
  log: Log;
}

export const LOAD_SIZES = {
  ci: { calls: 200, clients: 4, sockets: 10, frames: 100 },
  long: { calls: 1000, clients: 4, sockets: 50, frames: 400 },
};

const isCodesEvent = (event: EventSocket['events'][number]) => event.type === 'data.changed' && event.topics.includes('codes');

export async function loadRun(options: LoadOptions): Promise<CampaignReport> {
  const f = new Findings();
  const home = tempDir('load');
  const set = seedCoding(home, { frames: options.frames, coders: options.clients });
  const server = await startServe(home);
  const sockets = Array.from({ length: options.sockets }, () => openEventSocket(server));
  await Promise.all(sockets.map((s) => s.opened));

  const latencies: number[] = [];
  let changedSaves = 0;
  let saves = 0;
  let failed = 0;
  const reads: [string, (coderId: string) => unknown][] = [
    ['coding.queue', (coderId) => ({ coderId })],
    ['codebook.get', () => ({})],
    ['frames.list', () => ({ limit: 50 })],
    ['videos.list', () => ({})],
    ['jobs.list', () => ({})],
    ['workspace.summary', () => ({})],
    ['app.info', () => ({})],
  ];

  async function client(index: number, count: number): Promise<void> {
    const random = mulberry32(options.seed * 7919 + index + 1);
    const coderId = set.coderIds[index % set.coderIds.length]!;
    for (let i = 0; i < count; i++) {
      let method: string;
      let input: unknown;
      const isSave = random() < 0.5;
      if (isSave) {
        method = 'coding.save';
        const frameId = set.frameIds[Math.floor(random() * set.frameIds.length)]!;
        const codes = Object.fromEntries(set.dimensions.map((d) => [d.name, d.values[Math.floor(random() * d.values.length)]!]));
        input = { coderId, frameId, codes };
      } else {
        const [name, makeInput] = reads[Math.floor(random() * reads.length)]!;
        method = name;
        input = makeInput(coderId);
      }
      const start = performance.now();
      const reply = await call(server, method, input);
      latencies.push(performance.now() - start);
      if (!reply.ok) {
        failed++;
        f.check(false, `${method} answered ${reply.error.code}: ${reply.error.message}`);
        continue;
      }
      if (isSave) {
        saves++;
        if (reply.value.batchId) changedSaves++;
      }
    }
  }

  const started = performance.now();
  const perClient = Math.floor(options.calls / options.clients);
  await Promise.all(
    Array.from({ length: options.clients }, (_, i) => client(i, i === 0 ? options.calls - perClient * (options.clients - 1) : perClient)),
  );
  const elapsedS = (performance.now() - started) / 1000;

  // Each save that changed a code announces it once, to every socket.
  const received = () => sockets.map((s) => s.events.filter(isCodesEvent).length);
  await waitUntil(() => received().every((n) => n >= changedSaves), `every socket to receive ${changedSaves} codes events`, 20_000).catch(
    () => undefined,
  );
  const counts = received();
  const short = counts.filter((n) => n !== changedSaves);
  f.check(
    short.length === 0,
    `${short.length} of ${sockets.length} sockets did not get exactly the ${changedSaves} codes events (got ${[...new Set(short)].join(', ')})`,
  );
  const dropped = sockets.filter((s) => s.closed()).length;
  f.check(dropped === 0, `${dropped} event sockets were closed by the server during the run`);

  // Still serving: a call and a new socket.
  const info = await call(server, 'app.info');
  f.check(info.ok, `app.info after the run: ${JSON.stringify(info)}`);
  const late = openEventSocket(server);
  await late.opened.then(
    () => undefined,
    (err: Error) => f.check(false, `a new event socket after the run: ${err.message}`),
  );
  const summary = await callOk(server, 'workspace.summary');
  for (const socket of [...sockets, late]) socket.close();
  const stopped = await stopServe(server);
  f.check(stopped.code === 0, `serve exited ${stopped.code}/${stopped.signal} on SIGTERM after the run`);
  withFreshOpen(home, (core) => {
    for (const problem of homeProblems(core.db, core.home)) f.check(false, `after the load run: ${problem}`);
  });

  f.figures['calls'] = latencies.length;
  f.figures['concurrent clients'] = options.clients;
  f.figures['calls failed'] = failed;
  f.figures['coding saves (changing codes)'] = `${saves} (${changedSaves})`;
  f.figures['event sockets open'] = sockets.length;
  f.figures['codes events per socket'] = counts.length ? `${Math.min(...counts)}..${Math.max(...counts)} of ${changedSaves}` : 'none';
  f.figures['latency p50 ms'] = round1(quantile(latencies, 0.5));
  f.figures['latency p95 ms'] = round1(quantile(latencies, 0.95));
  f.figures['latency max ms'] = round1(Math.max(...latencies));
  f.figures['calls per second'] = round1(latencies.length / elapsedS);
  f.figures['database after the run, bytes'] = summary.dbBytes;
  options.log(`load: ${latencies.length} calls in ${round1(elapsedS)} s, ${sockets.length} sockets`);
  return f.report('load');
}
