import fs from 'node:fs';
import {
  CHANGED_CODES_LISTED,
  type AnnotationsError,
  type AnnotationsImportPlan,
  type AnnotationsImportReport,
  type ChangedCodes,
} from '../../../shared/annotations';
import { FramelabError } from '../../../shared/errors';
import { writeCodes } from '../coding/codes';
import { newBatchId } from '../coding/history';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import { absoluteStoredPath, registerStoredFile } from '../workspace/files';
import { notePendingFiles } from '../workspace/pendingFiles';
import { removeStaged } from './planImport';

/**
 * The writing half of an annotations import, in the owner: the plan the job made, written
 * inside the caller's transaction (the supervisor's, which also marks the job succeeded), so
 * the file lands whole or not at all. The plan holds only what the home lacked when the job
 * looked; what the owner relies on is checked again here (the codebook, frames created since,
 * every code changed since `historyMark`). Nothing here reads the user's file.
 *
 * A code the file holds a different value for is replaced only when the file's row is not
 * older than the home's code (its coded_at; a row without one counts as old as the file),
 * unless the plan says replaceNewer. Both kinds are listed in the report.
 */

const changedUnder = (what: string) =>
  new FramelabError(
    'CONFLICT',
    `The codebook changed while the annotations file was read: ${what}. Nothing was imported; import the file again.`,
  );

const time = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
};

/** Writes the plan (call inside a transaction); the report without the plan. A throw writes nothing. */
export function applyAnnotationsImport(
  db: Db,
  home: HomePaths,
  result: AnnotationsImportReport & { plan?: AnnotationsImportPlan },
): AnnotationsImportReport {
  const { plan, ...report } = result;
  if (!plan) return report;
  try {
    return { ...report, ...writePlan(db, home, plan) };
  } catch (err) {
    removeStaged(home, plan.images);
    throw err;
  }
}

/** Category id → its dimension and value, for the active categories. */
function activeCategories(db: Db): Map<number, { dimension: string; value: string }> {
  const rows = db.prepare('SELECT id, dimension, value FROM categories WHERE retired_at IS NULL').all() as {
    id: number;
    dimension: string;
    value: string;
  }[];
  return new Map(rows.map((r) => [r.id, { dimension: r.dimension, value: r.value }]));
}

function checkCodebook(db: Db, plan: AnnotationsImportPlan): Map<number, { dimension: string; value: string }> {
  const dimensions = (db.prepare('SELECT name FROM dimensions').all() as { name: string }[]).map((d) => d.name);
  for (const d of plan.dimensions) if (!dimensions.includes(d)) throw changedUnder(`there is no dimension "${d}" any more`);
  for (const d of dimensions) if (!plan.dimensions.includes(d)) throw changedUnder(`the dimension "${d}" was added`);
  return activeCategories(db);
}

