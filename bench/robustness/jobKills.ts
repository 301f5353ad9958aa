/**
 * Job kills: `framelab serve` is killed with SIGKILL half-way through a video import, a frame
 * sampling, an annotations import and an integrity check (and a job process is killed on its
 * own). Each time: nothing the server started keeps running, the job is `interrupted` after the
 * restart (never lost, never running forever), a resumable job resumes to the end, a
 * non-resumable one is refused with JOB_NOT_RESUMABLE and runs again from the start, nothing
 * is half-registered, and `framelab check` passes at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../../src/main/core/random';
import type { FramelabEvent } from '../../src/shared/events';
import type { JobSummary } from '../../src/shared/jobs';
import {
  bounded,
  call,
  callOk,
  descendants,
  describeProcess,
  FINISHED,
  Findings,
  killHard,
  openEventSocket,
  runFramelab,
  startServe,
  stillRunning,
  stopServe,
  tempDir,
  waitForJobEnd,
  waitUntil,
  type CampaignReport,
  type EventSocket,
  type Log,
  type Server,
} from './harness';
import { fileProblems, homeProblems } from './homeInvariants';
import { makeAnnotations, makeClips, type AnnotationsFile } from './inputs';
import { seedSparseFiles, withFreshOpen, withReadOnly } from './seedHome';

export interface JobKillsOptions {
  seed: number;
  /** Each round runs every kill on a fresh home. */
  rounds: number;
  clips: number;
  clipSeconds: number;
  sampleEverySeconds: number;
  /** Sparse stored files the integrity check hashes (long enough to kill it mid-way). */
  sparseFiles: number;
  sparseBytes: number;
  annotationVideos: number;
  annotationFramesPerVideo: number;
  annotationImages: number;
  /** The final check through the CLI (`framelab check`, one more process start) or the same job over the API. */
  cliCheck: boolean;
  log: Log;
}

export const JOB_KILLS_SIZES = {
  ci: {
    rounds: 1,
    clips: 6,
    clipSeconds: 2,
    sampleEverySeconds: 1,
    sparseFiles: 4,
    sparseBytes: 32 * 2 ** 20,
    annotationVideos: 20,
    annotationFramesPerVideo: 50,
    annotationImages: 20,
    cliCheck: false,
  },
  long: {
    rounds: 5,
    clips: 16,
    clipSeconds: 3,
    sampleEverySeconds: 1,
    sparseFiles: 12,
    sparseBytes: 256 * 2 ** 20,
    annotationVideos: 200,
    annotationFramesPerVideo: 100,
    annotationImages: 200,
    cliCheck: true,
  },
};

interface KillOutcome {
  /** The job's progress in the last event before the kill. */
  fraction: number;
}

/**
 * Per job kind. `interrupted`: the restart found the job cut off mid-way. `finishedFirst`: the
 * job finished between the last event seen and the kill landing (its result must then be whole).
 */
type Tally = Record<'killed' | 'interrupted' | 'finishedFirst' | 'finishedAgain', number>;

