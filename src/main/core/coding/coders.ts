import type { Coder } from '../../../shared/coding';
import type { Db } from '../db/open';

/** Coder profiles: every code is attributed to one. */
interface CoderRow {
  coder_id: string;
  name: string;
  role: 'coder' | 'lead';
  created_at: string;
}

const toCoder = (r: CoderRow): Coder => ({ coderId: r.coder_id, name: r.name, role: r.role, createdAt: r.created_at });

export function listCoders(db: Db): Coder[] {
  return (db.prepare('SELECT * FROM coders ORDER BY coder_id').all() as CoderRow[]).map(toCoder);
}

/** Creates the coder, or updates their name and role. */
export function upsertCoder(db: Db, input: { coderId: string; name?: string; role?: 'coder' | 'lead' }): Coder {
  db.prepare(
    `INSERT INTO coders (coder_id, name, role, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (coder_id) DO UPDATE SET name = coalesce(?, name), role = coalesce(?, role)`,
  ).run(
    input.coderId,
    input.name ?? input.coderId,
    input.role ?? 'coder',
    new Date().toISOString(),
    input.name ?? null,
    input.role ?? null,
  );
  return toCoder(db.prepare('SELECT * FROM coders WHERE coder_id = ?').get(input.coderId) as CoderRow);
}
