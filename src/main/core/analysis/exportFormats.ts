import type { OlsModel } from '../../../shared/analysis';
import { neutraliseFormula, writeCsvForPeople } from '../annotations/csvForPeople';
import { focalTerms, stars, type Cell, type JournalTable, type Panel } from './exportTables';

/**
 * A JournalTable as a file: CSV (long: one row per model × term, every figure at full
 * precision; wide: the printed layout cell by cell), self-contained HTML, and TeX (booktabs;
 * longtable when the table would not fit a page). Plus the two focal files of the lab's
 * notebook, focal_interactions_full.csv and focal_interactions_pivot.csv.
 *
 * Every text that comes from the data (outcome and column names, category levels in term
 * names) is escaped for its format: formula-neutralised in CSV (csvForPeople), entity-escaped
 * in HTML, TeX specials escaped in TeX.
 */

/** Decimals of the printed tables (estimates, SEs, R²). */
export const DIGITS = 3;

/** A number with `digits` decimals; `-` (CSV/TeX) or `−` (HTML) for negatives; never "−0.000". */
export function fixed(value: number, digits = DIGITS, minus = '-'): string {
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : `${minus}inf`;
  const text = value.toFixed(digits);
  if (Number(text) === 0) return (0).toFixed(digits);
  return text.startsWith('-') ? `${minus}${text.slice(1)}` : text;
}

/** Full precision for machine-readable CSV (shortest round-trip form); empty for a missing value. */
const full = (value: number | null | undefined): string =>
  value === null || value === undefined || Number.isNaN(value) ? '' : String(value);

/** `a:b:c` → `a × b × c`, a categorical level (`C(g)[T.x:y]`) as it is. */
export const termDisplay = (term: string, times = ' × '): string => (/^C\(.*\]$/s.test(term) ? term : term.split(':').join(times));

// ——— CSV ———

const LONG_HEADER = [
  'outcome',
  'spec',
  'focal',
  'exploratory',
  'term',
  'estimate',
  'se',
  'stat',
  'stat_name',
  'p',
  'q',
  'ci_low',
  'ci_high',
  'n',
  'dropped',
  'r2',
  'adj_r2',
  'se_type',
];
/** Figures and the writer's own words: never a formula, kept exact. */
const LONG_RAW = [
  'spec',
  'exploratory',
  'estimate',
  'se',
  'stat',
  'stat_name',
  'p',
  'q',
  'ci_low',
  'ci_high',
  'n',
  'dropped',
  'r2',
  'adj_r2',
  'se_type',
];

/** `a*b*c` — the focal set as a formula spells it (empty for main). */
const focalFormula = (focal: readonly string[] | null) => (focal ?? []).join('*');

/** One row per model × coefficient, every figure at full precision (the notebook's CSV). */
export function longCsv(models: readonly OlsModel[]): string {
  const rows = models.flatMap((m) =>
    m.coefficients.map((c) => [
      m.outcome,
      m.spec,
      focalFormula(m.focal),
      String(m.exploratory),
      c.term,
      full(c.estimate),
      full(c.se),
      full(c.stat),
      m.statName,
      full(c.p),
      m.interaction && m.interaction.term === c.term ? full(m.interaction.q) : '',
      full(c.ciLow),
      full(c.ciHigh),
      String(m.n),
      String(m.dropped),
      full(m.r2),
      full(m.adjR2),
      m.se,
    ]),
  );
  return writeCsvForPeople(LONG_HEADER, rows, LONG_RAW);
}

/** The printed cells of a coefficient: estimate with stars, (SE), and [q] on the screen. */
function cellLines(cell: Cell | null, minus: string): [string, string, string] {
  if (!cell) return ['', '', ''];
  return [
    `${fixed(cell.estimate, DIGITS, minus)}${stars(cell.p)}`,
    `(${fixed(cell.se, DIGITS, minus)})`,
    cell.q === undefined ? '' : cell.q === null ? '' : `[${fixed(cell.q, DIGITS, minus)}]`,
  ];
}

/**
 * The printed layout as CSV: a header of outcomes, panel titles on their own rows, each term
 * on one row and its SE on the next (and its q on a third for the screen), N and adjusted R²,
 * then the notes. Negative numbers carry the typographic minus (−), as in print.
 */
