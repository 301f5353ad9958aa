import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {
  AnnotationsError,
  AnnotationsImportInput,
  AnnotationsImportPlan,
  AnnotationsImportReport,
  PlanAssignment,
  PlanBlank,
  PlanCode,
  PlanFrame,
  StagedImage,
} from '../../../shared/annotations';
import { FramelabError } from '../../../shared/errors';
import { readCodebook } from '../coding/codebook';
import { categoryLookup } from '../coding/codes';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { tmpPathFor } from '../media/extract';
import { absoluteStoredPath } from '../workspace/files';
import { readRegularFile, regularFile, regularFolder } from '../workspace/inputPaths';
import { decodeUtf8 } from '../workspace/utf8Text';
import { indexFramesDir, storedImagePath } from './images';
import { parseAnnotations, parseMappings, type AnnotationRow, type CategoryMap, type CodebookShape } from './parseAnnotations';

/**
 * The reading half of an annotations import, run in a job process against a read-only
 * database: reads and checks the file, compares it with the home, copies the images it links
 * under temporary names, and returns the report with the plan the owner writes in one
 * transaction (importWrites.ts). Nothing here writes the database.
 */

export interface PlanHooks {
  progress(fraction: number, stage: string): void;
  throwIfCancelled(): void;
}

export const noHooks: PlanHooks = { progress: () => undefined, throwIfCancelled: () => undefined };

export function codebookShape(db: Db): CodebookShape {
  return {
    dimensions: readCodebook(db).dimensions.map((d) => ({ name: d.name, categories: d.categories.map((c) => c.value) })),
  };
}

/**
 * The checks that need no reading of the file: absolute paths, a regular file, a folder, the
 * mappings against the codebook. The owner runs them before it starts the job, so bad input
 * fails at once; the job runs them again (the file may have changed meanwhile).
 */
export function checkImportInput(db: Db, input: AnnotationsImportInput): { codebook: CodebookShape; map: CategoryMap } {
  if (!path.isAbsolute(input.file))
    throw new FramelabError('INVALID_INPUT', `The annotations file must be an absolute path, not "${input.file}".`);
  regularFile(input.file, 'annotations file');
  if (input.framesDir !== undefined) {
    if (!path.isAbsolute(input.framesDir))
      throw new FramelabError('INVALID_INPUT', `The frames folder must be an absolute path, not "${input.framesDir}".`);
    regularFolder(input.framesDir, 'frames folder');
  }
  const codebook = codebookShape(db);
  return { codebook, map: parseMappings(input.map ?? [], codebook) };
}

/** Checks against what the database already holds: a frame id must keep its video and time. */
export function conflictsWithDb(
  db: Db,
  rows: readonly { row: number; frameId: string; videoId: string; tenths: number }[],
): AnnotationsError[] {
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
        errors.push({
          row: r.row,
          column: 'frame_id',
          message: `Video "${r.videoId}" at ${r.tenths / 10} s is already frame "${other.frame_id}".`,
        });
      }
    }
  }
  return errors;
}

/** Removes staged copies (job side on failure, owner side when it drops them). */
export function removeStaged(home: HomePaths, images: readonly StagedImage[]): void {
  for (const image of images) fs.rmSync(absoluteStoredPath(home, image.tmp), { force: true });
}

/**
 * Copies the images of the file's frames that have none yet (in this snapshot) under
 * temporary names beside their final place; the owner moves and registers them.
 */
