import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Codebook, CodebookChange } from '../../../shared/coding';
import { Level } from '../../../shared/coding';
import { FramelabError } from '../../../shared/errors';
import { appRoot } from '../appRoot';
import type { Db } from '../db/open';
import { historyEntry, newBatchId } from './history';

/**
 * The codebook: dimensions with their categories in order. Every change is applied in one
 * transaction and recorded as a new version holding the whole codebook as it became.
 */
const DefaultCodebook = z.object({
  dimensions: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      level: Level,
      description: z.string(),
      categories: z.array(z.object({ value: z.string(), shortcut: z.string(), description: z.string() })),
    }),
  ),
});

interface CategoryRow {
  id: number;
  dimension: string;
  value: string;
  shortcut: string;
  description: string;
  position: number;
  retired_at: string | null;
}

const now = () => new Date().toISOString();

/** A new home starts with the lab's codebook (resources/codebook.default.json) as version 1. */
export function ensureDefaultCodebook(db: Db): void {
  const count = (db.prepare('SELECT count(*) AS n FROM dimensions').get() as { n: number }).n;
  if (count > 0) return;
  const file = path.join(appRoot(), 'resources', 'codebook.default.json');
  const defaults = DefaultCodebook.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  db.transaction(() => {
    defaults.dimensions.forEach((d, position) => {
      db.prepare('INSERT INTO dimensions (name, label, level, position, description) VALUES (?, ?, ?, ?, ?)').run(
        d.name,
        d.label,
        d.level,
        position,
        d.description,
      );
      d.categories.forEach((c, i) => {
        db.prepare('INSERT INTO categories (dimension, value, position, shortcut, description) VALUES (?, ?, ?, ?, ?)').run(
          d.name,
          c.value,
          i,
          c.shortcut,
          c.description,
        );
      });
    });
    recordVersion(db, 'default codebook', null);
  })();
}

export function codebookVersion(db: Db): number {
  return (db.prepare('SELECT coalesce(max(version), 0) AS v FROM codebook_versions').get() as { v: number }).v;
}

export function readCodebook(db: Db): Codebook {
  const dimensions = db.prepare('SELECT name, label, level, description, position FROM dimensions ORDER BY position, name').all() as {
    name: string;
    label: string;
    level: 'nominal' | 'ordinal';
    description: string;
    position: number;
  }[];
  const categories = db
    .prepare(
      `SELECT c.id, c.dimension, c.value, c.shortcut, c.description, c.position,
              (SELECT count(*) FROM codes k WHERE k.category_id = c.id) AS codeCount
       FROM categories c WHERE c.retired_at IS NULL ORDER BY c.position, c.id`,
    )
    .all() as (CategoryRow & { codeCount: number })[];
  const examples = db.prepare('SELECT category_id, frame_id FROM category_examples ORDER BY frame_id').all() as {
    category_id: number;
    frame_id: string;
  }[];
  return {
    version: codebookVersion(db),
    dimensions: dimensions.map((d) => ({
      ...d,
      categories: categories
        .filter((c) => c.dimension === d.name)
        .map((c) => ({
          id: c.id,
          value: c.value,
          shortcut: c.shortcut,
          description: c.description,
          position: c.position,
          codeCount: c.codeCount,
          examples: examples.filter((e) => e.category_id === c.id).map((e) => e.frame_id),
        })),
    })),
  };
}

function recordVersion(db: Db, change: string, author: string | null): void {
  db.prepare('INSERT INTO codebook_versions (version, created_at, change, snapshot, author) VALUES (?, ?, ?, ?, ?)').run(
    codebookVersion(db) + 1,
    now(),
    change,
    JSON.stringify(readCodebook(db).dimensions),
    author,
  );
}

/** The codebook's versions, newest first: what changed, when, and by whom. */
export function codebookHistory(db: Db): { version: number; createdAt: string; change: string; author: string | null }[] {
  return (
    db.prepare('SELECT version, created_at, change, author FROM codebook_versions ORDER BY version DESC').all() as {
      version: number;
      created_at: string;
      change: string;
      author: string | null;
    }[]
  ).map((r) => ({ version: r.version, createdAt: r.created_at, change: r.change, author: r.author }));
}

