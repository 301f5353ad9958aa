import { FramelabError } from '../../../shared/errors';
import type { Table } from '../suite/data/table';
import { gather, sequentialQr, type SequentialQr } from './linalg';
import { parseTerms, type Term } from './terms';
import { categoricalVariable, numericVariable, rowNamer, sortedLevels, type RowNamer } from './variables';

/**
 * A model matrix built from a table and a statsmodels-style term list: the same columns, in
 * the same order, with the same names as patsy gives `y ~ <terms>`, over the rows that have
 * every variable of the model (listwise deletion, counted).
 */

export interface DesignSpec {
  /** The outcome column, optionally as `log1p(column)` (or `np.log1p(column)`). */
  response: string;
  /** `Intercept`, `x`, `a:b`, `a*b*c`, `C(category)` — see terms.ts. */
  terms: readonly string[];
  /** Numeric variables to mean-center over the model's own rows before any product is formed. */
  center?: readonly string[];
  /** The response is a count: a non-negative whole number on every kept row. */
  count?: boolean;
  /** Column naming rows in error messages (e.g. `video_id`). */
  id?: string;
}

export interface DesignColumn {
  /** The coefficient's name, as statsmodels prints it. */
  name: string;
  /** The term it belongs to (`C(category)` for its dummies). */
  term: string;
  /** Numeric variables multiplied in this column ([] for the intercept and dummies). */
  factors: string[];
  categorical?: { variable: string; level: string };
}

export interface Design {
  source: string;
  /** The response as written (`log1p(views)`). */
  response: string;
  y: Float64Array;
  /** n × p, column-major. */
  x: Float64Array;
  n: number;
  p: number;
  columns: DesignColumn[];
  names: string[];
  hasIntercept: boolean;
  /** Indices (0-based) of the table rows in the model, in table order. */
  rows: Int32Array;
  /** Rows left out for a missing value in one of the model's variables. */
  dropped: number;
  /** For each variable, how many table rows miss it (a row can miss several). */
  missing: Record<string, number>;
  /** Each numeric variable of the model over the kept rows, after centering. */
  variables: Map<string, Float64Array>;
  /** The mean subtracted from each centered variable. */
  centered: Record<string, number>;
  /** The QR factorization of x from the rank check, reused by OLS (x must not be changed). */
  qr: SequentialQr;
}

const LOG1P = /^(?:np\.)?log1p\(\s*([^()]+?)\s*\)$/;

function invalid(message: string, details?: unknown): never {
  throw new FramelabError('INVALID_INPUT', message, details);
}

/** Listwise deletion: the rows where every variable is present. */
function completeRows(rowCount: number, numeric: Map<string, Float64Array>, categorical: Map<string, (string | null)[]>) {
  const missing: Record<string, number> = {};
  const keep: number[] = [];
  for (const [name, values] of numeric) missing[name] = values.reduce((s, v) => s + (Number.isNaN(v) ? 1 : 0), 0);
  for (const [name, values] of categorical) missing[name] = values.reduce((s, v) => s + (v === null ? 1 : 0), 0);
  const ok = new Uint8Array(rowCount).fill(1);
  for (const values of numeric.values()) for (let i = 0; i < rowCount; i++) if (Number.isNaN(values[i]!)) ok[i] = 0;
  for (const values of categorical.values()) for (let i = 0; i < rowCount; i++) if (values[i] === null) ok[i] = 0;
  for (let i = 0; i < rowCount; i++) if (ok[i]) keep.push(i);
  return { keep: Int32Array.from(keep), missing };
}

function checkResponse(
  values: Float64Array,
  rows: Int32Array,
  spec: DesignSpec,
  column: string,
  transform: 'log1p' | null,
  source: string,
  nameRow: RowNamer,
): void {
  for (const r of rows) {
    const v = values[r]!;
    if (spec.count && (v < 0 || !Number.isInteger(v))) {
      invalid(
        `"${column}" is the count outcome of a count model, so it must be a non-negative whole number, but ${nameRow(r)} of ${source} has ${v}.`,
        { column, row: r + 1, value: v },
      );
    }
    if (transform === 'log1p' && !(v > -1)) {
      invalid(`log1p(${column}) needs values above −1, but ${nameRow(r)} of ${source} has ${v}.`, { column, row: r + 1, value: v });
    }
  }
}