export async function jobKills(options: JobKillsOptions): Promise<CampaignReport> {
  const f = new Findings();
  const random = mulberry32(options.seed);
  const inputs = tempDir('job-inputs');
  const clipsDir = path.join(inputs, 'clips');
  fs.mkdirSync(clipsDir);
  const clips = await makeClips(clipsDir, options.clips, options.clipSeconds);
  const annotations = await makeAnnotations(inputs, {
    videos: options.annotationVideos,
    framesPerVideo: options.annotationFramesPerVideo,
    images: options.annotationImages,
    seed: options.seed,
  });
  const tallies: Record<string, Tally> = {};
  const tally = (kind: string) => (tallies[kind] ??= { killed: 0, interrupted: 0, finishedFirst: 0, finishedAgain: 0 });
  let orphansLeft = 0;
  let restarts = 0;

  /** A kill target: somewhere in the job's progress, sometimes at its very end (the owner's apply step). */
  const target = () => (random() < 0.2 ? 1 : 0.1 + 0.8 * random());

  async function killMidJob(
    server: Server,
    socket: EventSocket,
    jobId: () => string | undefined,
    kind: string,
    at: number,
    where: string,
  ): Promise<KillOutcome> {
    const hit = (event: FramelabEvent): JobSummary | null =>
      event.type === 'job.updated' &&
      (event.job.id === jobId() || (jobId() === undefined && event.job.kind === kind)) &&
      (FINISHED.includes(event.job.status) || (event.job.status === 'running' && event.job.progress.fraction >= at))
        ? event.job
        : null;
    const seen = await bounded(
      new Promise<JobSummary>((resolve) => {
        for (const event of socket.events) {
          const job = hit(event);
          if (job) return resolve(job);
        }
        socket.onEvent((event) => {
          const job = hit(event);
          if (job) resolve(job);
        });
      }),
      600_000,
      `${where}: the ${kind} job to reach ${Math.round(at * 100)}%`,
    );
    // Everything the server started (job processes, ffmpeg) must go with it.
    const tree = descendants(server.pid);
    await killHard(server);
    tally(kind).killed++;
    const left = await waitUntil(() => stillRunning(tree).length === 0, "the killed server's children to exit", 15_000).then(
      () => [],
      () => stillRunning(tree),
    );
    orphansLeft += left.length;
    f.check(left.length === 0, `${where}: still running 15 s after the server was killed: ${left.map(describeProcess).join('; ')}`);
    return { fraction: seen.progress.fraction };
  }

  /**
   * After a restart the job is interrupted, with its reason, or it had succeeded before the kill
   * landed; never queued, running (forever) or failed.
   */
  function countOutcome(kind: string, job: JobSummary, where: string): void {
    if (job.status === 'interrupted') {
      tally(kind).interrupted++;
      f.check(!!job.error?.message, `${where}: the interrupted ${kind} job carries no reason`);
    } else if (job.status === 'succeeded') {
      tally(kind).finishedFirst++;
    } else {
      f.check(
        false,
        `${where}: the ${kind} job is ${job.status} after the restart (${job.error?.message ?? 'no reason'}), not interrupted`,
      );
    }
  }

  async function jobAfterRestart(server: Server, jobId: string, kind: string, where: string): Promise<JobSummary> {
    const { job } = (await callOk(server, 'jobs.get', { jobId })) as { job: JobSummary };
    countOutcome(kind, job, where);
    return job;
  }

  /** A non-resumable job refuses to resume, clearly; it runs again from the start instead. */
  async function refusesResume(server: Server, jobId: string, where: string): Promise<void> {
    const reply = await call(server, 'jobs.resume', { jobId });
    f.check(
      !reply.ok && reply.error.code === 'JOB_NOT_RESUMABLE',
      `${where}: jobs.resume of a non-resumable job answered ${JSON.stringify(reply)}`,
    );
  }

  function noHalfFiles(home: string, where: string): void {
    withReadOnly(home, (db, paths) => {
      for (const problem of fileProblems(db, paths)) f.check(false, `${where}: ${problem}`);
    });
  }

  async function restart(home: string): Promise<{ server: Server; socket: EventSocket }> {
    const server = await startServe(home);
    restarts++;
    const socket = openEventSocket(server);
    await socket.opened;
    return { server, socket };
  }

  async function startJob(server: Server, kind: string, params: unknown): Promise<string> {
    return ((await callOk(server, 'jobs.start', { kind, params })) as { job: JobSummary }).job.id;
  }

  for (let round = 1; round <= options.rounds; round++) {
    const home = tempDir('jobs');
    seedSparseFiles(home, options.sparseFiles, options.sparseBytes);
    let { server, socket } = await restart(home);
    const where = (what: string) => `round ${round}, ${what}`;

    // 1. Video import, killed mid-way: nothing of it is registered; run again, it imports every clip.
    let at = target();
    const importId = await startJob(server, 'media.import', { paths: [clipsDir] });
    let outcome = await killMidJob(server, socket, () => importId, 'media.import', at, where('media.import'));
    ({ server, socket } = await restart(home));
    const importAfter = await jobAfterRestart(server, importId, 'media.import', where('media.import'));
    const videosAfterKill = (await callOk(server, 'videos.list')).videos.length;
    f.check(
      videosAfterKill === 0 || videosAfterKill === clips.length,
      where(`media.import: ${videosAfterKill} of ${clips.length} videos registered after the kill (all or none)`),
    );
    if (importAfter.status === 'interrupted') await refusesResume(server, importId, where('media.import'));
    const imported = await waitForJobEnd(server, await startJob(server, 'media.import', { paths: [clipsDir] }));
    if (
      f.check(imported.status === 'succeeded', where(`media.import after the restart ended ${imported.status}: ${imported.error?.message}`))
    )
      tally('media.import').finishedAgain++;
    f.check(
      (await callOk(server, 'videos.list')).videos.length === clips.length,
      where('media.import: not every clip is registered after the second import'),
    );
    options.log(`round ${round}: media.import killed at ${percent(outcome)}, found ${importAfter.status}`);

    // 2. Frame sampling, killed mid-way: no frame without its image, no stray temporary file; run again.
    at = target();
    const strategy = { kind: 'every', seconds: options.sampleEverySeconds };
    const sampleId = await startJob(server, 'frames.sample', { strategy });
    outcome = await killMidJob(server, socket, () => sampleId, 'frames.sample', at, where('frames.sample'));
    ({ server, socket } = await restart(home));
    const sampleAfter = await jobAfterRestart(server, sampleId, 'frames.sample', where('frames.sample'));
    noHalfFiles(home, where('frames.sample after the kill'));
    if (sampleAfter.status === 'interrupted') await refusesResume(server, sampleId, where('frames.sample'));
    const sampled = await waitForJobEnd(server, await startJob(server, 'frames.sample', { strategy }));
    if (
      f.check(sampled.status === 'succeeded', where(`frames.sample after the restart ended ${sampled.status}: ${sampled.error?.message}`))
    )
      tally('frames.sample').finishedAgain++;
    const frames = await callOk(server, 'frames.list', { limit: 1000 });
    const withoutImage = frames.frames.filter((fr: { image: string | null; thumb: string | null }) => !fr.image || !fr.thumb);
    f.check(
      frames.total > 0 && withoutImage.length === 0,
      where(`frames.sample: ${withoutImage.length} of ${frames.total} frames without image or thumbnail`),
    );
    options.log(
      `round ${round}: frames.sample killed at ${percent(outcome)}, found ${sampleAfter.status}; ${frames.total} frames after the rerun`,
    );

    // 3. Integrity check (resumable), killed mid-way: it resumes from its checkpoint to a clean report.
    at = Math.min(target(), 0.9);
    const checkId = await startJob(server, 'workspace.integrity', {});
    outcome = await killMidJob(server, socket, () => checkId, 'workspace.integrity', at, where('workspace.integrity'));
    ({ server, socket } = await restart(home));
    const checkAfter = await jobAfterRestart(server, checkId, 'workspace.integrity', where('workspace.integrity'));
    if (checkAfter.status === 'interrupted') {
      await callOk(server, 'jobs.resume', { jobId: checkId });
      const resumed = await waitForJobEnd(server, checkId);
      if (
        f.check(
          resumed.status === 'succeeded' && (resumed.result as { ok: boolean }).ok,
          where(`workspace.integrity resumed ended ${resumed.status} ${JSON.stringify(resumed.result ?? resumed.error)}`),
        )
      ) {
        tally('workspace.integrity').finishedAgain++;
      }
    }
    options.log(`round ${round}: workspace.integrity killed at ${percent(outcome)}, found ${checkAfter.status}`);

    // 4. The job process alone, killed: the server lives on, the job is interrupted and resumes.
    const workerCheckId = await startJob(server, 'workspace.integrity', {});
    await waitUntil(
      async () => {
        const { job } = (await callOk(server, 'jobs.get', { jobId: workerCheckId })) as { job: JobSummary };
        return job.status === 'running' && job.progress.fraction > 0.05 ? job : FINISHED.includes(job.status) ? job : null;
      },
      'the integrity check to run',
      60_000,
      20,
    );
    const workers = descendants(server.pid).filter(isJobProcess);
    workers.forEach((pid) => process.kill(pid, 'SIGKILL'));
    tally('job process').killed += workers.length;
    if (workers.length) {
      const afterWorkerKill = await waitForJobEnd(server, workerCheckId, 30_000);
      if (
        f.check(
          afterWorkerKill.status === 'interrupted',
          where(`after its job process was killed the integrity job is ${afterWorkerKill.status}`),
        )
      )
        tally('job process').interrupted++;
      await callOk(server, 'jobs.resume', { jobId: workerCheckId });
      const resumed = await waitForJobEnd(server, workerCheckId);
      if (f.check(resumed.status === 'succeeded', where(`the integrity job resumed after its process was killed ended ${resumed.status}`)))
        tally('job process').finishedAgain++;
    }
    f.check((await call(server, 'app.info')).ok, where('the server does not answer after its job process was killed'));

    // 5. Annotations import (with image copies), killed mid-way: all of the file or none of it.
    at = target();
    const pendingImport = call(server, 'annotations.import', { file: annotations.file, framesDir: annotations.framesDir });
    outcome = await killMidJob(server, socket, () => undefined, 'annotations.import', at, where('annotations.import'));
    await pendingImport;
    ({ server, socket } = await restart(home));
    const annotationJobs = ((await callOk(server, 'jobs.list', {})).jobs as JobSummary[]).filter((j) => j.kind === 'annotations.import');
    f.check(annotationJobs.length === 1, where(`${annotationJobs.length} annotations.import jobs after the kill, not 1`));
    for (const job of annotationJobs) countOutcome('annotations.import', job, where('annotations.import'));
    allOrNothing(home, annotations, where('annotations.import after the kill'));
    noHalfFiles(home, where('annotations.import after the kill'));
    const again = await call(server, 'annotations.import', { file: annotations.file, framesDir: annotations.framesDir });
    if (
      f.check(
        again.ok && again.value.errors.length === 0 && again.value.rows === annotations.rows,
        where(`annotations.import after the restart: ${JSON.stringify(again).slice(0, 300)}`),
      )
    ) {
      tally('annotations.import').finishedAgain++;
    }
    allOrNothing(home, annotations, where('annotations.import after the rerun'), true);
    options.log(`round ${round}: annotations.import killed at ${percent(outcome)}, found ${annotationJobs.map((j) => j.status).join()}`);

    // The workspace check (`framelab check` goes through the running server to this same job), then a clean stop and a fresh open.
    if (options.cliCheck) {
      const check = await runFramelab(['check', '--home', home, '--json']);
      const report = check.code === 0 ? JSON.parse(check.stdout).job?.result : null;
      f.check(
        check.code === 0 && report?.ok === true,
        where(`framelab check exited ${check.code}: ${(check.stdout + check.stderr).trim().slice(0, 400)}`),
      );
    } else {
      const check = await waitForJobEnd(server, await startJob(server, 'workspace.integrity', {}));
      f.check(
        check.status === 'succeeded' && check.result?.ok === true,
        where(`the workspace check ended ${check.status}: ${JSON.stringify(check.result ?? check.error).slice(0, 400)}`),
      );
    }
    socket.close();
    const stopped = await stopServe(server);
    f.check(stopped.code === 0, where(`serve exited ${stopped.code}/${stopped.signal} on SIGTERM`));
    withFreshOpen(home, (core) => {
      for (const problem of homeProblems(core.db, core.home)) f.check(false, where(problem));
    });
  }

  function allOrNothing(home: string, file: AnnotationsFile, where: string, mustBeAll = false): void {
    withReadOnly(home, (db) => {
      const frames = (db.prepare(`SELECT count(*) AS n FROM frames WHERE video_id LIKE 'ann\\_%' ESCAPE '\\'`).get() as { n: number }).n;
      const codes = (db.prepare(`SELECT count(*) AS n FROM codes WHERE frame_id LIKE 'ann\\_%' ESCAPE '\\'`).get() as { n: number }).n;
      const allCodes = file.rows * 2; // two dimensions per row
      const all = frames === file.frames && codes === allCodes;
      const none = frames === 0 && codes === 0;
      f.check(
        mustBeAll ? all : all || none,
        `${where}: ${frames} of ${file.frames} frames and ${codes} of ${allCodes} codes (all or nothing)`,
      );
    });
  }

  for (const [kind, t] of Object.entries(tallies)) {
    f.figures[kind] =
      `${t.killed} killed: ${t.interrupted} interrupted, ${t.finishedFirst} had just finished; ${t.finishedAgain} finished on resume/rerun`;
  }
  f.figures['server restarts'] = restarts;
  f.figures['processes left running after a kill'] = orphansLeft;
  const interrupted = Object.values(tallies).reduce((sum, t) => sum + t.interrupted, 0);
  f.check(interrupted > 0, 'no kill landed while a job was running: the campaign tested nothing');
  return f.report('job kills');
}

const percent = (outcome: KillOutcome) => `${Math.round(outcome.fraction * 100)}%`;

/** A job process: the server's child started with FRAMELAB_JOB_PROCESS=1 (jobs/launcher.ts). */
function isJobProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes('FRAMELAB_JOB_PROCESS=1');
  } catch {
    return false;
  }
}
