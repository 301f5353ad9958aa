import fs from 'node:fs';
import path from 'node:path';
import type { AnnotationsError, AnnotationsImportReport } from '../../../shared/annotations';
import { FramelabError } from '../../../shared/errors';
import { readCodebook } from '../coding/codebook';
import { categoryLookup, writeCodes, type CodeChange } from '../coding/codes';
import { newBatchId } from '../coding/history';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { absoluteStoredPath } from '../workspace/files';
import { countImagesMissing, indexFramesDir, linkFrameImages } from './images';
import { parseAnnotations, parseMappings, type AnnotationRow, type CodebookShape } from './parseAnnotations';

/**
 * Imports the lab's annotations.csv: all of it in one transaction, or, with any bad row,
 * nothing at all (the report lists every bad row). Importing the same file again changes
 * nothing. A blank cell is never a code: it never blanks a code that exists, and where the
 * code is absent it becomes a re-code entry for the row's coder, who finds the frame in their
 * coding queue (every imported frame is assigned to each coder who has a row for it).
 */
export interface ImportOptions {
  /** Absolute path of the CSV. */
  file: string;
  /** A folder of `<frame_id>.jpg|png` images. */
  framesDir?: string;
  /** `old=new` mappings for values that are not categories. */
  map?: readonly string[];
}

export function codebookShape(db: Db): CodebookShape {
  return {
    dimensions: readCodebook(db).dimensions.map((d) => ({ name: d.name, categories: d.categories.map((c) => c.value) })),
  };
}

function readText(file: string): string {
  if (!path.isAbsolute(file)) throw new FramelabError('INVALID_INPUT', `The annotations file must be an absolute path, not "${file}".`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FramelabError('NOT_FOUND', `There is no file ${file}.`);
    if (code === 'EISDIR') throw new FramelabError('INVALID_INPUT', `${file} is a folder; give the annotations CSV file.`);
    throw err;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FramelabError('INVALID_INPUT', `${file} is not UTF-8 text; save it as "CSV UTF-8" and import it again.`);
  }
}

/** Checks against what the database already holds: a frame id must keep its video and time. */
function conflictsWithDb(db: Db, rows: AnnotationRow[]): AnnotationsError[] {
  const errors: AnnotationsError[] = [];
  const byId = db.prepare('SELECT video_id, timestamp_s FROM frames WHERE frame_id = ?');
  const bySlot = db.prepare('SELECT frame_id FROM frames WHERE video_id = ? AND timestamp_s = ?');
  const checked = new Set<string>();
  for (const r of rows) {
    if (checked.has(r.frameId)) continue;
    checked.add(r.frameId);
    const existing = byId.get(r.frameId) as { video_id: string; timestamp_s: number } | undefined;
    if (existing) {
      if (existing.video_id !== r.videoId || Math.round(existing.timestamp_s * 10) !== r.tenths) {
        errors.push({
          row: r.row,
          column: 'frame_id',
          message: `Frame "${r.frameId}" already exists for video "${existing.video_id}" at ${existing.timestamp_s} s, not "${r.videoId}" at ${r.tenths / 10} s.`,
        });
      }
    } else {
      const other = bySlot.get(r.videoId, r.tenths / 10) as { frame_id: string } | undefined;
      if (other) {
        errors.push({ row: r.row, column: 'frame_id', message: `Video "${r.videoId}" at ${r.tenths / 10} s is already frame "${other.frame_id}".` });
      }
    }
  }
  return errors;
}

export function importAnnotations(db: Db, home: HomePaths, options: ImportOptions): AnnotationsImportReport {
  const text = readText(options.file);
  const images = options.framesDir === undefined ? new Map<string, string>() : indexFramesDir(options.framesDir);
  const codebook = codebookShape(db);
  const parsed = parseAnnotations(text, codebook, parseMappings(options.map ?? [], codebook));
  const errors = parsed.errors.length ? parsed.errors : conflictsWithDb(db, parsed.rows);
  const report: AnnotationsImportReport = { ...parsed.counts, recodeQueue: 0, imagesMissing: 0, errors };
  if (errors.length > 0) return report;

  const fileName = path.basename(options.file);
  const frameIds = [...new Set(parsed.rows.map((r) => r.frameId))];
  const written: string[] = [];
  const apply = () => {
    const at = new Date().toISOString();
    const lookup = categoryLookup(db);
    const batchId = newBatchId();
    const addCoder = db.prepare(`INSERT INTO coders (coder_id, name, role, created_at) VALUES (?, ?, 'coder', ?) ON CONFLICT DO NOTHING`);
    const addVideo = db.prepare('INSERT INTO videos (video_id, imported_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
    const addFrame = db.prepare(
      'INSERT INTO frames (frame_id, video_id, timestamp_s, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (frame_id) DO NOTHING',
    );
    const assign = db.prepare(
      `INSERT INTO assignments (frame_id, coder_id, overlap, assigned_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (frame_id, coder_id) DO UPDATE SET overlap = excluded.overlap WHERE excluded.overlap > assignments.overlap`,
    );
    const hasCode = db.prepare('SELECT 1 FROM codes WHERE frame_id = ? AND coder_id = ? AND dimension = ?');
    const enqueue = db.prepare(
      `INSERT INTO recode_queue (frame_id, coder_id, dimension, reason, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (frame_id, coder_id, dimension) DO UPDATE
         SET reason = excluded.reason, created_at = excluded.created_at, resolved_at = NULL
         WHERE recode_queue.resolved_at IS NOT NULL`,
    );

    const codersByFrame = new Map<string, Set<string>>();
    for (const r of parsed.rows) {
      addCoder.run(r.coderId, r.coderId, at);
      addVideo.run(r.videoId, at);
      addFrame.run(r.frameId, r.videoId, r.tenths / 10, at);
      codersByFrame.set(r.frameId, (codersByFrame.get(r.frameId) ?? new Set()).add(r.coderId));
    }
    for (const [frameId, coders] of codersByFrame) {
      for (const coderId of coders) assign.run(frameId, coderId, coders.size >= 2 ? 1 : 0, at);
    }

    let recodeQueue = 0;
    for (const r of parsed.rows) {
      const changes: CodeChange[] = [];
      for (const [dimension, value] of Object.entries(r.codes)) {
        if (value !== null) changes.push({ frameId: r.frameId, coderId: r.coderId, dimension, categoryId: lookup.get(dimension)!.get(value)! });
      }
      writeCodes(db, changes, { source: 'import', batchId, at: r.codedAt ?? at });
      for (const [dimension, value] of Object.entries(r.codes)) {
        // A blank is never a code: it only queues a re-code where the code is absent.
        if (value !== null || hasCode.get(r.frameId, r.coderId, dimension)) continue;
        enqueue.run(r.frameId, r.coderId, dimension, `blank cell in ${fileName} row ${r.row}`, at);
        recodeQueue++;
      }
    }
    linkFrameImages(db, home, frameIds, images, written);
    return { recodeQueue, imagesMissing: countImagesMissing(db, frameIds) };
  };
  try {
    return { ...report, ...db.transaction(apply).immediate() };
  } catch (err) {
    // Nothing was recorded: take back the image copies no stored_files row knows.
    const known = db.prepare('SELECT 1 FROM stored_files WHERE path = ?');
    for (const file of written) if (!known.get(file)) fs.rmSync(absoluteStoredPath(home, file), { force: true });
    throw err;
  }
}
