import { QueuePage, type CodingFrame, type CodingQueuePage, type QueueFilter } from '../../../shared/coding';
import { FramelabError } from '../../../shared/errors';
import type { Db } from '../db/open';

/**
 * A coder's work list: the frames assigned to them, in video order, each with the coder's
 * own codes, flag and re-code entries. It never carries another coder's codes (blind coding).
 *
 * It comes a page at a time: a coder with 100k frames got 9 MB in one answer, built in the
 * owner while every other call waited. The counts and the filter's total come from one pass
 * in SQLite; only the page's frames are built in JavaScript.
 */
export type CodingQueue = CodingQueuePage;

interface Row {
  frame_id: string;
  video_id: string;
  timestamp_s: number;
  image_path: string | null;
  thumb_path: string | null;
  overlap: number;
  unsure: number | null;
  note: string | null;
}

/**
 * Every assigned frame with what the filters need: how many codes it has, whether a re-code
 * is open. Frames come first (CROSS JOIN keeps that order), read along their (video, time)
 * index: a page is the next rows of that index from its start or its cursor, with no sort of
 * the whole queue.
 */
const QUEUE = `
  SELECT f.frame_id, f.video_id, f.timestamp_s, f.image_path, f.thumb_path, a.overlap, g.unsure, g.note,
    (SELECT count(*) FROM codes k WHERE k.frame_id = a.frame_id AND k.coder_id = a.coder_id) AS coded,
    EXISTS (SELECT 1 FROM recode_queue r WHERE r.frame_id = a.frame_id AND r.coder_id = a.coder_id AND r.resolved_at IS NULL) AS recode
  FROM frames f CROSS JOIN assignments a ON a.frame_id = f.frame_id AND a.coder_id = @coderId
  LEFT JOIN frame_flags g ON g.frame_id = a.frame_id AND g.coder_id = a.coder_id`;

const DONE = '(coded >= @dimensions AND NOT recode)';
const FILTERS: Record<QueueFilter, string> = {
  all: '1',
  uncoded: `NOT ${DONE}`,
  flagged: 'coalesce(unsure, 0) = 1',
  recode: 'recode',
};

/** Where a frame sorts in every queue: by video, then time (unique per frame). */
function placeOf(db: Db, frameId: string): { videoId: string; timestampS: number } {
  const row = db.prepare('SELECT video_id AS videoId, timestamp_s AS timestampS FROM frames WHERE frame_id = ?').get(frameId) as
    { videoId: string; timestampS: number } | undefined;
  if (!row) throw new FramelabError('NOT_FOUND', `There is no frame "${frameId}" to page from.`);
  return row;
}

