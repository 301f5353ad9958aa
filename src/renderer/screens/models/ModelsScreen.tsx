import { useEffect, useState } from 'react';
import type { JobSummary } from '../../../shared/jobs';
import type { ModelSummary, ModelsPredictResult } from '../../../shared/models';
import { callConfirmingOverwrite } from '../../api/confirmOverwrite';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { FormFeedback, useFormFeedback } from '../../components/FormFeedback';
import { JobInline } from '../../components/JobInline';
import { isActive } from '../../components/format';
import { activateDimensionModel, listModels } from '../../store/modelsActions';
import { startJob } from '../../store/actions';
import { Screen } from '../../components/Screen';
import { Table } from '../../components/Table';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** A registry row's maker: the run (a job) that trained it, opened where that run is shown. */
function SourceRunLink({
  jobId,
  kind,
  open,
}: {
  jobId: string;
  kind: string | undefined;
  open: (jobId: string, kind: string | undefined) => void;
}) {
  const label = kind === undefined || kind === 'finetune.run' ? 'Fine-tune run' : 'Job';
  return (
    <button
      type="button"
      className="linklike"
      data-testid="source-run"
      data-job-id={jobId}
      onClick={() => open(jobId, kind)}
      title={`Open the run that made this model (job ${jobId})`}
    >
      {label} <span className="mono">{jobId.slice(0, 8)}</span>
    </button>
  );
}

/**
 * The model registry: every version with its classes, lineage and hash; the active one per
 * dimension; import, predict and export (each a job with progress in the jobs panel).
 */
