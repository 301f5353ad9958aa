import { z } from 'zod';
import {
  AnalysisColumnsInput,
  AnalysisColumnsOutput,
  AnalysisRunDetail,
  AnalysisRunId,
  AnalysisRunSummary,
  EXPORT_FORMATS,
} from './analysis';
import { AnnotationsImportInput, AnnotationsImportReport, RecodeEntry, RecodeListInput } from './annotations';
import { Coverage, Disagreement, GoldSnapshotSummary } from './gold';
import { Codebook, CodebookChange, Coder, CoderId, CodingQueuePage, QueueFilter, QueuePage, SavedCodes } from './coding';
import { JOB_KIND_NAMES, JobLogLine, JobStatus, JobSummary } from './jobs';
import { FrameSummary, VideoSummary } from './media';
import { IcrReport, IcrReportInput } from './icr';
import {
  BucketEntry,
  BucketKind,
  ConflictEntry,
  ConnectionTest,
  SyncRound,
  SyncRunOutput,
  SyncSettings,
  SyncSettingsChange,
  SyncStatus,
} from './sync';
import { ModelId, ModelSummary } from './models';
import { FinetuneRunSummary, FinetuneRunView } from './finetuneRuns';
import { SuiteModelSummary, SuiteRunResult } from './suite';
import {
  InferExportResult,
  InferFrameImage,
  InferOutputFolder,
  InferResultsInput,
  InferResultsView,
  InferVideoFrames,
} from './inferResults';
import { DatasetPreview, DatasetPreviewInput, RunId, SuiteCompare, SuiteLiveCurves, SuiteRunDetail } from './suiteViews';
import {
  AnalysesImportInput,
  AnalysesImportReport,
  AnalysesSummary,
  AnalysisView,
  PreferenceVideoId,
  RatingConflict,
  RatingHistory,
  RatingQueueInput,
  RatingQueuePage,
  RatingSaved,
  RatingSaveInput,
  RatingsExportInput,
  RatingsExportResult,
  RatingsImportInput,
  RatingsImportReport,
  RatingsListInput,
  RatingsPage,
} from './preference';
import { CorrelationReport } from './preferenceModel';
import {
  CorrelationSnapshotSummary,
  EligibilityOptions,
  EligibilityReport,
  ExpectedList,
  ExpectedSetInput,
  PreferenceCorrelateInput,
  PreferenceCorrelateResult,
  PreferenceModelSummary,
  PreferenceScoreAllInput,
  PreferenceScoreAllResult,
  PreferenceScoreInput,
  PreferenceScoreResult,
  PreferenceScoresInput,
  PreferenceScoresResult,
  PreferenceStatus,
  PreferenceTrainParams,
  PreferenceTrainResult,
} from './preferenceWorkflow';

/**
 * The whole API, declared once. Core handlers implement `Handlers` (src/main/core/api), and
 * every transport (Electron IPC, browser-mode HTTP, the CLI's remote client) is generic over
 * this map. Inputs are validated with these schemas at the boundary; outputs are typed.
 */
const method = <I extends z.ZodType, O extends z.ZodType>(spec: { summary: string; input: I; output: O }) => spec;
const NoInput = z.strictObject({});

export const Capability = z.object({
  available: z.boolean(),
  /** What was found (a version, a path) or, when unavailable, why and how to get it. */
  detail: z.string(),
});
export type Capability = z.infer<typeof Capability>;

