import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../shared/errors';
import { ANALYSIS_PROBLEMS_LISTED, PreferenceVideoId, type AnalysisFileOutcome, type AnalysisProblem } from '../../../shared/preference';
import { regularFile, regularFileProblem, regularFolder, readRegularFile } from '../workspace/inputPaths';
import { looksBinary } from '../workspace/describeContent';
import { decodeUtf8 } from '../workspace/utf8Text';
import { contentHash, describeJsonValue, jsonSyntaxError, lineAndColumn, topLevelKeyLines } from './analysisJson';

/**
 * Reads the lab's analysis files without touching any database: a .json file holds one video
 * (`{"video_id", "analysis_version", "analysis": {...}}`), a .jsonl file one such object a
 * line, a folder any number of both (not its subfolders or hidden files). Each file stands
 * alone: any problem in it (malformed JSON, a missing or ill-typed field) refuses the whole
 * file, with every problem named by line (and column for syntax), while the other files of a
 * folder are still read.
 */

export interface ReadHooks {
  progress(fraction: number, stage: string): void;
  throwIfCancelled(): void;
}

export const noReadHooks: ReadHooks = { progress: () => undefined, throwIfCancelled: () => undefined };

export interface AnalysisRecord {
  videoId: string;
  version: string;
  /** SHA-256 of the analysis as canonical JSON. */
  hash: string;
  /** The analysis as compact JSON, keys in the file's order. */
  text: string;
  featureCount: number | null;
  line: number;
}

export interface AnalysisFileRead {
  outcome: AnalysisFileOutcome;
  /** Empty when the file is refused. */
  records: AnalysisRecord[];
}

const EXTENSIONS = new Map([
  ['.json', 'json'],
  ['.jsonl', 'jsonl'],
] as const);

const formatOf = (file: string) => EXTENSIONS.get(path.extname(file).toLowerCase() as '.json' | '.jsonl');

/**
 * The files a path stands for, checked without reading them: an absolute path to a .json or
 * .jsonl file, or to a folder holding at least one. Throws INVALID_INPUT / NOT_FOUND naming it.
 */
export function analysisFiles(input: string): { folder: boolean; files: string[] } {
  if (!path.isAbsolute(input)) throw new FramelabError('INVALID_INPUT', `The analyses path must be an absolute path, not "${input}".`);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch {
    regularFile(input, 'analyses file'); // throws the path's own problem (missing, permission)
    throw new FramelabError('NOT_FOUND', `The analyses path ${input} does not exist.`);
  }
  if (stat.isDirectory()) {
    regularFolder(input, 'analyses folder');
    const files = fs
      .readdirSync(input)
      .filter((name) => !name.startsWith('.') && formatOf(name) !== undefined)
      .sort()
      .map((name) => path.join(input, name));
    if (files.length === 0) {
      throw new FramelabError(
        'INVALID_INPUT',
        `The folder ${input} holds no .json or .jsonl file; give a folder of analyses, or one file.`,
        { path: input },
      );
    }
    return { folder: true, files };
  }
  if (formatOf(input) === undefined) {
    throw new FramelabError('INVALID_INPUT', `${input} is not a .json or .jsonl file; give one of those, or a folder of them.`, {
      path: input,
    });
  }
  regularFile(input, 'analyses file');
  return { folder: false, files: [input] };
}

const VERSION_MAX = 100;

/** The record's problems (empty: it is good) and, when good, its parts. */
function checkRecord(
  value: unknown,
  fieldLine: (field: string) => number,
): { problems: AnalysisProblem[]; record?: Omit<AnalysisRecord, 'line'> } {
  const problems: AnalysisProblem[] = [];
  const bad = (field: string | null, message: string) => problems.push({ line: fieldLine(field ?? ''), column: null, field, message });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    bad(null, `expected one JSON object {"video_id", "analysis_version", "analysis": {...}}, found ${describeJsonValue(value)}`);
    return { problems };
  }
  const o = value as Record<string, unknown>;
  const videoId = o.video_id;
  if (videoId === undefined) bad('video_id', 'video_id is missing: every record names its video');
  else if (typeof videoId !== 'string') bad('video_id', `video_id must be a string, not ${describeJsonValue(videoId)}`);
  else {
    const checked = PreferenceVideoId.safeParse(videoId);
    if (!checked.success) bad('video_id', `video_id is not usable: ${checked.error.issues[0]?.message ?? 'not a video id'}`);
  }
  const version = o.analysis_version;
  if (version === undefined) bad('analysis_version', 'analysis_version is missing (e.g. "v3")');
  else if (typeof version !== 'string')
    bad('analysis_version', `analysis_version must be a string such as "v3", not ${describeJsonValue(version)}`);
  else if (version.trim() === '') bad('analysis_version', 'analysis_version is empty (e.g. "v3")');
  else if (version !== version.trim() || version.length > VERSION_MAX || [...version].some((c) => c.charCodeAt(0) < 0x20)) {
    bad('analysis_version', `analysis_version must be at most ${VERSION_MAX} characters, without spaces around it or control characters`);
  }
  const analysis = o.analysis;
  let featureCount: number | null = null;
  if (analysis === undefined) bad('analysis', "analysis is missing: the nested object of the video's features");
  else if (analysis === null || typeof analysis !== 'object' || Array.isArray(analysis)) {
    bad('analysis', `analysis must be a JSON object {...}, not ${describeJsonValue(analysis)}`);
  } else {
    const count = (analysis as Record<string, unknown>).feature_count;
    if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) featureCount = count;
    else if (count !== undefined && count !== null) {
      bad(
        'analysis.feature_count',
        `feature_count must be a whole number ≥ 0 (the analysis's count of its features), not ${describeJsonValue(count)}`,
      );
    }
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    record: {
      videoId: videoId as string,
      version: version as string,
      hash: contentHash(analysis),
      text: JSON.stringify(analysis),
      featureCount,
    },
  };
}