export function ModelsScreen() {
  const upsertJob = useStore((s) => s.upsertJob);
  const jobs = useStore((s) => s.jobs);
  const setArea = useStore((s) => s.setArea);
  const openFinetuneRun = useStore((s) => s.openFinetuneRun);
  const selectJob = useStore((s) => s.selectJob);
  const modelsVersion = useStore((s) => s.topicVersions.models ?? 0);
  const [models, setModels] = useState<ModelSummary[] | null>(null);
  const [file, setFile] = useState('');
  const [dimension, setDimension] = useState('pov');
  const [version, setVersion] = useState('v7');
  const [classes, setClasses] = useState('');
  const [predictModel, setPredictModel] = useState('');
  const [images, setImages] = useState('');
  const [predictJob, setPredictJob] = useState<string | null>(null);
  const [exportFormat, setExportFormat] = useState<'pth' | 'safetensors' | 'onnx'>('pth');
  const [exportOut, setExportOut] = useState('');

  useEffect(() => {
    listModels({}).then(({ models: list }) => {
      setModels(list);
      setPredictModel((current) => current || (list.find((m) => m.active)?.id ?? list[0]?.id ?? ''));
    }, notifyError);
  }, [modelsVersion]);

  // Each form shows its own failure (and its job) beside its button.
  const importForm = useFormFeedback();
  const predictForm = useFormFeedback();
  const exportForm = useFormFeedback();
  const [importJob, setImportJob] = useState<string | null>(null);
  const [exportJob, setExportJob] = useState<string | null>(null);

  // An edited form's old outcome is stale: its message goes, and its job too once it has ended.
  const forget = (form: ReturnType<typeof useFormFeedback>, jobId: string | null, setJob: (id: string | null) => void) => {
    form.clear();
    const job = jobId ? jobs[jobId] : undefined;
    if (job && !isActive(job)) setJob(null);
  };

  const start = async (
    form: ReturnType<typeof useFormFeedback>,
    kind: 'models.import' | 'models.predict' | 'models.export',
    params: Record<string, unknown>,
  ): Promise<JobSummary | null> => {
    // An export to a file that exists is refused at start; the person is asked before it is replaced.
    const started = await form.run(
      () => callConfirmingOverwrite((overwrite) => startJob({ kind, params: overwrite ? { ...params, overwrite } : params })),
      (result) => (result ? null : 'Not started: the existing file was kept.'),
    );
    if (!started) return null;
    upsertJob(started.job);
    return started.job;
  };

  const importModel = async (e: React.FormEvent) => {
    e.preventDefault();
    const list = classes.split(',').map((c) => c.trim());
    setImportJob(
      (await start(importForm, 'models.import', { file: file.trim(), dimension, version: version.trim(), classes: list }))?.id ?? null,
    );
  };

  const predict = async (e: React.FormEvent) => {
    e.preventDefault();
    const job = await start(predictForm, 'models.predict', { model: predictModel, images: lines(images) });
    if (job) setPredictJob(job.id);
  };

  const exportModel = async (e: React.FormEvent) => {
    e.preventDefault();
    setExportJob(
      (await start(exportForm, 'models.export', { model: predictModel, format: exportFormat, out: exportOut.trim() }))?.id ?? null,
    );
  };

  const activate = (id: string) => activateDimensionModel({ id }).catch(notifyError);

  const finished = predictJob ? jobs[predictJob] : undefined;
  const predictions = finished?.status === 'succeeded' ? (finished.result as ModelsPredictResult) : null;

  return (
    <Screen id="models" title="Models">
      <article className="card">
        <h2>Registry</h2>
        {models === null ? (
          <p className="muted">Loading…</p>
        ) : models.length === 0 ? (
          <p className="muted">No models yet. Import the lab's v7 weights below (a .pth saved by torch.save).</p>
        ) : (
          <Table
            columns={['Model', 'Classes', 'Parent', 'Metrics', 'sha256', 'Source', 'Active']}
            items={models}
            label="Models"
            row={(m) => (
              <tr key={m.id} data-model={m.id}>
                <td>
                  <strong>{m.id}</strong>
                  <div className="muted small">{m.architecture}</div>
                </td>
                <td>{m.classes.join(', ')}</td>
                <td>{m.parentId ?? '—'}</td>
                <td className="small">
                  {Object.entries(m.metrics)
                    .filter(([, v]) => typeof v === 'number')
                    .map(([k, v]) => `${k} ${(v as number).toFixed(3)}`)
                    .join(' · ') || '—'}
                </td>
                <td className="mono small" title={m.sha256}>
                  {m.sha256.slice(0, 12)}
                </td>
                <td className="small" title={m.source}>
                  {m.source.startsWith('job:') ? (
                    <SourceRunLink
                      jobId={m.source.slice('job:'.length)}
                      kind={jobs[m.source.slice('job:'.length)]?.kind}
                      open={(jobId, kind) => {
                        // Fine-tune runs have their own view (decision, metrics, frames); any other job opens in Jobs.
                        if (kind === undefined || kind === 'finetune.run') {
                          setArea('finetune');
                          openFinetuneRun(jobId);
                        } else {
                          setArea('jobs');
                          selectJob(jobId);
                        }
                      }}
                    />
                  ) : (
                    m.source.split(/[\\/]/).pop()
                  )}
                </td>
                <td>
                  {m.active ? (
                    <span className="badge">active</span>
                  ) : (
                    <button type="button" onClick={() => void activate(m.id)}>
                      Make active
                    </button>
                  )}
                </td>
              </tr>
            )}
          />
        )}
      </article>
      <div className="cards">
        <article className="card">
          <h2>Import weights</h2>
          <form className="form" onSubmit={(e) => void importModel(e)} onChange={() => forget(importForm, importJob, setImportJob)}>
            <label className="wide">
              Weights file (.pth or .safetensors)
              <input
                aria-label="Weights file"
                value={file}
                onChange={(e) => setFile(e.target.value)}
                placeholder="/path/to/pov_resnet50_v7.pth"
              />
            </label>
            <label>
              Dimension
              <input aria-label="Dimension" value={dimension} onChange={(e) => setDimension(e.target.value)} />
            </label>
            <label>
              Version
              <input aria-label="Version" value={version} onChange={(e) => setVersion(e.target.value)} />
            </label>
            <label className="wide">
              Classes, in the network's output order, comma-separated
              <input
                aria-label="Classes"
                value={classes}
                onChange={(e) => setClasses(e.target.value)}
                placeholder="1st person, 2nd person, 3rd person, no person"
              />
            </label>
            <button type="submit" className="primary" disabled={!file.trim() || !classes.trim()}>
              Import
            </button>
          </form>
          <FormFeedback feedback={importForm.feedback} testId="import-model-feedback" />
          <JobInline jobId={importJob} />
        </article>
        <article className="card">
          <h2>Predict and export</h2>
          <form className="form" onSubmit={(e) => void predict(e)} onChange={predictForm.clear}>
            <label>
              Model
              <select aria-label="Model" value={predictModel} onChange={(e) => setPredictModel(e.target.value)}>
                {(models ?? []).map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id}
                  </option>
                ))}
              </select>
            </label>
            <label className="wide">
              Images, one path per line
              <textarea aria-label="Images" rows={3} value={images} onChange={(e) => setImages(e.target.value)} />
            </label>
            <button type="submit" className="primary" disabled={!predictModel || lines(images).length === 0}>
              Predict
            </button>
          </form>
          <FormFeedback feedback={predictForm.feedback} testId="predict-feedback" />
          {predictions && (
            <table className="table" aria-label="Predictions">
              <thead>
                <tr>
                  <th>Image</th>
                  <th>Class</th>
                  <th>Confidence</th>
                </tr>
              </thead>
              <tbody>
                {predictions.predictions.map((p) => (
                  <tr key={p.image}>
                    <td className="small">{p.image.split(/[\\/]/).pop()}</td>
                    <td>{p.class}</td>
                    <td>{(p.confidence * 100).toFixed(1)}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <form className="form" onSubmit={(e) => void exportModel(e)} onChange={() => forget(exportForm, exportJob, setExportJob)}>
            <label>
              Format
              <select
                aria-label="Export format"
                value={exportFormat}
                onChange={(e) => setExportFormat(e.target.value as typeof exportFormat)}
              >
                <option value="pth">.pth (torch.load)</option>
                <option value="safetensors">safetensors + sidecar</option>
                <option value="onnx">ONNX</option>
              </select>
            </label>
            <label className="wide">
              Write to
              <input
                aria-label="Export file"
                value={exportOut}
                onChange={(e) => setExportOut(e.target.value)}
                placeholder="/path/to/pov_resnet50_v7.pth"
              />
            </label>
            <button type="submit" disabled={!predictModel || !exportOut.trim()}>
              Export
            </button>
          </form>
          <FormFeedback feedback={exportForm.feedback} testId="export-model-feedback" />
          <JobInline jobId={exportJob} />
        </article>
      </div>
    </Screen>
  );
}
