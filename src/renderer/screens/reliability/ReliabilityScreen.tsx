import { useEffect, useState } from 'react';
import type { Coverage } from '../../../shared/gold';
import type { IcrReport } from '../../../shared/icr';
import { useStore } from '../../store';
import { loadCodingSetup } from '../../store/codingActions';
import { ConfusionHeatmap } from './ConfusionHeatmap';
import { DisagreementGallery } from './DisagreementGallery';
import { ExportPanel } from './ExportPanel';
import { GoldPanel } from './GoldPanel';
import { Headline } from './Headline';
import { ReliabilityMissing } from './ReliabilityMissing';
import { useWorkspaceProgress } from '../start/StartChecklist';
import { agreementReading, alphaReading, denominatorSentence, fmt, kappaReading, smallSampleWarning } from '../../../shared/icrReadings';
import { notifyError } from '../../store/notifyError';
import { icrCoverage, icrReport } from '../../store/reliabilityActions';
import { Screen } from '../../components/Screen';
import { Tabs } from '../../components/Tabs';
import './reliability.css';
import { Table } from '../../components/Table';

/** The lead's reliability report per dimension: figures with intervals, what they rest on, and the disagreements. */
export function ReliabilityScreen() {
  const codebook = useStore((s) => s.codebook);
  const codesVersion = useStore((s) => s.topicVersions.codes ?? 0);
  const [dimensionName, setDimensionName] = useState<string | null>(null);
  const [report, setReport] = useState<IcrReport | null>(null);
  const [cover, setCover] = useState<Coverage | null>(null);
  const [byVideo, setByVideo] = useState(false);
  // The gallery's category pair: chosen there, or by clicking an off-diagonal confusion cell.
  const [pair, setPair] = useState('');
  // Whether any frame is coded by two coders: without one there is nothing to compute, and the
  // screen says what is missing rather than waiting on a report that cannot come.
  const progress = useWorkspaceProgress();
  const ready = progress !== null && progress.codedByTwo > 0;
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    void loadCodingSetup();
  }, []);
  const dimension = codebook?.dimensions.find((d) => d.name === (dimensionName ?? codebook.dimensions[0]?.name)) ?? null;

  useEffect(() => {
    if (!dimension || !ready) return;
    setReport(null);
    setFailed(null);
    setPair('');
    icrReport({ dimension: dimension.name, byVideo }).then(setReport, (err: unknown) => {
      setFailed(err instanceof Error ? err.message : String(err));
      notifyError(err);
    });
    icrCoverage({ dimension: dimension.name }).then(setCover, notifyError);
  }, [dimension?.name, byVideo, codesVersion, ready]);

  if (codebook && codebook.dimensions.length === 0) {
    return (
      <section className="screen" aria-labelledby="reliability-title">
        <h1 id="reliability-title">Reliability</h1>
        <p className="empty" data-testid="reliability-missing">
          The codebook has no dimension yet: add one on the Codebook screen, then code frames, before reliability can be computed.
        </p>
      </section>
    );
  }
  if (!codebook || !dimension) return <p className="loading">Loading…</p>;
  const ordinal = dimension.level === 'ordinal';
  const alpha = ordinal ? report?.krippendorffAlpha.ordinal : report?.krippendorffAlpha.nominal;
  const kappa = ordinal ? report?.weightedKappa.quadratic : report?.cohenKappa;
  const warning =
    report && report.unitsCompared > 0
      ? smallSampleWarning(report.unitsCompared, report.ci[ordinal ? 'krippendorffAlpha.ordinal' : 'krippendorffAlpha.nominal'])
      : null;

  return (
    <Screen
      id="reliability"
      title="Reliability"
      head={
        <Tabs
          label="Dimension"
          tabs={codebook.dimensions.map((d) => ({ kind: d.name, label: d.label }))}
          active={dimension.name}
          onSelect={setDimensionName}
        />
      }
    >
      {report && report.unitsCompared > 0 && <p data-testid="coverage">{denominatorSentence(report, cover)}</p>}
      {progress && !ready ? (
        <ReliabilityMissing progress={progress} />
      ) : failed ? (
        <p className="empty">The report could not be computed: {failed}</p>
      ) : !report ? (
        <p className="loading">Computing (1,000 bootstrap resamples)…</p>
      ) : report.unitsCompared === 0 ? (
        <p className="empty">
          No frame has two {dimension.label} codes yet: reliability needs an overlap set coded by two coders (Coders assigns one).
        </p>
      ) : (
        <>
          {warning && (
            <p className="warn-banner" role="note" data-testid="small-sample">
              {warning}
            </p>
          )}
          <p className="muted small">
            Intervals from {report.details.bootstrap?.resamples ?? 0} resamples of{' '}
            {report.details.bootstrap?.resampling === 'groups' ? 'whole videos' : 'frames'}{' '}
            <label>
              <input type="checkbox" checked={byVideo} onChange={(e) => setByVideo(e.target.checked)} /> resample whole videos
            </label>
          </p>
          <div className="cards figures">
            <Headline
              label={`Krippendorff's α (${ordinal ? 'ordinal' : 'nominal'})`}
              value={alpha ?? null}
              statistic={ordinal ? 'krippendorffAlpha.ordinal' : 'krippendorffAlpha.nominal'}
              report={report}
              reading={alphaReading(alpha ?? null)}
            />
            <Headline
              label={ordinal ? 'Weighted κ (quadratic)' : "Cohen's κ"}
              value={kappa ?? null}
              statistic={ordinal ? 'weightedKappa.quadratic' : 'cohenKappa'}
              report={report}
              reading={kappaReading(kappa ?? null)}
            />
            <Headline
              label="Percent agreement"
              value={report.percentAgreement}
              statistic="percentAgreement"
              report={report}
              reading={agreementReading(report.percentAgreement, report.coders)}
            />
            <Headline
              label="Gwet's AC1"
              value={report.gwetAC1}
              statistic="gwetAC1"
              report={report}
              reading={kappaReading(report.gwetAC1)}
            />
          </div>
          <details className="more-figures">
            <summary>All figures</summary>
            <dl className="grid">
              <dt>α nominal / ordinal / interval / ratio</dt>
              <dd>
                {fmt(report.krippendorffAlpha.nominal)} / {fmt(report.krippendorffAlpha.ordinal)} / {fmt(report.krippendorffAlpha.interval)}{' '}
                / {fmt(report.krippendorffAlpha.ratio)}
              </dd>
              <dt>Cohen's κ · weighted κ linear / quadratic</dt>
              <dd>
                {fmt(report.cohenKappa)} · {fmt(report.weightedKappa.linear)} / {fmt(report.weightedKappa.quadratic)}
              </dd>
              <dt>Fleiss' κ</dt>
              <dd>{fmt(report.fleissKappa)}</dd>
            </dl>
          </details>
          {report.notes.length > 0 && (
            <ul className="notes small muted">
              {report.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          )}
          {cover && cover.byDate.length > 0 && (
            <details>
              <summary>Agreement by coding date</summary>
              <table className="table" data-testid="by-date">
                <tbody>
                  {cover.byDate.map((d) => (
                    <tr key={d.date}>
                      <th>{d.date}</th>
                      <td>
                        {d.agreed} of {d.compared} agree
                      </td>
                      <td>{fmt(d.agreed / d.compared)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
          <ExportPanel dimension={dimension.name} byVideo={byVideo} />
          <div className="split">
            <section aria-label="Confusion matrix">
              <h2>Confusion</h2>
              {report.confusion ? (
                <ConfusionHeatmap
                  categories={report.confusion.categories}
                  matrix={report.confusion.matrix}
                  rowCoder={report.details.coders[0] ?? ''}
                  colCoder={report.details.coders[1] ?? ''}
                  onPick={(a, b) => {
                    const order = dimension.categories.map((c) => c.value);
                    setPair([a, b].sort((x, y) => order.indexOf(x) - order.indexOf(y)).join(' ↔ '));
                    document.getElementById('disagreements')?.scrollIntoView({ block: 'start' });
                  }}
                />
              ) : (
                <p className="empty">A confusion matrix needs exactly two coders; see the pairs below.</p>
              )}
              <h2>Per category</h2>
              <table className="table">
                <tbody>
                  {report.details.perCategory.map((c) => (
                    <tr key={c.category}>
                      <th>{c.category}</th>
                      <td>{fmt(c.agreement)}</td>
                      <td className="muted small">{c.values} values</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section aria-label="Coder pairs">
              <h2>Coder pairs</h2>
              <Table
                columns={['Pair', 'Frames', 'Agreement', 'κ']}
                items={report.details.pairs}
                testId="pairs"
                row={(p) => (
                  <tr key={p.coders.join('/')}>
                    <td>{p.coders.join(' × ')}</td>
                    <td>{p.unitsCompared}</td>
                    <td>{fmt(p.percentAgreement)}</td>
                    <td>{fmt(ordinal ? p.weightedKappa.quadratic : p.cohenKappa)}</td>
                  </tr>
                )}
              />
            </section>
          </div>
        </>
      )}
      {ready && (
        <>
          <DisagreementGallery dimension={dimension} pair={pair} setPair={setPair} />
          <GoldPanel dimension={dimension.name} />
        </>
      )}
    </Screen>
  );
}
