import { useEffect, useState } from 'react';
import type { Coverage } from '../../../shared/gold';
import type { IcrReport } from '../../../shared/icr';
import { client } from '../../api/client';
import { useStore } from '../../store';
import { loadCodingSetup } from '../../store/codingActions';
import { ConfusionHeatmap } from './ConfusionHeatmap';
import { DisagreementGallery } from './DisagreementGallery';
import { ExportPanel } from './ExportPanel';
import { GoldPanel } from './GoldPanel';
import { Headline } from './Headline';
import { alphaReading, fmt, kappaReading } from '../../../shared/icrReadings';
import { notifyError } from '../../store/notifyError';

/** The lead's reliability report per dimension: figures with intervals, what they rest on, and the disagreements. */
export function ReliabilityScreen() {
  const codebook = useStore((s) => s.codebook);
  const codesVersion = useStore((s) => s.topicVersions.codes ?? 0);
  const [dimensionName, setDimensionName] = useState<string | null>(null);
  const [report, setReport] = useState<IcrReport | null>(null);
  const [cover, setCover] = useState<Coverage | null>(null);
  const [byVideo, setByVideo] = useState(false);

  useEffect(() => {
    void loadCodingSetup();
  }, []);
  const dimension = codebook?.dimensions.find((d) => d.name === (dimensionName ?? codebook.dimensions[0]?.name)) ?? null;

  useEffect(() => {
    if (!dimension) return;
    setReport(null);
      client().call('icr.report', { dimension: dimension.name, byVideo }).then(setReport, notifyError);
    client().call('icr.coverage', { dimension: dimension.name }).then(setCover, notifyError);
  }, [dimension?.name, byVideo, codesVersion]);

  if (!codebook || !dimension) return <p className="loading">Loading…</p>;
  const ordinal = dimension.level === 'ordinal';
  const alpha = ordinal ? report?.krippendorffAlpha.ordinal : report?.krippendorffAlpha.nominal;
  const kappa = ordinal ? report?.weightedKappa.quadratic : report?.cohenKappa;

  return (
    <section className="screen" aria-labelledby="reliability-title">
      <header className="screen-head">
        <h1 id="reliability-title">Reliability</h1>
        <div role="tablist" aria-label="Dimension" className="tabs">
          {codebook.dimensions.map((d) => (
            <button key={d.name} role="tab" type="button" aria-selected={d.name === dimension.name} className={d.name === dimension.name ? 'active' : ''} onClick={() => setDimensionName(d.name)}>
              {d.label}
            </button>
          ))}
        </div>
      </header>
      {cover && (
        <p data-testid="coverage">
          {cover.codedByAll} of {cover.overlapFrames} overlap frames coded by every coder
          {Object.entries(cover.missingByCoder)
            .filter(([, n]) => n > 0)
            .map(([coder, n]) => `; ${n} missing a ${dimension.name} code from ${coder}${cover.inRecodeQueue[coder] ? ` (${cover.inRecodeQueue[coder]} in the re-code queue)` : ''}`)
            .join('')}
          .
        </p>
      )}
      {!report ? (
        <p className="loading">Computing (1,000 bootstrap resamples)…</p>
      ) : report.unitsCompared === 0 ? (
        <p className="empty">No frame has two {dimension.name} codes yet: reliability needs an overlap set coded by two coders.</p>
      ) : (
        <>
          <p className="muted small">
            {report.unitsCompared} of {report.units} frames compared · {report.coders} coders · intervals from {report.details.bootstrap?.resamples ?? 0}{' '}
            resamples of {report.details.bootstrap?.resampling === 'groups' ? 'whole videos' : 'frames'}{' '}
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
              label={ordinal ? "Weighted κ (quadratic)" : "Cohen's κ"}
              value={kappa ?? null}
              statistic={ordinal ? 'weightedKappa.quadratic' : 'cohenKappa'}
              report={report}
              reading={kappaReading(kappa ?? null)}
            />
            <Headline label="Percent agreement" value={report.percentAgreement} statistic="percentAgreement" report={report} reading={`${fmt((report.percentAgreement ?? 0) * 100, 1)}% of coder pairs agree`} />
            <Headline label="Gwet's AC1" value={report.gwetAC1} statistic="gwetAC1" report={report} reading={kappaReading(report.gwetAC1)} />
          </div>
          <details className="more-figures">
            <summary>All figures</summary>
            <dl className="grid">
              <dt>α nominal / ordinal / interval / ratio</dt>
              <dd>
                {fmt(report.krippendorffAlpha.nominal)} / {fmt(report.krippendorffAlpha.ordinal)} / {fmt(report.krippendorffAlpha.interval)} / {fmt(report.krippendorffAlpha.ratio)}
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
                <ConfusionHeatmap categories={report.confusion.categories} matrix={report.confusion.matrix} rowCoder={report.details.coders[0] ?? ''} colCoder={report.details.coders[1] ?? ''} />
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
              <table className="table" data-testid="pairs">
                <thead>
                  <tr>
                    <th>Pair</th>
                    <th>Frames</th>
                    <th>Agreement</th>
                    <th>κ</th>
                  </tr>
                </thead>
                <tbody>
                  {report.details.pairs.map((p) => (
                    <tr key={p.coders.join('/')}>
                      <td>{p.coders.join(' × ')}</td>
                      <td>{p.unitsCompared}</td>
                      <td>{fmt(p.percentAgreement)}</td>
                      <td>{fmt(ordinal ? p.weightedKappa.quadratic : p.cohenKappa)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </>
      )}
      <DisagreementGallery dimension={dimension} />
      <GoldPanel dimension={dimension.name} />
    </section>
  );
}
