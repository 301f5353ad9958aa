import { FramelabError } from '../../../shared/errors';

/**
 * Model terms written as statsmodels/patsy formulas write them, parsed and ordered the way
 * patsy orders a design's columns, so that every coefficient name and position matches
 * `smf.ols("y ~ <terms joined by +>")`.
 */
export type Term =
  | { kind: 'intercept'; name: 'Intercept' }
  /** A numeric column or a product of numeric columns; `factors` in the order written. */
  | { kind: 'numeric'; name: string; factors: string[] }
  /** `C(name)`: treatment-coded dummies of a categorical column (main effects only). */
  | { kind: 'categorical'; name: string; variable: string };

const CATEGORICAL = /^C\(\s*([^()]+?)\s*\)$/;

function invalid(message: string): never {
  throw new FramelabError('INVALID_INPUT', message);
}

function numericFactor(raw: string, entry: string): string {
  const factor = raw.trim();
  if (!factor) invalid(`The term "${entry}" has an empty part; write terms like "a", "a:b", "a*b*c" or "C(category)".`);
  if (CATEGORICAL.test(factor))
    invalid(
      `The term "${entry}" interacts a categorical variable (${factor}); only numeric variables can be interacted for now — use ${factor} as a main effect.`,
    );
  if (/[()]/.test(factor))
    invalid(
      `The term "${entry}" is not a column name; write terms like "a", "a:b", "a*b*c" or "C(category)" (transforms such as np.log(x) are computed in the data, not in the term).`,
    );
  return factor;
}

function distinctFactors(factors: string[], entry: string): string[] {
  const seen = new Set<string>();
  for (const f of factors) {
    if (seen.has(f)) invalid(`The term "${entry}" names "${f}" twice; an interaction multiplies different variables.`);
    seen.add(f);
  }
  return factors;
}

/**
 * `a*b*c` → a, b, a:b, c, a:c, b:c, a:b:c: patsy's expansion, where (A)*f adds f and then
 * every earlier term times f.
 */
function expandProduct(factors: string[]): string[][] {
  let terms: string[][] = [];
  for (const f of factors) terms = [...terms, [f], ...terms.map((t) => [...t, f])];
  return terms;
}

/** One entry of a term list → its terms (several for `a*b*c`), unordered and undeduplicated. */
function parseEntry(entry: string): Term[] {
  const text = entry.trim();
  if (text === 'Intercept' || text === '1') return [{ kind: 'intercept', name: 'Intercept' }];
  const categorical = CATEGORICAL.exec(text);
  if (categorical) return [{ kind: 'categorical', name: text.replace(/\s+/g, ''), variable: categorical[1]! }];
  if (text.includes('*')) {
    if (text.includes(':'))
      invalid(`The term "${entry}" mixes ":" and "*"; write the product as "a*b*c" and list extra interactions separately.`);
    const factors = distinctFactors(
      text.split('*').map((f) => numericFactor(f, entry)),
      entry,
    );
    return expandProduct(factors).map((fs) => ({ kind: 'numeric', name: fs.join(':'), factors: fs }));
  }
  const factors = distinctFactors(
    text.split(':').map((f) => numericFactor(f, entry)),
    entry,
  );
  return [{ kind: 'numeric', name: factors.join(':'), factors }];
}

/**
 * The model's terms in patsy's column order: terms without numeric factors first (Intercept,
 * then the categoricals), then the numeric terms in the order written (patsy groups terms
 * by their set of numeric factors, which is one group per numeric term here). A term that
 * repeats an earlier one, in any factor order, keeps the first spelling (as patsy does).
 */
export function parseTerms(entries: readonly string[]): Term[] {
  if (!entries.length) invalid('The model has no terms; list at least one predictor.');
  const seen = new Set<string>();
  const unique: Term[] = [];
  for (const entry of entries) {
    for (const term of parseEntry(entry)) {
      const key = term.kind === 'numeric' ? `n:${[...term.factors].sort().join('\u0000')}` : `${term.kind}:${term.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(term);
    }
  }
  const intercept = unique.filter((t) => t.kind === 'intercept');
  const categorical = unique.filter((t) => t.kind === 'categorical');
  const numeric = unique.filter((t) => t.kind === 'numeric');
  return [...intercept, ...categorical, ...numeric];
}
