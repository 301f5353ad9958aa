import fs from 'node:fs';
import path from 'node:path';
import { AnalysisConfig, type AnalysisConfigInput } from '../../../shared/analysis';
import { FramelabError } from '../../../shared/errors';
import { regularFile, regularFolder } from '../workspace/inputPaths';
import { decodeUtf8 } from '../workspace/utf8Text';
import { zodMessage } from '../zodMessage';

/**
 * An analysis config (issue 18 item 7): a JSON file whose relative paths are relative to its
 * own folder. Read strictly (UTF-8, a regular file, the schema with messages naming the
 * field), then checked as a whole before any data is read, so a typo in a focal triple is
 * refused in a second, not after the first models were fitted.
 */

const CATEGORICAL = /^C\((.+)\)$/;

/** `C(category)` → `category`; a numeric control is its own column. */
export const controlColumn = (control: string): string => CATEGORICAL.exec(control)?.[1]?.trim() ?? control;
export const isCategorical = (control: string): boolean => CATEGORICAL.test(control);

function invalid(message: string, details?: unknown): never {
  throw new FramelabError('INVALID_INPUT', message, details);
}

/** Parses a config object (defaults filled), naming the field of every problem. */
export function parseAnalysisConfig(raw: unknown, where = 'the analysis config'): AnalysisConfig {
  const parsed = AnalysisConfig.safeParse(raw);
  if (!parsed.success) invalid(`${where}: ${zodMessage(parsed.error)}`);
  return parsed.data;
}

/** Reads, parses, resolves and checks a config file. */
export function readAnalysisConfig(file: string): AnalysisConfig {
  if (!fs.existsSync(file)) throw new FramelabError('NOT_FOUND', `the analysis config ${file} does not exist.`, { path: file });
  regularFile(file, 'analysis config');
  // Strict UTF-8: a Latin-1 column name would silently match no column.
  const text = decodeUtf8(fs.readFileSync(file), file, 'save it as UTF-8 and run again');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    invalid(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const config = resolveAnalysisPaths(parseAnalysisConfig(raw, file), path.dirname(file));
  checkAnalysisConfig(config);
  return config;
}

/**
 * The data and join paths made absolute against `baseDir` (the config file's folder). Without
 * a base (a config sent over the API) every path must already be absolute.
 */
export function resolveAnalysisPaths(config: AnalysisConfig, baseDir: string | null): AnalysisConfig {
  const resolve = (p: string, field: string) => {
    if (path.isAbsolute(p)) return path.normalize(p);
    if (baseDir === null)
      invalid(`${field}: "${p}" is a relative path, but there is no config file to resolve it against; give an absolute path.`, { field });
    return path.resolve(baseDir, p);
  };
  return {
    ...config,
    data: resolve(config.data, 'data'),
    joins: config.joins.map((j, i) => ({ ...j, path: resolve(j.path, `joins.${i}.path`) })),
  };
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) (seen.has(v) ? twice : seen).add(v);
  return [...twice];
}

const list = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * What the schema cannot say: the roles of the columns fit together. Every focal variable is a
 * predictor, a triple or pair names distinct variables, partial dependence is over predictors
 * or numeric controls, no column is both an outcome and something else, no list repeats.
 */
export function checkAnalysisConfig(config: AnalysisConfig): void {
  const { outcomes, predictors, controls, id } = config;
  const controlColumns = controls.map(controlColumn);
  for (const [field, values] of [
    ['outcomes', outcomes],
    ['predictors', predictors],
    ['controls', controlColumns],
  ] as const) {
    const twice = duplicates(values);
    if (twice.length)
      invalid(`${field}: ${list(twice)} ${twice.length === 1 ? 'is' : 'are'} listed twice; name each column once.`, {
        field,
        columns: twice,
      });
  }
  const roles: [string, readonly string[]][] = [
    ['an outcome', outcomes],
    ['a predictor', predictors],
    ['a control', controlColumns],
  ];
  for (let a = 0; a < roles.length; a++) {
    for (let b = a + 1; b < roles.length; b++) {
      const both = roles[a]![1].filter((c) => roles[b]![1].includes(c));
      if (both.length)
        invalid(`${list(both)} cannot be both ${roles[a]![0]} and ${roles[b]![0]}; give each column one role.`, { columns: both });
    }
  }
  const idRole = roles.find(([, cols]) => cols.includes(id));
  if (idRole) invalid(`"${id}" is the id column and cannot also be ${idRole[0]}.`, { column: id });

  const checkGroup = (field: string, group: readonly string[], allowed: readonly string[], allowedText: string) => {
    const twice = duplicates(group);
    if (twice.length)
      invalid(`${field}: [${group.join(', ')}] names ${list(twice)} twice; an interaction needs ${group.length} different variables.`, {
        field,
      });
    const outside = group.filter((v) => !allowed.includes(v));
    if (outside.length)
      invalid(`${field}: ${list(outside)} ${outside.length === 1 ? 'is' : 'are'} not ${allowedText} (${list(allowed) || 'none'}).`, {
        field,
        columns: outside,
      });
  };
  config.focal.forEach((group, i) => checkGroup(`focal.${i}`, group, predictors, 'among the predictors'));
  const focalKeys = config.focal.map((g) => g.join('*'));
  const repeated = duplicates(focalKeys);
  if (repeated.length)
    invalid(`focal: ${repeated.map((r) => `[${r.split('*').join(', ')}]`).join(', ')} is listed twice.`, { field: 'focal' });
  if (config.pairwise && predictors.length < 2)
    invalid('pairwise: the pairwise screen needs at least two predictors.', { field: 'pairwise' });

  if (config.gbm) {
    // Partial dependence varies one numeric column of the GBM: a predictor or a numeric control.
    const numeric = [...predictors, ...controls.filter((c) => !isCategorical(c))];
    config.gbm.pdpPairs.forEach((pair, i) => checkGroup(`gbm.pdpPairs.${i}`, pair, numeric, 'a predictor or a numeric control'));
    (config.gbm.pdpTriples ?? []).forEach((triple, i) =>
      checkGroup(`gbm.pdpTriples.${i}`, triple, numeric, 'a predictor or a numeric control'),
    );
  }
  config.joins.forEach((join, i) => {
    if (join.kind === 'table' && join.columns) {
      const twice = duplicates(join.columns);
      if (twice.length) invalid(`joins.${i}.columns: ${list(twice)} listed twice.`, { field: `joins.${i}.columns` });
    }
  });
}

/** The three-way views of partial dependence: as configured, else the focal triples. */
export function pdpTriplesOf(config: AnalysisConfig): [string, string, string][] {
  if (!config.gbm) return [];
  return config.gbm.pdpTriples ?? (config.focal.filter((g) => g.length === 3) as [string, string, string][]);
}

export type { AnalysisConfigInput };

/**
 * The owner's check of an `analysis.run` job before it is queued (jobs/precheck.ts): the config
 * as a whole and its input paths (readable regular files; an inference join a folder). Reads no
 * data; the job checks again when it starts.
 */
export function checkAnalysisInput(params: { config: AnalysisConfig; configFile: string | null }): AnalysisConfig {
  const config = resolveAnalysisPaths(params.config, params.configFile ? path.dirname(params.configFile) : null);
  checkAnalysisConfig(config);
  regularFile(config.data, 'analysis data table');
  config.joins.forEach((join, i) =>
    join.kind === 'table'
      ? regularFile(join.path, `table of joins.${i}`)
      : regularFolder(join.path, `batch-inference output folder of joins.${i}`),
  );
  return config;
}
