import type { OlsModel, SE_TYPES } from '../../../shared/analysis';

/**
 * The regression tables of a run the way journals print them (issue 18, item 7), as a
 * format-free model that exportFormats renders as CSV, HTML and TeX:
 * - `ols_main`: the main models, one column per outcome;
 * - `ols_interactions`: the focal models, one panel per focal triple (or pair), one column per
 *   outcome — the lab's notebook kept them in one file, apart from the pairwise screen;
 * - `ols_pairwise_interactions`: the exploratory pairwise screen, labelled so: one row per
 *   pair (its interaction term, from that pair's own model), one column per outcome, with the
 *   Benjamini–Hochberg q of each.
 * Each coefficient cell has the estimate with stars from its p (* p < .05, ** p < .01,
 * *** p < .001) and the SE in parentheses below; N and adjusted R² close each panel.
 */

export type TableName = 'ols_main' | 'ols_interactions' | 'ols_pairwise_interactions';

export interface Cell {
  estimate: number;
  se: number;
  p: number;
  /** The screen's BH q (pairwise rows only). */
  q?: number | null;
}

export interface TableRow {
  /** The term as the model names it (`a:b`, `C(g)[T.x]`). */
  term: string;
  /** One cell per outcome (null: that outcome's model has no such term). */
  cells: (Cell | null)[];
}

export interface Panel {
  /** `color_entropy × avg_objects × text_area_ratio` for a focal block; null for a table of one panel. */
  title: string | null;
  /** The focal variables of the block (null for main and the screen). */
  focal: string[] | null;
  rows: TableRow[];
  /** Per outcome, null where the panel has no model of that outcome; absent for the screen (each row is its own model). */
  n: (number | null)[] | null;
  adjR2: (number | null)[] | null;
}

export interface JournalTable {
  name: TableName;
  caption: string;
  exploratory: boolean;
  outcomes: string[];
  panels: Panel[];
  /** Notes under the table, in order (SE type, stars, the response, exploratory, centering). */
  notes: string[];
  /** The models behind the table (for the long CSV), in table order. */
  models: OlsModel[];
}

/** `***` for p < .001, `**` for p < .01, `*` for p < .05, else nothing. */
export function stars(p: number): string {
  if (!(p < 0.05)) return '';
  return p < 0.001 ? '***' : p < 0.01 ? '**' : '*';
}

export const STARS_NOTE = '* p < .05, ** p < .01, *** p < .001 (two-sided).';

const SE_NOTES: Record<(typeof SE_TYPES)[number], string> = {
  HC3: 'heteroskedasticity-robust (HC3)',
  HC1: 'heteroskedasticity-robust (HC1)',
  nonrobust: 'conventional (non-robust)',
};

function seNote(models: readonly OlsModel[]): string {
  const types = [...new Set(models.map((m) => m.se))];
  const tests = [...new Set(models.map((m) => m.statName))].map((s) => (s === 'z' ? 'z tests' : 't tests')).join(' and ');
  return `Standard errors in parentheses: ${types.map((t) => SE_NOTES[t] ?? t).join('; ')}; p-values from ${tests}.`;
}

/** The outcomes in the order the run lists them (first seen). */
export function outcomesOf(models: readonly OlsModel[]): string[] {
  return [...new Set(models.map((m) => m.outcome))];
}

/** Terms in first-seen order, the intercept last (journals close with the constant). */
function termOrder(models: readonly OlsModel[]): string[] {
  const seen: string[] = [];
  for (const m of models) for (const c of m.coefficients) if (!seen.includes(c.term)) seen.push(c.term);
  return [...seen.filter((t) => t !== 'Intercept'), ...seen.filter((t) => t === 'Intercept')];
}

function modelPanel(title: string | null, focal: string[] | null, outcomes: readonly string[], models: readonly OlsModel[]): Panel {
  const byOutcome = outcomes.map((o) => models.find((m) => m.outcome === o) ?? null);
  return {
    title,
    focal,
    rows: termOrder(models).map((term) => ({
      term,
      cells: byOutcome.map((m) => {
        const c = m?.coefficients.find((k) => k.term === term);
        return c ? { estimate: c.estimate, se: c.se, p: c.p } : null;
      }),
    })),
    n: byOutcome.map((m) => m?.n ?? null),
    adjR2: byOutcome.map((m) => m?.adjR2 ?? null),
  };
}

const focalKey = (focal: readonly string[] | null) => JSON.stringify(focal ?? []);
const focalTitle = (focal: readonly string[]) => focal.join(' × ');