function writeFrames(db: Db, plan: AnnotationsImportPlan, at: string): void {
  const addCoder = db.prepare(`INSERT INTO coders (coder_id, name, role, created_at) VALUES (?, ?, 'coder', ?) ON CONFLICT DO NOTHING`);
  const addVideo = db.prepare('INSERT INTO videos (video_id, imported_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const addFrame = db.prepare(
    'INSERT INTO frames (frame_id, video_id, timestamp_s, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const byId = db.prepare('SELECT video_id, timestamp_s FROM frames WHERE frame_id = ?');
  const bySlot = db.prepare('SELECT frame_id FROM frames WHERE video_id = ? AND timestamp_s = ?');
  const assign = db.prepare(
    `INSERT INTO assignments (frame_id, coder_id, overlap, assigned_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (frame_id, coder_id) DO UPDATE SET overlap = excluded.overlap WHERE excluded.overlap > assignments.overlap`,
  );
  for (const coderId of plan.coders) addCoder.run(coderId, coderId, at);
  for (const videoId of plan.videos) addVideo.run(videoId, at);
  const conflicts: AnnotationsError[] = [];
  for (const [row, frameId, videoId, tenths] of plan.frames) {
    if (addFrame.run(frameId, videoId, tenths / 10, at).changes > 0) continue;
    // Created since the job looked: by this id, or another frame at this video and time.
    const same = byId.get(frameId) as { video_id: string; timestamp_s: number } | undefined;
    if (same && same.video_id === videoId && Math.round(same.timestamp_s * 10) === tenths) continue;
    const message = same
      ? `Frame "${frameId}" was created meanwhile for video "${same.video_id}" at ${same.timestamp_s} s, not "${videoId}" at ${tenths / 10} s.`
      : `Video "${videoId}" at ${tenths / 10} s became frame "${(bySlot.get(videoId, tenths / 10) as { frame_id: string }).frame_id}" meanwhile.`;
    conflicts.push({ row, column: 'frame_id', message });
  }
  // Rare (another import or sampling won the race): the caller's transaction takes it all back.
  if (conflicts.length > 0) {
    const shown = conflicts
      .slice(0, 5)
      .map((c) => `row ${c.row}: ${c.message}`)
      .join(' ');
    const more = conflicts.length > 5 ? ` (and ${conflicts.length - 5} more rows)` : '';
    throw new FramelabError(
      'CONFLICT',
      `Frames changed while the annotations file was read: ${shown}${more} Nothing was imported; import the file again.`,
    );
  }
  for (const [frameId, coderId, overlap] of plan.assignments) assign.run(frameId, coderId, overlap, at);
}

function writePlan(db: Db, home: HomePaths, plan: AnnotationsImportPlan): Partial<AnnotationsImportReport> {
  const categories = checkCodebook(db, plan);
  const at = new Date().toISOString();
  writeFrames(db, plan, at);

  // Codes changed since the job looked are looked at again; the job's view holds for the rest.
  const key = (frameId: string, coderId: string, dimension: string) => `${frameId}\u0000${coderId}\u0000${dimension}`;
  const changedSince = new Set(
    (
      db.prepare('SELECT DISTINCT frame_id, coder_id, dimension FROM code_history WHERE id > ?').all(plan.historyMark) as {
        frame_id: string;
        coder_id: string;
        dimension: string;
      }[]
    ).map((r) => key(r.frame_id, r.coder_id, r.dimension)),
  );
  const current = db.prepare(
    `SELECT k.category_id AS categoryId, c.value, k.coded_at AS codedAt FROM codes k JOIN categories c ON c.id = k.category_id
     WHERE k.frame_id = ? AND k.coder_id = ? AND k.dimension = ?`,
  );
  type Home = { categoryId: number; value: string; codedAt: string } | undefined;

  const batchId = newBatchId();
  const changedCodes: ChangedCodes = { replaced: 0, kept: 0, list: [] };
  for (const [row, frameId, coderId, d, categoryId, value, rowAt, homeId, homeValue, homeAt] of plan.codes) {
    const dimension = plan.dimensions[d]!;
    const category = categories.get(categoryId);
    if (!category || category.dimension !== dimension || category.value !== value)
      throw changedUnder(`"${value}" is no longer a ${dimension} category`);
    const now: Home =
      changedSince.size > 0 && changedSince.has(key(frameId, coderId, dimension))
        ? (current.get(frameId, coderId, dimension) as Home)
        : homeId === null
          ? undefined
          : { categoryId: homeId, value: homeValue!, codedAt: homeAt! };
    if (now?.categoryId === categoryId) continue;
    if (now) {
      const keep = time(now.codedAt) > time(rowAt) && !plan.replaceNewer;
      if (keep) changedCodes.kept++;
      else changedCodes.replaced++;
      if (changedCodes.list.length < CHANGED_CODES_LISTED) {
        changedCodes.list.push({
          row,
          frameId,
          coderId,
          dimension,
          from: now.value,
          to: value,
          currentCodedAt: now.codedAt,
          fileCodedAt: rowAt,
          outcome: keep ? 'kept' : 'replaced',
        });
      }
      if (keep) continue;
    }
    writeCodes(db, [{ frameId, coderId, dimension, categoryId, before: now?.categoryId ?? null }], {
      source: 'import',
      batchId,
      at: rowAt,
    });
  }

  // A blank is never a code: it queues a re-code only where the code is still absent.
  const enqueue = db.prepare(
    `INSERT INTO recode_queue (frame_id, coder_id, dimension, reason, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (frame_id, coder_id, dimension) DO UPDATE
       SET reason = excluded.reason, created_at = excluded.created_at, resolved_at = NULL
       WHERE recode_queue.resolved_at IS NOT NULL`,
  );
  let recodeQueue = 0;
  for (const [row, frameId, coderId, d] of plan.blanks) {
    const dimension = plan.dimensions[d]!;
    if (changedSince.size > 0 && changedSince.has(key(frameId, coderId, dimension)) && current.get(frameId, coderId, dimension)) continue;
    enqueue.run(frameId, coderId, dimension, `blank cell in ${plan.fileName} row ${row}`, at);
    recodeQueue++;
  }

  linkStagedImages(db, home, plan);
  return { recodeQueue, changedCodes };
}

/**
 * Registers the images the job copied and moves them into place, last (so a failed write
 * above moves nothing). A frame that got an image meanwhile keeps it; the copy is dropped.
 */
function linkStagedImages(db: Db, home: HomePaths, plan: AnnotationsImportPlan): void {
  const frame = db.prepare('SELECT image_path FROM frames WHERE frame_id = ?');
  const link = db.prepare('UPDATE frames SET image_path = ? WHERE frame_id = ?');
  const moves: { from: string; to: string }[] = [];
  const dropped: AnnotationsImportPlan['images'] = [];
  for (const image of plan.images) {
    const row = frame.get(image.frameId) as { image_path: string | null } | undefined;
    if (!row || row.image_path !== null) {
      dropped.push(image);
      continue;
    }
    registerStoredFile(db, { path: image.path, role: 'frame', sha256: image.sha256, size: image.size });
    link.run(image.path, image.frameId);
    moves.push({ from: image.tmp, to: image.path });
  }
  // Noted first: if the owner dies before the transaction commits, the next start-up removes them.
  notePendingFiles(
    home,
    moves.map((m) => m.to),
  );
  for (const move of moves) fs.renameSync(absoluteStoredPath(home, move.from), absoluteStoredPath(home, move.to));
  removeStaged(home, dropped);
}