export const DoctorReport = z.object({
  app: z.object({ name: z.string(), version: z.string() }),
  versions: z.record(z.string(), z.string().nullable()),
  platform: z.object({ os: z.string(), arch: z.string(), cpus: z.number().int(), memoryGb: z.number() }),
  home: z.object({
    path: z.string(),
    exists: z.boolean(),
    schemaVersion: z.number().int().nullable(),
    owner: z.object({ pid: z.number().int(), mode: z.string(), startedAt: z.string(), alive: z.boolean() }).nullable(),
  }),
  capabilities: z.object({
    ffmpeg: Capability,
    ffprobe: Capability,
    nativeAddon: Capability,
    xgboost: Capability,
    /** Model-input resize: the native image addon (available) or the slower TypeScript fallback. */
    imageResize: Capability,
    cuda: Capability,
    onnxruntime: Capability,
    gcsCredentials: Capability,
    electronBinary: Capability,
  }),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

export const AppMode = z.enum(['desktop', 'browser', 'cli']);
export type AppMode = z.infer<typeof AppMode>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  mode: AppMode,
  home: z.string(),
  schemaVersion: z.number().int(),
  startedAt: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const WorkspaceSummary = z.object({
  home: z.string(),
  dbFile: z.string(),
  dbBytes: z.number().int(),
  schemaVersion: z.number().int(),
  storedFiles: z.object({ count: z.number().int(), bytes: z.number().int() }),
  jobs: z.record(JobStatus, z.number().int()),
  lastIntegrityCheck: z
    .object({
      jobId: z.string(),
      finishedAt: z.string().nullable(),
      status: JobStatus,
      ok: z.boolean().nullable(),
      /** Files under the files folder nothing registers; null when unknown (not checked, or an older report). */
      unregistered: z.number().int().nullable(),
    })
    .nullable(),
});
export type WorkspaceSummary = z.infer<typeof WorkspaceSummary>;

/** What the first-run checklist ticks from: how far the home has come, as counts. */
export const WorkspaceProgress = z.object({
  videos: z.number().int(),
  frames: z.number().int(),
  dimensions: z.number().int(),
  coders: z.number().int(),
  /** Frames assigned to at least one coder. */
  assignedFrames: z.number().int(),
  /** Frames assigned to two or more coders (the overlap set reliability is computed on). */
  overlapFrames: z.number().int(),
  /** Frames with at least one code from any coder. */
  codedFrames: z.number().int(),
  /** Frames coded by at least two coders: what a reliability report needs. */
  codedByTwo: z.number().int(),
  goldSnapshots: z.number().int(),
});
export type WorkspaceProgress = z.infer<typeof WorkspaceProgress>;

const JobRef = z.strictObject({ jobId: z.string().min(1) });
const JobOut = z.object({ job: JobSummary });

export const api = {
  'app.info': method({ summary: 'Name, version, mode and home of the running app', input: NoInput, output: AppInfo }),
  'exports.stage': method({
    summary: "A new empty folder in the home's exports area for one export the person downloads (browser mode serves it from /downloads)",
    input: NoInput,
    output: z.object({ dir: z.string() }),
  }),
  'exports.createFolder': method({
    summary: 'Creates a folder (and its missing parents) for an export the person chose to write there; absolute, nothing hidden',
    input: z.strictObject({ path: z.string().min(1) }),
    output: z.object({ dir: z.string() }),
  }),
  'doctor.report': method({
    summary: 'Versions and capabilities of this machine',
    input: NoInput,
    output: DoctorReport,
  }),
  'workspace.summary': method({
    summary: 'What the home holds: database, stored files, jobs, last integrity check',
    input: NoInput,
    output: WorkspaceSummary,
  }),
  'workspace.progress': method({
    summary: 'How far the home has come, as counts: videos, frames, coders, assignments, codes, frames coded by two coders, gold snapshots',
    input: NoInput,
    output: WorkspaceProgress,
  }),
  'jobs.list': method({
    summary: 'Jobs, newest first',
    input: z.strictObject({
      status: z.array(JobStatus).optional(),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ jobs: z.array(JobSummary) }),
  }),
  'jobs.get': method({
    summary: 'One job with its log',
    input: JobRef,
    output: z.object({ job: JobSummary, logs: z.array(JobLogLine) }),
  }),
  'jobs.start': method({
    summary: 'Start a job of a kind with its parameters',
    input: z.strictObject({
      kind: z.enum(JOB_KIND_NAMES),
      params: z.record(z.string(), z.unknown()).default({}),
    }),
    output: JobOut,
  }),
  'jobs.cancel': method({ summary: 'Cancel a queued or running job', input: JobRef, output: JobOut }),
  'jobs.pause': method({
    summary:
      'Pause a queued or running resumable job: it stops like a cancel, keeps its checkpoint, ends cancelled with code PAUSED; jobs.resume continues it',
    input: JobRef,
    output: JobOut,
  }),
  'jobs.resume': method({
    summary: 'Resume an interrupted, failed or cancelled job where its kind supports it',
    input: JobRef,
    output: JobOut,
  }),
  'videos.list': method({
    summary: 'Imported videos with their metadata and frame counts',
    input: NoInput,
    output: z.object({ videos: z.array(VideoSummary) }),
  }),
  'frames.list': method({
    summary: 'Sampled frames, by video and time, a page at a time',
    input: z.strictObject({
      videoId: z.string().min(1).optional(),
      /** Only these frames (e.g. a codebook's example frames), still by video and time. */
      frameIds: z.array(z.string().min(1)).max(1000).optional(),
      limit: z.number().int().min(1).max(1000).default(100),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.object({ frames: z.array(FrameSummary), total: z.number().int() }),
  }),
  'codebook.get': method({ summary: 'The codebook: dimensions and their categories in order', input: NoInput, output: Codebook }),
  'codebook.change': method({
    summary: 'Apply one codebook edit; every edit is a new version',
    input: z.strictObject({
      change: CodebookChange,
      /** Recorded as the change's author (the lead's id when the app is open as a named lead). */
      by: z.string().min(1).optional(),
    }),
    output: Codebook,
  }),
  'codebook.history': method({
    summary: 'The codebook versions, newest first: what changed, when, by whom',
    input: NoInput,
    output: z.object({
      versions: z.array(z.object({ version: z.number(), createdAt: z.string(), change: z.string(), author: z.string().nullable() })),
    }),
  }),
  'coders.list': method({ summary: 'Coder profiles', input: NoInput, output: z.object({ coders: z.array(Coder) }) }),
  'coders.upsert': method({
    summary: 'Create a coder or change their name or role',
    input: z.strictObject({
      coderId: CoderId,
      name: z.string().trim().min(1).optional(),
      role: z.enum(['coder', 'lead']).optional(),
    }),
    output: z.object({ coder: Coder }),
  }),
  'assignments.create': method({
    summary: 'Split frames between coders with an overlap set coded by all of them',
    input: z.strictObject({
      coderIds: z.array(CoderId).min(1),
      frameIds: z.array(z.string()).optional(),
      overlap: z.union([
        z.strictObject({ fraction: z.number().min(0).max(1), seed: z.number().int().default(1) }),
        z.strictObject({ frameIds: z.array(z.string()) }),
      ]),
    }),
    output: z.object({ pool: z.number().int(), overlap: z.number().int(), perCoder: z.record(z.string(), z.number().int()) }),
  }),
  'coding.queue': method({
    summary: "A page of a coder's assigned frames with their own codes only, the filter's total and the counts",
    input: z.strictObject({ coderId: CoderId, filter: QueueFilter.default('all'), ...QueuePage.shape }),
    output: CodingQueuePage,
  }),
  'coding.save': method({
    summary: "Save a frame's codes, every dimension at once; acknowledged after commit",
    input: z.strictObject({ coderId: CoderId, frameId: z.string().min(1), codes: z.record(z.string(), z.string()) }),
    output: SavedCodes,
  }),
  'coding.undo': method({
    summary: "Undo the coder's latest save (a new history entry)",
    input: z.strictObject({ coderId: CoderId }),
    output: z.object({ restored: SavedCodes.nullable() }),
  }),
  'coding.flag': method({
    summary: 'Mark a frame unsure, with a note, for this coder',
    input: z.strictObject({ coderId: CoderId, frameId: z.string().min(1), unsure: z.boolean(), note: z.string().max(2000).default('') }),
    output: z.object({ frameId: z.string(), unsure: z.boolean(), note: z.string() }),
  }),
  'annotations.import': method({
    summary:
      "Import the lab's annotations.csv through the annotations.import job (progress as job events) and wait for its report: all of it, or with any bad row nothing; an older file keeps newer codes unless replaceNewer",
    input: AnnotationsImportInput,
    output: AnnotationsImportReport,
  }),
  'annotations.export': method({
    summary: "Write every frame × coder's codes as the lab's annotations.csv (never replacing a file unless overwrite)",
    input: z.strictObject({ out: z.string().min(1), overwrite: z.boolean().default(false) }),
    output: z.object({ rows: z.number().int(), file: z.string() }),
  }),
  'recode.list': method({
    summary: 'Open re-code entries (missing codes waiting for their coder), for the lead',
    input: RecodeListInput,
    output: z.object({ entries: z.array(RecodeEntry) }),
  }),
  'icr.report': method({
    summary: "Inter-coder reliability of one dimension on the project's codes (frames as units, videos as groups)",
    input: IcrReportInput,
    output: IcrReport,
  }),
  'icr.coverage': method({
    summary: 'What explains a report: overlap frames, coded by all, missing codes per coder and queued',
    input: z.strictObject({ dimension: z.string().min(1) }),
    output: Coverage,
  }),
  'icr.export': method({
    summary: 'Write the reliability report of a dimension as HTML, PDF, JSON or CSV (figures); never replacing a file unless overwrite',
    input: z.strictObject({
      dimension: z.string().min(1),
      format: z.enum(['html', 'pdf', 'json', 'csv']),
      out: z.string().min(1),
      overwrite: z.boolean().default(false),
      categories: z.array(z.string().trim().min(1)).min(1).optional(),
      bootstrap: z.number().int().min(0).max(100_000).default(1000),
      seed: z.number().int().default(1),
      byVideo: z.boolean().default(false),
    }),
    output: z.object({ file: z.string(), format: z.enum(['html', 'pdf', 'json', 'csv']) }),
  }),
  'gold.disagreements': method({
    summary: 'Frames the coders coded differently on a dimension, optionally one category pair',
    input: z.strictObject({ dimension: z.string().min(1), pair: z.tuple([z.string(), z.string()]).optional() }),
    output: z.object({ disagreements: z.array(Disagreement) }),
  }),
  'gold.adjudicate': method({
    summary: "The lead's decision on a disagreement (replaces an earlier one; all are kept)",
    input: z.strictObject({
      frameId: z.string().min(1),
      dimension: z.string().min(1),
      code: z.string().min(1),
      note: z.string().max(2000).optional(),
      decidedBy: z.string().optional(),
    }),
    output: z.object({ frameId: z.string(), dimension: z.string(), code: z.string(), note: z.string(), replaced: z.string().nullable() }),
  }),
  'gold.snapshot': method({
    summary: "Freeze a dimension's gold set (agreed + adjudicated frames) under a new id",
    input: z.strictObject({ dimension: z.string().min(1) }),
    output: GoldSnapshotSummary,
  }),
  'models.list': method({
    summary: 'Every model version in the registry (optionally of one dimension)',
    input: z.strictObject({ dimension: z.string().optional() }),
    output: z.object({ models: z.array(ModelSummary) }),
  }),
  'models.activate': method({
    summary: "Makes a model version its dimension's active model",
    input: z.strictObject({ id: ModelId }),
    output: z.object({ model: ModelSummary }),
  }),
  'finetune.runs': method({
    summary: 'Fine-tune runs (finetune.run jobs), newest first, with their outcome in brief',
    input: z.strictObject({ limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.object({ runs: z.array(FinetuneRunSummary) }),
  }),
  'finetune.run': method({
    summary: 'One fine-tune run: parameters, fold/epoch losses so far (or final), result, and its gold frames',
    input: JobRef,
    output: FinetuneRunView,
  }),
  'suite.runs': method({
    summary: 'Finished suite runs (run folders under the home), newest first, each with its leaderboard',
    input: z.strictObject({ limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.object({ runs: z.array(SuiteRunResult) }),
  }),
  'suite.predict': method({
    summary:
      "Score a video with a saved run model: one of the run's rows (feature overrides allowed) or a new video from a metadata row, features and an embedding file or vector",
    input: z.strictObject({
      // Absent when `model` is a registry id (suite_7d_ridge@v3, or a name for its active version).
      runId: z
        .string()
        .regex(/^suite-[0-9A-Za-z-]+$/, 'a run id such as suite-20250101T000000-abc123')
        .optional(),
      model: z.string().min(1),
      videoId: z.string().min(1),
      features: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).default({}),
      // A video the run never saw: its metadata row, its embedding (file or vector); absolute paths.
      metadata: z.string().min(1).optional(),
      embeddings: z
        .strictObject({ path: z.string().min(1), ids: z.string().min(1).optional(), key: z.string().min(1).optional() })
        .optional(),
      embedding: z.array(z.number()).min(1).optional(),
    }),
    output: z.object({
      runId: z.string(),
      model: z.string(),
      registryId: z.string().nullable().optional(),
      videoId: z.string(),
      yPred: z.number(),
      viewsPred: z.number().nullable(),
      source: z.enum(['run', 'new']).optional(),
    }),
  }),
  'suite.compare.export': method({
    summary: 'Writes the comparison of suite runs into OUT/comparison/ (runs.csv, models.csv, config_diffs.csv, comparison.json)',
    input: z.strictObject({ runIds: z.array(RunId).min(2).max(8), outDir: z.string().min(1), overwrite: z.boolean().default(false) }),
    output: z.object({ files: z.array(z.string()), splitWarning: z.string().nullable() }),
  }),
  'suite.models': method({
    summary:
      "Registered suite models (<name>@v<N>), each bound to its run, horizon, feature-set hash and data fingerprint; all, one name's versions, or one run's models",
    input: z.strictObject({ name: z.string().min(1).optional(), runId: RunId.optional() }),
    output: z.object({ models: z.array(SuiteModelSummary) }),
  }),
  'suite.models.activate': method({
    summary: "Make a suite model version its name's active one (what the bare name means in score and predict)",
    input: z.strictObject({ id: z.string().min(1) }),
    output: SuiteModelSummary,
  }),
  'suite.runDetail': method({
    summary:
      'One suite run for its screen: config, data summary, leaderboard with intervals, slices, curves, importance, predicted-vs-actual points',
    input: z.strictObject({ runId: RunId }),
    output: SuiteRunDetail,
  }),
  'suite.compare': method({
    summary: 'Suite runs side by side: metrics per model in each run and the config fields that differ',
    input: z.strictObject({ runIds: z.array(RunId).min(2).max(8) }),
    output: SuiteCompare,
  }),
  'suite.dataset.preview': method({
    summary:
      'Dry run of the data step of a suite config (filter, dedupe, join, feature choice with the reason for each excluded column); trains nothing',
    input: DatasetPreviewInput,
    output: DatasetPreview,
  }),
  'suite.liveCurves': method({
    summary: 'Per-epoch training curves of a running (or stopped) suite.run job so far',
    input: JobRef,
    output: SuiteLiveCurves,
  }),
  'analysis.runs': method({
    summary:
      'Finished outcome-analysis runs (run folders under the home), newest first, each in brief; a run itself is the analysis.run job (jobs.start)',
    input: z.strictObject({ limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.object({ runs: z.array(AnalysisRunSummary) }),
  }),
  'analysis.runDetail': method({
    summary:
      'One analysis run for its screen: the config as run, the data summary, versions, every result, and the partial-dependence grids with their values',
    input: z.strictObject({ runId: AnalysisRunId }),
    output: AnalysisRunDetail,
  }),
  'analysis.columns': method({
    summary:
      "A table's columns (with its joins) for the Analysis screen's pickers: type, missing and distinct values, and where each column comes from; fits nothing",
    input: AnalysisColumnsInput,
    output: AnalysisColumnsOutput,
  }),
  'gold.list': method({
    summary: 'Gold snapshots, newest first',
    input: z.strictObject({ dimension: z.string().optional() }),
    output: z.object({ snapshots: z.array(GoldSnapshotSummary) }),
  }),
  'gold.export': method({
    summary:
      'Write a gold snapshot as CSV (frame_id, video_id, timestamp_s, dimension, code, source, note); never replacing a file unless overwrite',
    input: z.strictObject({ snapshotId: z.string().min(1), out: z.string().min(1), overwrite: z.boolean().default(false) }),
    output: z.object({ rows: z.number().int(), file: z.string() }),
  }),
  'sync.status': method({
    summary: 'Where the local annotations stand against the bucket: synced, syncing, offline since …, conflicts',
    input: NoInput,
    output: SyncStatus,
  }),
  'sync.settings.get': method({
    summary: 'Sync settings (bucket, object, prefixes, key file path; never a credential)',
    input: NoInput,
    output: SyncSettings,
  }),
  'sync.settings.set': method({ summary: 'Change sync settings (the fields given)', input: SyncSettingsChange, output: SyncSettings }),
  'sync.test': method({
    summary: 'Test the connection to the bucket with these settings (or the saved ones); writes nothing',
    input: z.strictObject({ settings: SyncSettingsChange.optional() }),
    output: ConnectionTest,
  }),
  'sync.run': method({
    summary: 'One sync round now: download, merge, upload with ifGenerationMatch; offline leaves everything local as it was',
    input: z.strictObject({ bucket: z.string().trim().min(1).optional(), object: z.string().trim().min(1).optional() }),
    output: SyncRunOutput,
  }),
  'sync.rounds': method({
    summary: 'Recorded sync rounds, newest first',
    input: z.strictObject({ limit: z.number().int().min(1).max(1000).default(50) }),
    output: z.object({ rounds: z.array(SyncRound) }),
  }),
  'sync.conflicts': method({
    summary: 'Codes edited on both sides since the last sync, for the lead',
    input: z.strictObject({ includeResolved: z.boolean().default(false) }),
    output: z.object({ conflicts: z.array(ConflictEntry) }),
  }),
  'sync.resolve': method({
    summary: "Resolve a sync conflict with a category (the local, the bucket's, or another); a change goes up at the next round",
    input: z.strictObject({ id: z.number().int(), value: z.string().min(1), resolvedBy: z.string().optional() }),
    output: z.object({ conflict: ConflictEntry }),
  }),
  'sync.bucket.list': method({
    summary: "List the bucket's videos or frame images (<frame_id>.jpg|png) under the configured prefix",
    input: z.strictObject({ kind: BucketKind, prefix: z.string().optional() }),
    output: z.object({ prefix: z.string(), entries: z.array(BucketEntry) }),
  }),
  'sync.bucket.fetch': method({
    summary: 'Download videos or frame images into the local cache (checked by MD5/CRC32C); frames are linked to their frame ids',
    input: z.strictObject({ kind: BucketKind, names: z.array(z.string().min(1)).min(1).max(10_000), prefix: z.string().optional() }),
    output: z.object({
      files: z.array(z.object({ name: z.string(), path: z.string(), downloaded: z.boolean() })),
      linked: z.number().int(),
    }),
  }),
  'infer.outputs': method({
    summary: "Output folders of this home's batch inference runs (infer.run jobs), newest first",
    input: z.strictObject({ limit: z.number().int().min(1).max(1000).default(50) }),
    output: z.object({ outputs: z.array(InferOutputFolder) }),
  }),
  'infer.results': method({
    summary: 'A batch inference output folder: the run in brief, class distribution per model, a page of videos (search by id), errors',
    input: InferResultsInput,
    output: InferResultsView,
  }),
  'infer.videoFrames': method({
    summary: "One video's predicted frames: time and, per model, class, confidence and probabilities",
    input: z.strictObject({ outDir: z.string().trim().min(1), videoId: z.string().min(1) }),
    output: InferVideoFrames,
  }),
  'infer.frameImage': method({
    summary: 'A predicted frame decoded again from its video (PNG data URL, scaled to maxWidth)',
    input: z.strictObject({
      outDir: z.string().trim().min(1),
      videoId: z.string().min(1),
      timestampS: z.number().min(0),
      maxWidth: z.number().int().min(16).max(4096).default(480),
    }),
    output: InferFrameImage,
  }),
  'infer.export': method({
    summary: "Copy a finished run's three CSVs to a folder (never replacing a file unless overwrite)",
    input: z.strictObject({ outDir: z.string().trim().min(1), dest: z.string().trim().min(1), overwrite: z.boolean().default(false) }),
    output: InferExportResult,
  }),
  'analysis.export': method({
    summary:
      "Write a finished analysis run's regression tables as journals print them (csv: long and wide; html; tex with booktabs) plus focal_interactions_full.csv and focal_interactions_pivot.csv into a folder; never replacing a file unless overwrite",
    input: z.strictObject({
      runId: AnalysisRunId,
      format: z.enum(EXPORT_FORMATS),
      out: z.string().trim().min(1),
      overwrite: z.boolean().default(false),
    }),
    output: z.object({ files: z.array(z.string()) }),
  }),
  'preference.analyses.import': method({
    summary:
      "Import the lab's video analyses (a .json file per video, a .jsonl file, or a folder of them) through the preference.analyses.import job and wait for its report; a file with a problem imports nothing, the others still do",
    input: AnalysesImportInput,
    output: AnalysesImportReport,
  }),
  'preference.analyses.summary': method({
    summary: 'Stored analyses: videos, copies, and per analysis_version its videos and feature counts (newest version first)',
    input: NoInput,
    output: AnalysesSummary,
  }),
  'preference.analyses.get': method({
    summary: "One video's analyses: the current one of each version, and every imported copy",
    input: z.strictObject({ videoId: PreferenceVideoId }),
    output: AnalysisView,
  }),
  'preference.ratings.save': method({
    summary:
      "Save a rating (overall and optional hook, pacing, payoff: 0–10 in 0.5 steps; a note): a new history entry that becomes the video's current rating by this rater; acknowledged after commit",
    input: RatingSaveInput,
    output: RatingSaved,
  }),
  'preference.ratings.list': method({
    summary: 'A page of current ratings (one per video × rater), by video_id then rater, optionally of one rater, rater type or video',
    input: RatingsListInput,
    output: RatingsPage,
  }),
  'preference.ratings.queue': method({
    summary:
      'Videos a rater has still to rate (with an analysis or imported, no rating by this rater): those with an analysis of the newest version first, then other analysed ones, then imported ones; by video_id within each',
    input: RatingQueueInput,
    output: RatingQueuePage,
  }),
  'preference.ratings.history': method({
    summary: 'Every rating of one video, newest first, and the current rating of each rater',
    input: z.strictObject({ videoId: PreferenceVideoId }),
    output: RatingHistory,
  }),
  'preference.ratings.import': method({
    summary:
      'Import ratings from a CSV (video_id, rater, rater_type, overall, hook, pacing, payoff, notes, rated_at): all of it, or with any bad row nothing (every bad row listed); ratings already stored are unchanged',
    input: RatingsImportInput,
    output: RatingsImportReport,
  }),
  'preference.ratings.export': method({
    summary:
      'Write every rating (or only the current ones) as the ratings CSV, notes safe for spreadsheets; never replacing a file unless overwrite',
    input: RatingsExportInput,
    output: RatingsExportResult,
  }),
  'preference.ratings.conflicts': method({
    summary: 'Videos rated by the same rater on both sides of a sync round (both kept, the newer current), newest first',
    input: z.strictObject({ limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.object({ conflicts: z.array(RatingConflict) }),
  }),
  'preference.eligibility': method({
    summary:
      'Which ratings a preference model learns from: the newest owner rating of each video whose analysis of the version (default: the newest) has feature_count ≥ minFeatures (100); the rest counted by reason with their video ids',
    input: z.strictObject(EligibilityOptions.shape),
    output: EligibilityReport,
  }),
  'preference.correlate': method({
    summary:
      "Correlations of every model feature with the owner's overall rating (r, p as scipy's pearsonr, BH q, the spec's tiers), the top 20 each way and the expected list checked; stored as a snapshot with the rating count",
    input: z.strictObject(PreferenceCorrelateInput.shape),
    output: PreferenceCorrelateResult,
  }),
  'preference.expected.get': method({
    summary: "The expected strong correlations the correlate run checks (the spec's §4.2 list until someone edits it)",
    input: NoInput,
    output: ExpectedList,
  }),
  'preference.expected.set': method({
    summary: 'Replace the expected correlations (feature and direction each; the previous lists are kept as history)',
    input: z.strictObject(ExpectedSetInput.shape),
    output: ExpectedList,
  }),
  'preference.snapshots.list': method({
    summary: 'Correlation snapshots, newest first: rating count, settings, expected confirmed/opposite, significant features',
    input: z.strictObject({ limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.object({ snapshots: z.array(CorrelationSnapshotSummary) }),
  }),
  'preference.snapshots.get': method({
    summary: "One correlation snapshot's full report as it was stored",
    input: z.strictObject({ id: z.number().int().positive() }),
    output: CorrelationSnapshotSummary.extend({ report: CorrelationReport }),
  }),
  'preference.train': method({
    summary:
      'Train a preference model through the preference.train job and wait for it: evaluation (80/20, 5-fold CV), the final fit on every eligible rating, registered as the next preference@v version (active only with activateIfAdvised and the advice saying so)',
    input: z.strictObject(PreferenceTrainParams.shape),
    output: PreferenceTrainResult,
  }),
  'preference.models.list': method({
    summary: 'Every preference model version, oldest first, with its metrics, training rating count, parent, notes and activation advice',
    input: NoInput,
    output: z.object({ models: z.array(PreferenceModelSummary), active: z.string().nullable() }),
  }),
  'preference.activate': method({
    summary: 'Make a preference model the active one (the one scores use by default); the previous active one stays stored',
    input: z.strictObject({ id: z.string().trim().min(1) }),
    output: PreferenceModelSummary,
  }),
  'preference.status': method({
    summary:
      "Where the lab is on the spec's ladder (100/200/300/500 ratings), the eligible counts, the active model and whether a retrain is due and why",
    input: NoInput,
    output: PreferenceStatus,
  }),
  'preference.score': method({
    summary:
      "Score one video's stored analysis or an analysis file (import format) with the active model or modelId: score 0–10, confidence, the top 5 factors",
    input: PreferenceScoreInput,
    output: PreferenceScoreResult,
  }),
  'preference.scores': method({
    summary:
      "The score of every video with an analysis of the model's version (active model unless modelId), keyed by video_id; no model: model null and no scores",
    input: PreferenceScoresInput,
    output: PreferenceScoresResult,
  }),
  'preference.scoreAll': method({
    summary:
      'Score every analysed video into a CSV (video_id, model, analysis_version, score, confidence, coverage, top factors); never replacing a file unless overwrite',
    input: PreferenceScoreAllInput,
    output: PreferenceScoreAllResult,
  }),
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
/** What a caller sends (defaults may be omitted). */
export type Input<M extends MethodName> = z.input<Api[M]['input']>;
/** What a handler receives, after validation and defaults. */
export type ParsedInput<M extends MethodName> = z.output<Api[M]['input']>;
export type Output<M extends MethodName> = z.output<Api[M]['output']>;
export const METHOD_NAMES = Object.keys(api) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}
