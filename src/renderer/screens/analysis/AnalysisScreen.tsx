/** Placeholder until the Analysis screen lands (issue 18 item 8). */
export function AnalysisScreen() {
  return (
    <section className="screen analysis" aria-labelledby="analysis-title">
      <header className="screen-head">
        <h1 id="analysis-title">Analysis</h1>
      </header>
    </section>
  );
}