export function wideCsv(table: JournalTable): string {
  const k = table.outcomes.length;
  const empty = () => Array<string>(k).fill('');
  const rows: string[][] = [];
  if (table.exploratory) rows.push(['EXPLORATORY', ...empty()]);
  for (const panel of table.panels) {
    if (panel.title) rows.push([panel.title, ...empty()]);
    for (const row of panel.rows) {
      const lines = row.cells.map((c) => cellLines(c, '\u2212'));
      rows.push([termDisplay(row.term), ...lines.map((l) => l[0])]);
      rows.push(['', ...lines.map((l) => l[1])]);
      if (lines.some((l) => l[2])) rows.push(['', ...lines.map((l) => l[2])]);
    }
    if (panel.n) rows.push(['N', ...panel.n.map((n) => (n === null ? '' : String(n)))]);
    if (panel.adjR2) rows.push(['Adj. R²', ...panel.adjR2.map((r) => (r === null ? '' : fixed(r, DIGITS, '\u2212')))]);
  }
  for (const note of table.notes) rows.push([`Note: ${note}`, ...empty()]);
  // The header holds outcome names (data): neutralised like any cell.
  return writeCsvForPeople(['', ...table.outcomes.map(neutraliseFormula)], rows);
}

/**
 * focal_interactions_full.csv: every focal interaction term of every focal model, one row per
 * term × outcome (the notebook's 48 rows for 3 triples × 4 terms × 4 outcomes), grouped by
 * focal set, then outcome, in the model's term order.
 */
export function focalFullCsv(models: readonly OlsModel[]): string {
  const header = ['outcome', 'focal', 'term', 'estimate', 'se', 'stat', 'p', 'ci_low', 'ci_high', 'n'];
  const rows = focalModelsInOrder(models).flatMap((m) =>
    focalTerms(m).map((term) => {
      const c = m.coefficients.find((k) => k.term === term)!;
      return [
        m.outcome,
        focalFormula(m.focal),
        term,
        full(c.estimate),
        full(c.se),
        full(c.stat),
        full(c.p),
        full(c.ciLow),
        full(c.ciHigh),
        String(m.n),
      ];
    }),
  );
  return writeCsvForPeople(header, rows, ['estimate', 'se', 'stat', 'p', 'ci_low', 'ci_high', 'n']);
}

/**
 * focal_interactions_pivot.csv: one row per (focal set, term), and per outcome a block
 * `<outcome>_estimate, <outcome>_se, <outcome>_p` (empty where that outcome has no such model).
 */
export function focalPivotCsv(models: readonly OlsModel[]): string {
  const focal = focalModelsInOrder(models);
  const outcomes = [...new Set(focal.map((m) => m.outcome))];
  const keys: { focal: string; term: string }[] = [];
  for (const m of focal)
    for (const term of focalTerms(m))
      if (!keys.some((k) => k.focal === focalFormula(m.focal) && k.term === term)) keys.push({ focal: focalFormula(m.focal), term });
  const rows = keys.map((k) => [
    k.focal,
    k.term,
    ...outcomes.flatMap((o) => {
      const c = focal.find((m) => m.outcome === o && focalFormula(m.focal) === k.focal)?.coefficients.find((x) => x.term === k.term);
      return c ? [full(c.estimate), full(c.se), full(c.p)] : ['', '', ''];
    }),
  ]);
  // Column names built from outcome names (data): neutralised; figures kept exact.
  const header = ['focal', 'term', ...outcomes.flatMap((o) => ['estimate', 'se', 'p'].map((f) => neutraliseFormula(`${o}_${f}`)))];
  const figures = header.slice(2);
  return writeCsvForPeople(header, rows, figures);
}

/** Focal models grouped by focal set (first seen), then by outcome (first seen). */
function focalModelsInOrder(models: readonly OlsModel[]): OlsModel[] {
  const focal = models.filter((m) => m.spec === 'focal');
  const sets = [...new Set(focal.map((m) => focalFormula(m.focal)))];
  const outcomes = [...new Set(models.map((m) => m.outcome))];
  return sets.flatMap((s) => outcomes.flatMap((o) => focal.filter((m) => focalFormula(m.focal) === s && m.outcome === o)));
}