function category(db: Db, id: number): CategoryRow {
  const row = db.prepare('SELECT * FROM categories WHERE id = ? AND retired_at IS NULL').get(id) as CategoryRow | undefined;
  if (!row) throw new FramelabError('NOT_FOUND', `There is no category with id ${id} in the codebook.`);
  return row;
}

function requireDimension(db: Db, name: string): void {
  if (!db.prepare('SELECT 1 FROM dimensions WHERE name = ?').get(name)) {
    throw new FramelabError('NOT_FOUND', `There is no dimension "${name}" in the codebook.`);
  }
}

function assertShortcutFree(db: Db, shortcut: string, exceptId?: number): void {
  const taken = db
    .prepare('SELECT id, dimension, value FROM categories WHERE shortcut = ? AND retired_at IS NULL AND id IS NOT ?')
    .get(shortcut, exceptId ?? null) as { dimension: string; value: string } | undefined;
  if (taken) {
    throw new FramelabError('CONFLICT', `The key "${shortcut}" already codes ${taken.dimension} = "${taken.value}"; pick another key.`);
  }
}

function assertValueFree(db: Db, dimension: string, value: string, exceptId?: number): void {
  const taken = db
    .prepare('SELECT 1 FROM categories WHERE dimension = ? AND value = ? AND retired_at IS NULL AND id IS NOT ?')
    .get(dimension, value, exceptId ?? null);
  if (taken) throw new FramelabError('CONFLICT', `${dimension} already has a category "${value}".`);
}

function renumber(db: Db, dimension: string, orderedIds: number[]): void {
  const update = db.prepare('UPDATE categories SET position = ? WHERE id = ?');
  orderedIds.forEach((id, position) => update.run(position, id));
}

function activeIds(db: Db, dimension: string): number[] {
  return (
    db.prepare('SELECT id FROM categories WHERE dimension = ? AND retired_at IS NULL ORDER BY position, id').all(dimension) as {
      id: number;
    }[]
  ).map((r) => r.id);
}

/** Applies one change and records the new version. Nothing changes when it fails. */
export function changeCodebook(db: Db, change: CodebookChange, author: string | null = null): Codebook {
  if (author !== null && !db.prepare('SELECT 1 FROM coders WHERE coder_id = ?').get(author)) {
    throw new FramelabError(
      'NOT_FOUND',
      `There is no coder or lead "${author}" to record as the author of this codebook change; add them in Coders first.`,
    );
  }
  db.transaction(() => {
    const summary = applyChange(db, change);
    recordVersion(db, summary, author);
  }).immediate();
  return readCodebook(db);
}