/** Distinct focal sets of some models, in first-seen order. */
function focalSets(models: readonly OlsModel[]): string[][] {
  const sets = new Map<string, string[]>();
  for (const m of models) if (!sets.has(focalKey(m.focal))) sets.set(focalKey(m.focal), m.focal ?? []);
  return [...sets.values()];
}

export interface TableContext {
  /** The run mean-centred the focal predictors. */
  centered?: boolean;
}

export function journalTables(models: readonly OlsModel[], context: TableContext = {}): JournalTable[] {
  const outcomes = outcomesOf(models);
  const response = `Dependent variables: log(1 + outcome), one column per outcome (${outcomes.join(', ')}).`;
  const tables: JournalTable[] = [];

  const main = models.filter((m) => m.spec === 'main');
  if (main.length) {
    tables.push({
      name: 'ols_main',
      caption: 'OLS regressions of log(1 + outcome) on the visual predictors and controls',
      exploratory: false,
      outcomes,
      panels: [modelPanel(null, null, outcomes, main)],
      notes: [seNote(main), STARS_NOTE, response],
      models: main,
    });
  }

  const focal = models.filter((m) => m.spec === 'focal');
  if (focal.length) {
    const sets = focalSets(focal);
    const panels = sets.map((set, i) =>
      modelPanel(
        `Panel ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''}: ${focalTitle(set)}`,
        set,
        outcomes,
        focal.filter((m) => focalKey(m.focal) === focalKey(set)),
      ),
    );
    tables.push({
      name: 'ols_interactions',
      caption: 'OLS regressions with theory-driven (focal) interactions',
      exploratory: false,
      outcomes,
      panels,
      notes: [
        seNote(focal),
        STARS_NOTE,
        response,
        'Each panel is one model per outcome: every lower-order term and the highest-order interaction of its focal variables, the other predictors and the controls.',
        ...(context.centered ? ['Focal predictors mean-centred over each model’s rows.'] : []),
      ],
      models: panels.flatMap((p) => focal.filter((m) => focalKey(m.focal) === focalKey(p.focal))),
    });
  }

  const pairwise = models.filter((m) => m.spec === 'pairwise');
  if (pairwise.length) {
    const sets = focalSets(pairwise);
    const rows: TableRow[] = sets.flatMap((set) => {
      const ms = outcomes.map((o) => pairwise.find((m) => m.outcome === o && focalKey(m.focal) === focalKey(set)) ?? null);
      const term = ms.find((m) => m?.interaction)?.interaction?.term ?? set.join(':');
      return [
        {
          term,
          cells: ms.map((m) => {
            const c = m?.coefficients.find((k) => k.term === term);
            return c ? { estimate: c.estimate, se: c.se, p: c.p, q: m?.interaction?.q ?? null } : null;
          }),
        },
      ];
    });
    tables.push({
      name: 'ols_pairwise_interactions',
      caption: 'Exploratory: data-driven screen of pairwise interactions',
      exploratory: true,
      outcomes,
      panels: [{ title: null, focal: null, rows, n: null, adjR2: null }],
      notes: [
        'Exploratory, data-driven screen (not a confirmatory test): each row is the interaction of one pair of predictors, in its own model with the other predictors and the controls.',
        'Benjamini–Hochberg q-values across the screen (per outcome) in brackets.',
        seNote(pairwise),
        STARS_NOTE.replace('(two-sided).', '(two-sided, uncorrected p).'),
        response,
      ],
      models: sets.flatMap((set) => pairwise.filter((m) => focalKey(m.focal) === focalKey(set))),
    });
  }
  return tables;
}

/**
 * The focal interaction terms of a focal model: every product of two or more of its focal
 * variables (for a, b, c: a:b, a:c, b:c, a:b:c, patsy's order for `a*b*c`), found among the
 * model's terms by their set of variables — never by a `:` alone, which a category level
 * (`C(g)[T.a:b]`) may hold. Returned in the model's order, with the model's names.
 */
export function focalTerms(model: Pick<OlsModel, 'focal' | 'coefficients'>): string[] {
  const focal = new Set(model.focal ?? []);
  return model.coefficients
    .map((c) => c.term)
    .filter((term) => {
      if (term.startsWith('C(')) return false;
      const factors = term.split(':');
      return factors.length > 1 && new Set(factors).size === factors.length && factors.every((f) => focal.has(f));
    });
}
