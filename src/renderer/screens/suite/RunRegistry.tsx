import { useEffect, useState } from 'react';
import type { SuiteModelSummary } from '../../../shared/suite';
import { useStore } from '../../store';
import { notifyError } from '../../store/notifyError';
import { activateSuiteModel, listSuiteModels } from '../../store/suiteActions';
import { startJob } from '../../store/actions';
import { Table } from '../../components/Table';

const short = (hash: string) => hash.slice(0, 12);

/**
 * Where a run's models went in the suite registry (suite_7d_ridge@v3: what `suite score` and
 * `suite predict` take), with the lineage each version is bound to, activation, and the
 * spec's regular retraining: the same config again on today's data, compared with this run.
 */
export function RunRegistry({
  runId,
  rerunOf,
  config,
  configFile,
  kfold,
}: {
  runId: string;
  rerunOf: string | null;
  config: Record<string, unknown>;
  configFile: string | null;
  kfold: boolean;
}) {
  const [models, setModels] = useState<SuiteModelSummary[] | null>(null);
  const version = useStore((s) => s.topicVersions.models ?? 0);
  const upsertJob = useStore((s) => s.upsertJob);
  const open = useStore((s) => s.openSuite);

  useEffect(() => {
    let current = true;
    listSuiteModels({ runId }).then(({ models }) => current && setModels(models), notifyError);
    return () => {
      current = false;
    };
  }, [runId, version]);

  const activate = (id: string) => activateSuiteModel({ id }).catch(notifyError);
  const rerun = async () => {
    try {
      const { job } = await startJob({ kind: 'suite.run', params: { config, configFile, rerunOf: runId } });
      upsertJob(job);
      open({ kind: 'live', jobId: job.id });
    } catch (err) {
      notifyError(err);
    }
  };

  return (
    <section aria-label="Registry" data-testid="run-registry">
      <h3>Registry</h3>
      {rerunOf && (
        <p className="small">
          Re-ran the config of <span className="mono">{rerunOf}</span> on the data as it was then.{' '}
          <button type="button" className="link" onClick={() => open({ kind: 'compare', runIds: [rerunOf, runId] })}>
            Compare with it
          </button>
        </p>
      )}
      {kfold ? (
        <p className="small muted">
          A K-fold run keeps no final model (one per fold), so nothing was registered; run a train/val/test split to register models.
        </p>
      ) : models === null ? (
        <p className="small muted">Loading…</p>
      ) : models.length === 0 ? (
        <p className="small muted">Not registered (runs saved before the registry existed are not).</p>
      ) : (
        <Table
          columns={['Version', 'Model', 'Feature set', 'Data', 'Commit', '']}
          items={models}
          testId="registry-table"
          row={(m) => (
            <tr key={m.id} data-id={m.id}>
              <td className="mono">{m.id}</td>
              <td>{m.model}</td>
              <td className="mono" title={m.featureSetHash}>
                {short(m.featureSetHash)}
              </td>
              <td className="mono" title={m.dataFingerprint}>
                {short(m.dataFingerprint)}
              </td>
              <td className="mono" title={m.gitCommit ?? 'not run from a checkout'}>
                {m.gitCommit ? `${short(m.gitCommit)}${m.gitCommit.endsWith('+dirty') ? '+dirty' : ''}` : '—'}
              </td>
              <td>
                {m.active ? (
                  <span className="badge badge-succeeded">Active</span>
                ) : (
                  <button type="button" onClick={() => void activate(m.id)}>
                    Activate
                  </button>
                )}
              </td>
            </tr>
          )}
        />
      )}
      <p className="small muted">
        Score with a version from the command line:{' '}
        <code>framelab suite score --model {models?.[0]?.name ?? 'suite_7d_ridge'} --metadata TABLE --out FILE.csv</code> (a name alone is
        its active version).
      </p>
      <p>
        <button
          type="button"
          onClick={() => void rerun()}
          title="Run this config again on the data as it is now (the spec's regular retraining), as a new run compared with this one"
        >
          Rerun on today's data
        </button>
      </p>
    </section>
  );
}