function applyChange(db: Db, change: CodebookChange): string {
  switch (change.op) {
    case 'addDimension': {
      if (db.prepare('SELECT 1 FROM dimensions WHERE name = ?').get(change.name)) {
        throw new FramelabError('CONFLICT', `There already is a dimension "${change.name}".`);
      }
      const position = (db.prepare('SELECT coalesce(max(position), -1) + 1 AS p FROM dimensions').get() as { p: number }).p;
      db.prepare('INSERT INTO dimensions (name, label, level, position, description) VALUES (?, ?, ?, ?, ?)').run(
        change.name,
        change.label,
        change.level,
        position,
        change.description,
      );
      return `added dimension ${change.name}`;
    }
    case 'updateDimension': {
      requireDimension(db, change.dimension);
      db.prepare(
        `UPDATE dimensions SET label = coalesce(?, label), level = coalesce(?, level), description = coalesce(?, description)
         WHERE name = ?`,
      ).run(change.label ?? null, change.level ?? null, change.description ?? null, change.dimension);
      return `updated dimension ${change.dimension}`;
    }
    case 'addCategory': {
      requireDimension(db, change.dimension);
      assertValueFree(db, change.dimension, change.value);
      assertShortcutFree(db, change.shortcut);
      const position = activeIds(db, change.dimension).length;
      db.prepare('INSERT INTO categories (dimension, value, position, shortcut, description) VALUES (?, ?, ?, ?, ?)').run(
        change.dimension,
        change.value,
        position,
        change.shortcut,
        change.description,
      );
      return `added ${change.dimension} = "${change.value}"`;
    }
    case 'updateCategory': {
      const current = category(db, change.categoryId);
      if (change.value !== undefined) assertValueFree(db, current.dimension, change.value, current.id);
      if (change.shortcut !== undefined) assertShortcutFree(db, change.shortcut, current.id);
      db.prepare(
        'UPDATE categories SET value = coalesce(?, value), shortcut = coalesce(?, shortcut), description = coalesce(?, description) WHERE id = ?',
      ).run(change.value ?? null, change.shortcut ?? null, change.description ?? null, current.id);
      return change.value !== undefined && change.value !== current.value
        ? `renamed ${current.dimension} "${current.value}" to "${change.value}"`
        : `updated ${current.dimension} = "${current.value}"`;
    }
    case 'moveCategory': {
      const current = category(db, change.categoryId);
      const ids = activeIds(db, current.dimension).filter((id) => id !== current.id);
      ids.splice(Math.min(change.position, ids.length), 0, current.id);
      renumber(db, current.dimension, ids);
      return `moved ${current.dimension} = "${current.value}" to position ${change.position + 1}`;
    }
    case 'removeCategory':
      return removeCategory(db, change.categoryId, change.remapTo);
    case 'setExamples': {
      const current = category(db, change.categoryId);
      for (const frameId of change.frameIds) {
        if (!db.prepare('SELECT 1 FROM frames WHERE frame_id = ?').get(frameId)) {
          throw new FramelabError('NOT_FOUND', `There is no frame "${frameId}" to use as an example.`);
        }
      }
      db.prepare('DELETE FROM category_examples WHERE category_id = ?').run(current.id);
      const insert = db.prepare('INSERT INTO category_examples (category_id, frame_id) VALUES (?, ?)');
      for (const frameId of new Set(change.frameIds)) insert.run(current.id, frameId);
      return `set ${change.frameIds.length} examples for ${current.dimension} = "${current.value}"`;
    }
  }
}

/**
 * A category without codes simply goes. One with codes needs an explicit remap to another
 * category of the same dimension: its codes move there (each move in the history), then it
 * is retired, so the history that points at it stays readable.
 */
function removeCategory(db: Db, categoryId: number, remapTo: number | undefined): string {
  const current = category(db, categoryId);
  const codes = db.prepare('SELECT frame_id, coder_id FROM codes WHERE category_id = ?').all(current.id) as {
    frame_id: string;
    coder_id: string;
  }[];
  let moved = '';
  if (codes.length > 0) {
    if (remapTo === undefined) {
      throw new FramelabError(
        'CONFLICT',
        `${current.dimension} = "${current.value}" has ${codes.length} codes: choose the category they move to (remapTo) before removing it.`,
        { codeCount: codes.length },
      );
    }
    const target = category(db, remapTo);
    if (target.dimension !== current.dimension || target.id === current.id) {
      throw new FramelabError('INVALID_INPUT', `Codes of ${current.dimension} can only move to another category of ${current.dimension}.`);
    }
    const batchId = newBatchId();
    const at = now();
    const update = db.prepare('UPDATE codes SET category_id = ? WHERE frame_id = ? AND coder_id = ? AND dimension = ?');
    for (const code of codes) {
      update.run(target.id, code.frame_id, code.coder_id, current.dimension);
      historyEntry(db, {
        batchId,
        frameId: code.frame_id,
        coderId: code.coder_id,
        dimension: current.dimension,
        beforeId: current.id,
        afterId: target.id,
        at,
        source: 'remap',
      });
    }
    moved = `, its ${codes.length} codes moved to "${target.value}"`;
  }
  db.prepare('DELETE FROM category_examples WHERE category_id = ?').run(current.id);
  db.prepare('UPDATE categories SET retired_at = ? WHERE id = ?').run(now(), current.id);
  renumber(db, current.dimension, activeIds(db, current.dimension));
  return `removed ${current.dimension} = "${current.value}"${moved}`;
}