// ——— HTML ———

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const HTML_STYLE = `
:root { color-scheme: light dark; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; margin: 2rem; line-height: 1.35; }
table.regression { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.regression caption { caption-side: top; text-align: left; font-weight: 600; margin-bottom: 0.5rem; }
table.regression th, table.regression td { padding: 0.1rem 0.9rem; }
table.regression td { text-align: center; white-space: nowrap; }
table.regression th[scope=row] { text-align: left; font-weight: normal; }
table.regression thead tr:first-child th { border-top: 2px solid; }
table.regression thead tr:last-child th { border-bottom: 1px solid; }
table.regression tbody:last-of-type tr:last-child > * { border-bottom: 2px solid; }
table.regression tr.panel th { text-align: left; font-style: italic; padding-top: 0.6rem; }
table.regression tr.se td, table.regression tr.q td { opacity: 0.8; }
table.regression tr.stat:first-of-type > *, table.regression tr.first-stat > * { border-top: 1px solid; }
table.regression tfoot td { text-align: left; white-space: normal; font-size: 0.85rem; padding-top: 0.5rem; }
p.exploratory { display: inline-block; border: 1px solid; padding: 0.1rem 0.5rem; font-weight: 600; letter-spacing: 0.05em; }
`;

function htmlPanel(panel: Panel, k: number): string[] {
  const out = ['<tbody>'];
  if (panel.title) out.push(`<tr class="panel"><th colspan="${k + 1}" scope="colgroup">${escapeHtml(panel.title)}</th></tr>`);
  for (const row of panel.rows) {
    const lines = row.cells.map((c) => cellLines(c, '\u2212'));
    const estimate = (cell: Cell | null, text: string) => {
      const s = cell ? stars(cell.p) : '';
      return s ? `${escapeHtml(text.slice(0, -s.length))}<sup>${s}</sup>` : escapeHtml(text);
    };
    out.push(
      `<tr><th scope="row">${escapeHtml(termDisplay(row.term))}</th>${row.cells.map((c, i) => `<td>${estimate(c, lines[i]![0])}</td>`).join('')}</tr>`,
    );
    out.push(`<tr class="se"><th scope="row"></th>${lines.map((l) => `<td>${escapeHtml(l[1])}</td>`).join('')}</tr>`);
    if (lines.some((l) => l[2]))
      out.push(`<tr class="q"><th scope="row"></th>${lines.map((l) => `<td>${escapeHtml(l[2])}</td>`).join('')}</tr>`);
  }
  if (panel.n) out.push(`<tr class="first-stat"><th scope="row"><i>N</i></th>${panel.n.map((n) => `<td>${n ?? ''}</td>`).join('')}</tr>`);
  if (panel.adjR2)
    out.push(
      `<tr><th scope="row">Adj. <i>R</i><sup>2</sup></th>${panel.adjR2.map((r) => `<td>${r === null ? '' : escapeHtml(fixed(r, DIGITS, '\u2212'))}</td>`).join('')}</tr>`,
    );
  out.push('</tbody>');
  return out;
}

