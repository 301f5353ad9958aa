import { jobKinds, type JobKind } from './jobs';

/**
 * A job's title with what it works on — "Import annotations: annotations.csv", "Fine-tune a
 * model: pov@v7 on gold-3", "Run an outcome analysis: visual overload" — so two jobs of a kind
 * can be told apart in the jobs panel and its log. Computed once, when the job is created,
 * from its parsed parameters; a kind or a field this does not know gives the bare title.
 */

const MAX_DETAIL = 80;

/** The last part of a path or gs:// URL (the part a person recognises). */
export const baseName = (p: string): string =>
  p
    .replace(/[\\/]+$/, '')
    .split(/[\\/]/)
    .pop() || p;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/** "a, b and 3 more". */
const few = (names: string[], shown = 2): string =>
  names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
const field = (o: unknown, key: string): unknown => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined);

const DETAILS: { [K in JobKind]?: (p: unknown) => string | null } = {
  'workspace.integrity': (p) => (field(p, 'hashFiles') === false ? 'database only' : null),
  'annotations.import': (p) => (str(field(p, 'file')) ? baseName(str(field(p, 'file'))!) : null),
  'media.import': (p) => few(list(field(p, 'paths')).map(baseName)) || null,
  'frames.sample': (p) => {
    const ids = list(field(p, 'videoIds'));
    return ids.length ? few(ids) : 'every video';
  },
  'models.import': (p) => {
    const dimension = str(field(p, 'dimension'));
    const version = str(field(p, 'version'));
    return dimension && version ? `${dimension}@${version}` : null;
  },
  'models.predict': (p) => str(field(p, 'model')),
  'models.export': (p) => {
    const model = str(field(p, 'model'));
    const format = str(field(p, 'format'));
    return model ? `${model}${format ? ` as ${format}` : ''}` : null;
  },
  'finetune.run': (p) => {
    const base = str(field(p, 'baseModel'));
    const gold = str(field(p, 'goldSnapshotId'));
    return base ? `${base}${gold ? ` on ${gold}` : ''}` : null;
  },
  'infer.run': (p) => {
    const videos = str(field(p, 'videos'));
    const models = list(field(p, 'models'));
    return videos ? `${baseName(videos)}${models.length ? ` with ${models.join(', ')}` : ''}` : null;
  },
  'suite.run': (p) =>
    str(field(field(p, 'config'), 'name')) ??
    (str(field(field(p, 'config'), 'metadata')) ? baseName(str(field(field(p, 'config'), 'metadata'))!) : null),
  'suite.embedText': (p) => {
    const input = str(field(p, 'input'));
    const column = str(field(p, 'column'));
    return input ? `${column ? `${column} of ` : ''}${baseName(input)}` : null;
  },
  'suite.score': (p) => {
    const model = str(field(p, 'model'));
    const metadata = str(field(p, 'metadata'));
    return model ? `${model}${metadata ? ` on ${baseName(metadata)}` : ''}` : null;
  },
  'preference.analyses.import': (p) => (str(field(p, 'path')) ? baseName(str(field(p, 'path'))!) : null),
  'preference.train': (p) => str(field(p, 'model')),
  'analysis.run': (p) =>
    str(field(field(p, 'config'), 'name')) ??
    (str(field(field(p, 'config'), 'data')) ? baseName(str(field(field(p, 'config'), 'data'))!) : null),
};

export function jobTitle(kind: JobKind, params: unknown): string {
  const title = jobKinds[kind].title;
  let detail: string | null = null;
  try {
    detail = DETAILS[kind]?.(params) ?? null;
  } catch {
    detail = null; // a title is never worth failing a job over
  }
  if (!detail) return title;
  const short = detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL - 1)}…` : detail;
  return `${title}: ${short}`;
}