export function codingQueue(db: Db, coderId: string, filter: QueueFilter, pageInput: QueuePage = {}): CodingQueue {
  if (!db.prepare('SELECT 1 FROM coders WHERE coder_id = ?').get(coderId)) {
    throw new FramelabError('NOT_FOUND', `There is no coder "${coderId}".`);
  }
  const page = QueuePage.parse(pageInput);
  const cursors = [page.after, page.before, page.at].filter((c) => c !== undefined);
  if (cursors.length > 1) throw new FramelabError('INVALID_INPUT', 'Page from one frame: give only one of after, before and at.');
  const dimensions = (db.prepare('SELECT count(*) AS n FROM dimensions').get() as { n: number }).n;
  const where = FILTERS[filter];

  // The frames before the page's start (for its offset), keyed by the cursor's place.
  const cursorId = page.after ?? page.before ?? page.at;
  const place = cursorId === undefined ? null : placeOf(db, cursorId);
  const key = '(video_id, timestamp_s)';
  const beforeStart = page.after ? `${key} <= (@videoId, @timestampS)` : `${key} < (@videoId, @timestampS)`;
  const params = { coderId, dimensions, videoId: place?.videoId ?? null, timestampS: place?.timestampS ?? null };

  // The counts need no frame rows: one pass over the coder's assignments.
  const counts = db
    .prepare(
      `SELECT count(*) AS assigned, coalesce(sum(${DONE}), 0) AS done, coalesce(sum(recode), 0) AS recode,
         (SELECT count(*) FROM frame_flags g JOIN assignments a ON a.frame_id = g.frame_id AND a.coder_id = g.coder_id
          WHERE g.coder_id = @coderId AND g.unsure = 1) AS flagged
       FROM (SELECT (SELECT count(*) FROM codes k WHERE k.frame_id = a.frame_id AND k.coder_id = a.coder_id) AS coded,
               EXISTS (SELECT 1 FROM recode_queue r WHERE r.frame_id = a.frame_id AND r.coder_id = a.coder_id AND r.resolved_at IS NULL) AS recode
             FROM assignments a WHERE a.coder_id = @coderId)`,
    )
    .get(params) as { assigned: number; done: number; flagged: number; recode: number };
  const totals: Record<QueueFilter, number> = {
    all: counts.assigned,
    uncoded: counts.assigned - counts.done,
    flagged: counts.flagged,
    recode: counts.recode,
  };
  const total = totals[filter];
  // How many of the filter's frames come before the cursor (the page's offset starts there).
  const skipped = place
    ? (db.prepare(`SELECT count(*) AS n FROM (${QUEUE}) WHERE (${where}) AND ${beforeStart}`).get(params) as { n: number }).n
    : 0;

  let rows: Row[];
  let offset: number;
  if (page.before) {
    rows = (
      db
        .prepare(
          `SELECT * FROM (${QUEUE}) WHERE ${where} AND ${key} < (@videoId, @timestampS) ORDER BY video_id DESC, timestamp_s DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ ...params, limit: page.limit, offset: page.offset }) as Row[]
    ).reverse();
    offset = Math.max(0, skipped - page.offset - rows.length);
  } else {
    const from = page.after ? `AND ${key} > (@videoId, @timestampS)` : page.at ? `AND ${key} >= (@videoId, @timestampS)` : '';
    rows = db
      .prepare(`SELECT * FROM (${QUEUE}) WHERE ${where} ${from} ORDER BY video_id, timestamp_s LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: page.limit, offset: page.offset }) as Row[];
    offset = skipped + page.offset;
  }

  // The page's own codes and open re-codes, for these frames only.
  const ids = JSON.stringify(rows.map((r) => r.frame_id));
  const codes = db
    .prepare(
      `SELECT k.frame_id, k.dimension, c.value FROM codes k JOIN categories c ON c.id = k.category_id
       WHERE k.coder_id = ? AND k.frame_id IN (SELECT value FROM json_each(?))`,
    )
    .all(coderId, ids) as { frame_id: string; dimension: string; value: string }[];
  const recode = db
    .prepare(
      'SELECT frame_id, dimension FROM recode_queue WHERE coder_id = ? AND resolved_at IS NULL AND frame_id IN (SELECT value FROM json_each(?))',
    )
    .all(coderId, ids) as { frame_id: string; dimension: string }[];
  const codesByFrame = new Map<string, Record<string, string>>();
  for (const c of codes) codesByFrame.set(c.frame_id, { ...codesByFrame.get(c.frame_id), [c.dimension]: c.value });
  const recodeByFrame = new Map<string, string[]>();
  for (const r of recode) recodeByFrame.set(r.frame_id, [...(recodeByFrame.get(r.frame_id) ?? []), r.dimension]);

  const frames: CodingFrame[] = rows.map((r) => ({
    frameId: r.frame_id,
    videoId: r.video_id,
    timestampS: r.timestamp_s,
    image: r.image_path,
    thumb: r.thumb_path,
    overlap: r.overlap === 1,
    codes: codesByFrame.get(r.frame_id) ?? {},
    flag: r.unsure === null ? null : { unsure: r.unsure === 1, note: r.note ?? '' },
    recode: recodeByFrame.get(r.frame_id) ?? [],
  }));
  return { frames, total, offset, counts };
}