function mean(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** A variable without variation cannot be estimated next to an intercept: say so by name. */
function checkNotConstant(name: string, values: ArrayLike<number | string>, role: string): void {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return;
  invalid(
    `"${name}" (${role}) is constant — every one of the ${values.length} rows in this model has ${JSON.stringify(values[0])} — so its effect cannot be estimated; remove it from the model.`,
    { column: name },
  );
}

/** Names the columns that are linear combinations of earlier ones, with the combination. */
function checkFullRank(x: Float64Array, n: number, p: number, names: string[]): SequentialQr {
  const qr = sequentialQr(x, n, p);
  const { dependent } = qr;
  if (!dependent.length) return qr;
  const norm = (j: number) => Math.hypot(...x.subarray(j * n, j * n + n));
  const collinear = dependent.map(({ column, combination }) => {
    const scale = norm(column);
    const involved = combination.filter((c) => Math.abs(c.coefficient) * norm(c.column) > 1e-6 * scale);
    return { term: names[column]!, with: involved.map((c) => names[c.column]!), coefficients: involved.map((c) => c.coefficient) };
  });
  const describe = (c: (typeof collinear)[number]) =>
    c.with.length
      ? `"${c.term}" = ${c.with.map((w, k) => `${Number(c.coefficients[k]).toPrecision(4)}·${w}`).join(' + ')}`
      : `"${c.term}" is zero on every row`;
  invalid(
    `The design is singular: ${collinear.map(describe).join('; ')}. These terms are collinear (perfectly predictable from each other in the model's rows); remove one of them.`,
    { collinear: collinear.map(({ term, with: w }) => ({ term, with: w })) },
  );
}

/**
 * Model matrices already built and factorized in one analysis run, for reuse by the next model
 * with the same terms, centering and rows: the lab fits the same 25 right-hand sides to four
 * outcomes, and when the outcomes miss no rows differently the four share one X and its QR.
 * Scoped to a run over one table (the key does not include the table); X and the QR are
 * shared read-only.
 */
export class DesignCache {
  private readonly entries = new Map<string, { rows: Int32Array; x: Float64Array; qr: SequentialQr }[]>();

  private static key(terms: readonly string[], center: readonly string[] | undefined): string {
    return JSON.stringify([terms, center ?? []]);
  }

  find(
    terms: readonly string[],
    center: readonly string[] | undefined,
    rows: Int32Array,
  ): { x: Float64Array; qr: SequentialQr } | undefined {
    return this.entries.get(DesignCache.key(terms, center))?.find((e) => sameRows(e.rows, rows));
  }

  add(terms: readonly string[], center: readonly string[] | undefined, rows: Int32Array, x: Float64Array, qr: SequentialQr): void {
    const key = DesignCache.key(terms, center);
    const list = this.entries.get(key) ?? [];
    list.push({ rows, x, qr });
    this.entries.set(key, list);
  }
}

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function buildDesign(table: Table, spec: DesignSpec, cache?: DesignCache): Design {
  const terms = parseTerms(spec.terms);
  const nameRow = rowNamer(table, spec.id);
  const log1p = LOG1P.exec(spec.response.trim());
  const responseColumn = log1p ? log1p[1]! : spec.response.trim();
  const transform = log1p ? 'log1p' : null;

  // Every variable of the model, read once.
  const numericNames = [...new Set(terms.flatMap((t) => (t.kind === 'numeric' ? t.factors : [])))];
  const categoricalNames = [...new Set(terms.flatMap((t) => (t.kind === 'categorical' ? [t.variable] : [])))];
  const numeric = new Map<string, Float64Array>();
  const responseRaw = numericVariable(table, responseColumn, 'the outcome', nameRow);
  numeric.set(responseColumn, responseRaw);
  for (const name of numericNames) if (!numeric.has(name)) numeric.set(name, numericVariable(table, name, 'a predictor', nameRow));
  const categorical = new Map<string, (string | null)[]>();
  for (const name of categoricalNames) categorical.set(name, categoricalVariable(table, name, 'a categorical predictor'));
  for (const name of spec.center ?? []) {
    if (!numericNames.includes(name))
      invalid(
        `"${name}" is to be centered but is not a numeric variable of this model (its numeric variables: ${numericNames.join(', ') || 'none'}).`,
        { column: name },
      );
  }

  const { keep: rows, missing } = completeRows(table.rowCount, numeric, categorical);
  if (rows.length === 0) {
    const worst = Object.entries(missing)
      .filter(([, m]) => m > 0)
      .map(([v, m]) => `${v} (${m} missing)`);
    invalid(`No row of ${table.source} has every variable of this model; ${worst.join(', ')}.`, { missing });
  }
  checkResponse(responseRaw, rows, spec, responseColumn, transform, table.source, nameRow);
  const y = gather(responseRaw, rows);
  if (transform === 'log1p') for (let i = 0; i < y.length; i++) y[i] = Math.log1p(y[i]!);

  const variables = new Map<string, Float64Array>();
  const centered: Record<string, number> = {};
  for (const name of numericNames) {
    const values = gather(numeric.get(name)!, rows);
    checkNotConstant(name, values, 'a predictor');
    if (spec.center?.includes(name)) {
      const m = mean(values);
      centered[name] = m;
      for (let i = 0; i < values.length; i++) values[i]! -= m;
    }
    variables.set(name, values);
  }

  const hasIntercept = terms.some((t) => t.kind === 'intercept');
  const columns = designColumns(terms, categorical, rows, hasIntercept);
  const n = rows.length;
  const p = columns.length;
  if (n <= p)
    invalid(
      `The model has ${p} coefficients but only ${n} complete rows of ${table.source}; it needs more rows than coefficients (${table.rowCount - n} rows were left out for missing values).`,
      { n, p },
    );
  checkNotConstant(spec.response, y, 'the outcome');

  const names = columns.map((c) => c.name);
  const cached = cache?.find(spec.terms, spec.center, rows);
  if (cached)
    return {
      source: table.source,
      response: spec.response.trim(),
      y,
      x: cached.x,
      n,
      p,
      columns,
      names,
      hasIntercept,
      rows,
      dropped: table.rowCount - n,
      missing,
      variables,
      centered,
      qr: cached.qr,
    };
  const x = new Float64Array(n * p);
  columns.forEach((col, j) => {
    const out = x.subarray(j * n, j * n + n);
    if (col.categorical) {
      const labels = categorical.get(col.categorical.variable)!;
      for (let i = 0; i < n; i++) out[i] = labels[rows[i]!] === col.categorical.level ? 1 : 0;
      return;
    }
    out.fill(1);
    for (const f of col.factors) {
      const values = variables.get(f)!;
      for (let i = 0; i < n; i++) out[i]! *= values[i]!;
    }
  });
  const qr = checkFullRank(x, n, p, names);
  cache?.add(spec.terms, spec.center, rows, x, qr);
  return {
    source: table.source,
    response: spec.response.trim(),
    y,
    x,
    n,
    p,
    columns,
    names,
    hasIntercept,
    rows,
    dropped: table.rowCount - n,
    missing,
    variables,
    centered,
    qr,
  };
}

/**
 * The columns of each term. Dummies are treatment-coded against the first level in sorted
 * order (`C(g)[T.b]`), over the levels present in the model's rows; without an intercept the
 * first categorical gets a column for every level (`C(g)[a]`), as patsy does.
 */
function designColumns(
  terms: Term[],
  categorical: Map<string, (string | null)[]>,
  rows: Int32Array,
  hasIntercept: boolean,
): DesignColumn[] {
  const columns: DesignColumn[] = [];
  let fullRankUsed = hasIntercept;
  for (const term of terms) {
    if (term.kind === 'intercept') columns.push({ name: 'Intercept', term: 'Intercept', factors: [] });
    else if (term.kind === 'numeric') columns.push({ name: term.name, term: term.name, factors: term.factors });
    else {
      const labels = categorical.get(term.variable)!;
      const levels = sortedLevels(Array.from(rows, (r) => labels[r]!));
      if (levels.length === 1)
        checkNotConstant(
          term.variable,
          Array.from(rows, (r) => labels[r]!),
          'a categorical predictor',
        );
      const reduced = fullRankUsed;
      fullRankUsed = true;
      for (const level of reduced ? levels.slice(1) : levels) {
        columns.push({
          name: `${term.name}[${reduced ? 'T.' : ''}${level}]`,
          term: term.name,
          factors: [],
          categorical: { variable: term.variable, level },
        });
      }
    }
  }
  return columns;
}
