import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { resolveConfigPaths } from './data/prepare';
import { listRuns, runDirOf } from './runs/run';
import { writeComparison } from './runs/compareExport';
import { predictAnyVideo } from './runs/newVideo';
import { activateSuiteModel, listSuiteModels, registeredIdsByRun, resolveSuiteModelRef, suiteModelsOfRun } from './runs/registry';
import { compareRuns, liveCurves, previewDataset, runDetail } from './runs/views';
import type { HandlerGroup } from '../api/types';

/** Suite runs are folders under the home (immutable once written); training runs as a job. */
export const suiteHandlers: HandlerGroup<
  | 'suite.runs'
  | 'suite.predict'
  | 'suite.runDetail'
  | 'suite.compare'
  | 'suite.dataset.preview'
  | 'suite.liveCurves'
  | 'suite.models'
  | 'suite.models.activate'
  | 'suite.compare.export'
> = {
  // Each run with the registry ids its models got (the registry is the database's; the folder stays as written).
  'suite.runs': (input, core) => {
    const registered = registeredIdsByRun(core.db);
    return {
      runs: listRuns(core.home.root)
        .slice(0, input.limit)
        .map((run) => ({ ...run, registered: registered.get(run.runId) ?? [] })),
    };
  },
  // A single score re-reads the run's data (DuckDB + embeddings): seconds, not minutes, so it
  // runs here rather than as a job. Batch scoring is the suite.score job.
  'suite.predict': async (input, core) => {
    const { runId, model, registryId } = resolveSuiteModelRef(core.db, input);
    const runDir = runDirOf(core.home.root, runId);
    const { features, metadata, embeddings, embedding } = input;
    return { ...(await predictAnyVideo(runDir, model, input.videoId, { features, metadata, embeddings, embedding })), registryId };
  },
  'suite.compare.export': (input, core) => {
    const compare = compareRuns(core.home.root, input.runIds);
    return { files: writeComparison(compare, input.outDir, input.overwrite), splitWarning: compare.splitWarning };
  },
  'suite.models': ({ name, runId }, core) => {
    if (name && runId) throw new FramelabError('INVALID_INPUT', 'suite.models takes a name or a runId, not both.');
    return { models: runId ? suiteModelsOfRun(core.db, runId) : listSuiteModels(core.db, name) };
  },
  'suite.models.activate': (input, core) => {
    const model = activateSuiteModel(core.db, input.id);
    core.events.emit({ type: 'data.changed', topics: ['models'] });
    return model;
  },
  'suite.runDetail': (input, core) => runDetail(core.home.root, input.runId),
  'suite.compare': (input, core) => compareRuns(core.home.root, input.runIds),
  // Reads the data like a run does (DuckDB + embeddings): seconds, and it trains nothing.
  'suite.dataset.preview': (input) =>
    previewDataset(input.configFile ? resolveConfigPaths(input.config, path.dirname(input.configFile)) : input.config).catch(
      (e: unknown) => {
        throw e instanceof FramelabError
          ? e
          : new FramelabError('INVALID_INPUT', `previewing ${input.config.metadata}: ${e instanceof Error ? e.message : String(e)}`);
      },
    ),
  'suite.liveCurves': (input, core) => liveCurves(core.home.root, input.jobId),
};