/** A self-contained HTML page (inline style, no script, no external resource). */
export function tableHtml(table: JournalTable, runId: string): string {
  const k = table.outcomes.length;
  const title = `${table.caption} — ${runId}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    ...(table.exploratory ? ['<p class="exploratory">EXPLORATORY</p>'] : []),
    '<table class="regression">',
    `<caption>${escapeHtml(table.caption)}</caption>`,
    '<thead>',
    `<tr><th scope="col"></th>${table.outcomes.map((_, i) => `<th scope="col">(${i + 1})</th>`).join('')}</tr>`,
    `<tr><th scope="col"></th>${table.outcomes.map((o) => `<th scope="col">${escapeHtml(o)}</th>`).join('')}</tr>`,
    '</thead>',
    ...table.panels.flatMap((p) => htmlPanel(p, k)),
    `<tfoot><tr><td colspan="${k + 1}">${table.notes.map((n, i) => `<p>${i === 0 ? '<i>Note.</i> ' : ''}${escapeHtml(n)}</p>`).join('')}<p>Framelab analysis run ${escapeHtml(runId)}.</p></td></tr></tfoot>`,
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// ——— TeX ———

const TEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  _: '\\_',
  '%': '\\%',
  '&': '\\&',
  '#': '\\#',
  $: '\\$',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
  // Braced, so a row that starts with one is never read as the optional argument of \\.
  '[': '{[}',
  ']': '{]}',
};
/** Typography of the notes that plain TeX does not read as UTF-8 everywhere. */
const TEX_UNICODE: Record<string, string> = {
  '×': '$\\times$',
  '−': '$-$',
  '–': '--',
  '—': '---',
  '’': "'",
  '²': '$^2$',
  '≥': '$\\geq$',
  '≤': '$\\leq$',
};

/** Text for TeX: specials escaped (`_ % & # $ { } \ ^ ~ < > | [ ]`), a few typographic characters spelled out. */
export function escapeTex(text: string): string {
  return [...text].map((c) => TEX_SPECIALS[c] ?? TEX_UNICODE[c] ?? c).join('');
}

/** A term for TeX: each variable escaped, interactions joined by $\times$. */
const texTerm = (term: string) => (/^C\(.*\]$/s.test(term) ? escapeTex(term) : term.split(':').map(escapeTex).join(' $\\times$ '));

/** Math-mode number with stars as a superscript: `$-0.123^{**}$`. */
function texCell(cell: Cell | null): [string, string, string] {
  if (!cell) return ['', '', ''];
  const s = stars(cell.p);
  const q = cell.q === undefined || cell.q === null ? '' : `$[${fixed(cell.q)}]$`;
  return [`$${fixed(cell.estimate)}${s ? `^{${s}}` : ''}$`, `$(${fixed(cell.se)})$`, q];
}

/** Lines of a table this long go into a longtable (a float cannot break across pages). */
const LONGTABLE_LINES = 40;

export function tableTex(table: JournalTable, runId: string): string {
  const k = table.outcomes.length;
  const head = [`& ${table.outcomes.map((_, i) => `(${i + 1})`).join(' & ')} \\\\`, `& ${table.outcomes.map(escapeTex).join(' & ')} \\\\`];
  const body: string[] = [];
  table.panels.forEach((panel, p) => {
    if (p > 0) body.push('\\midrule');
    if (panel.title) body.push(`\\multicolumn{${k + 1}}{l}{\\textit{${escapeTex(panel.title)}}} \\\\`, '\\addlinespace');
    for (const row of panel.rows) {
      const cells = row.cells.map(texCell);
      body.push(`${texTerm(row.term)} & ${cells.map((c) => c[0]).join(' & ')} \\\\`);
      body.push(` & ${cells.map((c) => c[1]).join(' & ')} \\\\`);
      if (cells.some((c) => c[2])) body.push(` & ${cells.map((c) => c[2]).join(' & ')} \\\\`);
    }
    if (panel.n || panel.adjR2) body.push('\\addlinespace');
    if (panel.n) body.push(`$N$ & ${panel.n.map((n) => (n === null ? '' : String(n))).join(' & ')} \\\\`);
    if (panel.adjR2) body.push(`Adj. $R^2$ & ${panel.adjR2.map((r) => (r === null ? '' : fixed(r))).join(' & ')} \\\\`);
  });
  const caption = `${table.exploratory ? 'Exploratory: ' : ''}${escapeTex(table.caption.replace(/^Exploratory: /, ''))}`;
  const label = `tab:${table.name.replace(/_/g, '-')}`;
  const notes = `\\footnotesize\\textit{Notes:} ${table.notes.map(escapeTex).join(' ')}`;
  const spec = `l*{${k}}{c}`;
  const preamble = [
    `% Framelab analysis run ${escapeTex(runId)}: ${table.name}`,
    '% Needs \\usepackage{booktabs}' +
      (body.length + head.length > LONGTABLE_LINES ? ' and \\usepackage{longtable}' : '') +
      ' in the preamble.',
  ];
  if (body.length + head.length > LONGTABLE_LINES) {
    return [
      ...preamble,
      `\\begin{longtable}{${spec}}`,
      `\\caption{${caption}}\\label{${label}} \\\\`,
      '\\toprule',
      ...head,
      '\\midrule',
      '\\endfirsthead',
      `\\multicolumn{${k + 1}}{l}{\\textit{(continued)}} \\\\`,
      '\\toprule',
      ...head,
      '\\midrule',
      '\\endhead',
      '\\midrule',
      `\\multicolumn{${k + 1}}{r}{\\textit{(continued on the next page)}} \\\\`,
      '\\endfoot',
      '\\bottomrule',
      `\\multicolumn{${k + 1}}{p{0.95\\linewidth}}{${notes}} \\\\`,
      '\\endlastfoot',
      ...body,
      '\\end{longtable}',
      '',
    ].join('\n');
  }
  return [
    ...preamble,
    '\\begin{table}[htbp]',
    '\\centering',
    `\\caption{${caption}}`,
    `\\label{${label}}`,
    `\\begin{tabular}{${spec}}`,
    '\\toprule',
    ...head,
    '\\midrule',
    ...body,
    '\\bottomrule',
    '\\end{tabular}',
    '\\par\\smallskip',
    `\\parbox{\\linewidth}{${notes}}`,
    '\\end{table}',
    '',
  ].join('\n');
}