function syntaxProblem(text: string, lineOffset: number): AnalysisProblem {
  if (looksBinary(text)) return { line: lineOffset + 1, column: null, field: null, message: 'it looks binary, not like JSON' };
  const located = jsonSyntaxError(text);
  // JSON.parse refused what the scan accepts (a number out of range?): say so without V8's snippet.
  if (!located) return { line: lineOffset + 1, column: null, field: null, message: 'not valid JSON' };
  const { line, column } = lineAndColumn(text, located.offset);
  return { line: lineOffset + line, column, field: null, message: `not valid JSON: ${located.message}` };
}

/** Reads one file: its outcome, and its records when it is imported whole. Never throws for the file's own problems. */
export function readAnalysisFile(file: string, hooks: ReadHooks = noReadHooks, span: [number, number] = [0, 1]): AnalysisFileRead {
  const format = formatOf(file) ?? 'json';
  const problems: AnalysisProblem[] = [];
  const records: AnalysisRecord[] = [];
  const refused = (): AnalysisFileRead => ({
    outcome: {
      file,
      format,
      outcome: 'refused',
      records: 0,
      added: 0,
      unchanged: 0,
      problems: problems.slice(0, ANALYSIS_PROBLEMS_LISTED),
      problemCount: problems.length,
    },
    records: [],
  });
  const name = path.basename(file);
  let text: string;
  try {
    const problem = regularFileProblem(file);
    if (problem) throw new FramelabError(problem.code, `${file} ${problem.reason}`);
    const fix = 'save it as UTF-8 and import it again';
    text = decodeUtf8(readRegularFile(file, 'analyses file'), file, fix);
  } catch (err) {
    if (!(err instanceof FramelabError)) throw err;
    const line = (err.details as { line?: number } | undefined)?.line ?? null;
    problems.push({ line, column: null, field: null, message: err.message });
    return refused();
  }
  hooks.throwIfCancelled();
  const [from, width] = span;

  if (format === 'json') {
    hooks.progress(from, `Reading ${name}`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      problems.push(syntaxProblem(text, 0));
      return refused();
    }
    const lines = value !== null && typeof value === 'object' && !Array.isArray(value) ? topLevelKeyLines(text) : new Map<string, number>();
    const firstLine = lineAndColumn(text, text.search(/\S/)).line;
    const checked = checkRecord(value, (field) => lines.get(field.split('.')[0]!) ?? firstLine);
    if (Array.isArray(value)) {
      checked.problems[0]!.message += ' (one video per .json file; a list of videos goes in a .jsonl file, one object a line)';
    }
    problems.push(...checked.problems);
    if (problems.length > 0) return refused();
    records.push({ ...checked.record!, line: firstLine });
  } else {
    const lines = text.split(/\r\n|\n|\r/);
    const every = Math.max(1, Math.floor(lines.length / 100));
    for (let i = 0; i < lines.length; i++) {
      if (i % every === 0) {
        hooks.throwIfCancelled();
        hooks.progress(
          from + width * (i / lines.length),
          `Reading ${name}: line ${(i + 1).toLocaleString('en-US')} of ${lines.length.toLocaleString('en-US')}`,
        );
      }
      const line = lines[i]!;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        problems.push(syntaxProblem(line, i));
        continue;
      }
      const checked = checkRecord(value, () => i + 1);
      if (checked.problems.length > 0) problems.push(...checked.problems);
      else if (problems.length === 0) records.push({ ...checked.record!, line: i + 1 });
    }
    if (problems.length > 0) return refused();
    if (records.length === 0) {
      problems.push({ line: null, column: null, field: null, message: 'the file holds no record (every line is empty)' });
      return refused();
    }
  }
  hooks.progress(from + width, `Read ${name}`);
  return {
    outcome: { file, format, outcome: 'imported', records: records.length, added: 0, unchanged: 0, problems: [], problemCount: 0 },
    records,
  };
}