function stageImages(
  home: HomePaths,
  framesDir: string,
  frames: Map<string, { videoId: string; hasImage: boolean }>,
  hooks: PlanHooks,
): StagedImage[] {
  const images = indexFramesDir(framesDir);
  const tag = crypto.randomBytes(4).toString('hex');
  const wanted = [...frames].filter(([frameId, f]) => !f.hasImage && images.has(frameId));
  const staged: StagedImage[] = [];
  try {
    for (const [i, [frameId, { videoId }]] of wanted.entries()) {
      hooks.throwIfCancelled();
      if (i % 50 === 0) hooks.progress(0.9 + 0.1 * (i / wanted.length), `Copying images: ${i} of ${wanted.length}`);
      const source = images.get(frameId)!;
      const bytes = readRegularFile(source, 'frame image');
      const final = storedImagePath(videoId, frameId, source);
      const tmp = tmpPathFor(final, tag);
      const target = absoluteStoredPath(home, tmp);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
      staged.push({ frameId, path: final, tmp, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
    }
  } catch (err) {
    removeStaged(home, staged);
    throw err;
  }
  return staged;
}

const emptyChanges = (): AnnotationsImportReport['changedCodes'] => ({ replaced: 0, kept: 0, list: [] });

/**
 * The writes the file asks for, against the home as this read transaction sees it: new
 * frames, assignments to add or widen, cells whose value the home does not hold, blanks
 * where it has no code. What the home already holds is left out, so re-importing a file
 * costs the owner next to nothing.
 */
function compare(db: Db, rows: readonly AnnotationRow[], dimensions: string[], fileModifiedAt: string, hooks: PlanHooks) {
  const lookup = categoryLookup(db);
  const historyMark = (db.prepare('SELECT coalesce(max(id), 0) AS id FROM code_history').get() as { id: number }).id;
  const frameRow = db.prepare('SELECT image_path FROM frames WHERE frame_id = ?');
  const assignment = db.prepare('SELECT overlap FROM assignments WHERE frame_id = ? AND coder_id = ?');
  const code = db.prepare(
    `SELECT k.category_id AS categoryId, c.value, k.coded_at AS codedAt FROM codes k JOIN categories c ON c.id = k.category_id
     WHERE k.frame_id = ? AND k.coder_id = ? AND k.dimension = ?`,
  );
  const frames = new Map<string, { videoId: string; hasImage: boolean; coders: Set<string> }>();
  const newFrames: PlanFrame[] = [];
  for (const r of rows) {
    let frame = frames.get(r.frameId);
    if (!frame) {
      const existing = frameRow.get(r.frameId) as { image_path: string | null } | undefined;
      if (!existing) newFrames.push([r.row, r.frameId, r.videoId, r.tenths]);
      frames.set(r.frameId, (frame = { videoId: r.videoId, hasImage: !!existing?.image_path, coders: new Set() }));
    }
    frame.coders.add(r.coderId);
  }
  const assignments: PlanAssignment[] = [];
  for (const [frameId, frame] of frames) {
    const overlap = frame.coders.size >= 2 ? 1 : 0;
    for (const coderId of frame.coders) {
      const existing = assignment.get(frameId, coderId) as { overlap: number } | undefined;
      if (!existing || existing.overlap < overlap) assignments.push([frameId, coderId, overlap]);
    }
  }
  const codes: PlanCode[] = [];
  const blanks: PlanBlank[] = [];
  rows.forEach((r, i) => {
    if (i % 5000 === 0)
      hooks.progress(
        0.84 + 0.06 * (i / rows.length),
        `Comparing with the home: ${i.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows`,
      );
    const at = r.codedAt ?? fileModifiedAt;
    dimensions.forEach((dimension, d) => {
      const value = r.codes[dimension] ?? null;
      const home = code.get(r.frameId, r.coderId, dimension) as { categoryId: number; value: string; codedAt: string } | undefined;
      if (value === null) {
        if (!home) blanks.push([r.row, r.frameId, r.coderId, d]);
        return;
      }
      const categoryId = lookup.get(dimension)!.get(value)!;
      if (home?.categoryId === categoryId) return;
      codes.push([
        r.row,
        r.frameId,
        r.coderId,
        d,
        categoryId,
        value,
        at,
        home?.categoryId ?? null,
        home?.value ?? null,
        home?.codedAt ?? null,
      ]);
    });
  });
  return {
    historyMark,
    frames,
    plan: {
      coders: [...new Set(rows.map((r) => r.coderId))],
      videos: [...new Set(rows.map((r) => r.videoId))],
      frames: newFrames,
      assignments,
      codes,
      blanks,
    },
  };
}

/** Reads and checks the file; the report, and with no bad row the plan to write. */
export function planAnnotationsImport(
  db: Db,
  home: HomePaths,
  input: AnnotationsImportInput,
  hooks: PlanHooks = noHooks,
): AnnotationsImportReport & { plan?: AnnotationsImportPlan } {
  const { codebook, map } = checkImportInput(db, input);
  const fileName = path.basename(input.file);
  hooks.progress(0.01, `Reading ${fileName}`);
  const bytes = readRegularFile(input.file, 'annotations file');
  // A row without coded_at was coded no later than the file was last written.
  const fileModifiedAt = fs.statSync(input.file).mtime.toISOString();
  const text = decodeUtf8(bytes, input.file, 'save it as "CSV UTF-8" and import it again');
  hooks.throwIfCancelled();
  hooks.progress(0.05, `Reading ${fileName} (${(bytes.length / 1e6).toFixed(1)} MB)`);
  const parsed = parseAnnotations(text, codebook, map, (done, total) => {
    hooks.progress(
      0.1 + 0.7 * (done / Math.max(1, total)),
      `Checking rows: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`,
    );
  });
  hooks.throwIfCancelled();
  hooks.progress(0.82, 'Comparing with the home');
  const dimensions = codebook.dimensions.map((d) => d.name);
  // One read transaction: every comparison sees the same state of the home.
  return db.transaction(() => {
    const errors = parsed.errors.length ? parsed.errors : conflictsWithDb(db, parsed.rows);
    const report: AnnotationsImportReport = { ...parsed.counts, recodeQueue: 0, imagesMissing: 0, changedCodes: emptyChanges(), errors };
    if (errors.length > 0) return report;
    const { historyMark, frames, plan } = compare(db, parsed.rows, dimensions, fileModifiedAt, hooks);
    hooks.throwIfCancelled();
    const images = input.framesDir === undefined ? [] : stageImages(home, input.framesDir, frames, hooks);
    const imagesMissing = [...frames.values()].filter((f) => !f.hasImage).length - images.length;
    hooks.progress(1, `Read ${parsed.counts.rows.toLocaleString('en-US')} rows; saving`);
    return {
      ...report,
      recodeQueue: plan.blanks.length,
      imagesMissing,
      plan: { fileName, replaceNewer: input.replaceNewer ?? false, dimensions, historyMark, ...plan, images },
    };
  })();
}
