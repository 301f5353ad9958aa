import fs from 'node:fs';
import type { IntegrityReport } from '../../../shared/jobs';
import { schemaVersion, type Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import type { JobContext } from '../jobs/context';
import { absoluteStoredPath, listStoredFiles, sha256OfFile } from './files';
import { findUnregisteredFiles } from './leftovers';

/**
 * The workspace integrity check: SQLite's own integrity and foreign-key checks, then the
 * sha256 of every stored file against the hash recorded when it was written, then the files
 * under the files folder that nothing registers.
 * Resumable: the checkpoint holds the files already verified and what was found so far.
 */
export interface IntegrityCheckpoint {
  /**
   * Paths already verified. A set, not a position: files stored while the job was interrupted
   * may sort anywhere, and each must still be verified exactly once.
   */
  verified: string[];
  files: IntegrityReport['files'];
}

export async function runIntegrityCheck(
  ctx: JobContext<IntegrityCheckpoint>,
  db: Db,
  home: HomePaths,
  params: { hashFiles: boolean },
): Promise<IntegrityReport> {
  ctx.progress(0, 'Checking the database');
  const messages = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  const databaseOk = messages.length === 1 && messages[0] === 'ok';
  const violations = (db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[]).map((v) => ({
    table: v.table,
    rowid: v.rowid ?? null,
    parent: v.parent,
  }));
  if (!databaseOk) ctx.log('error', `SQLite integrity check: ${messages.join('; ')}`);

  const stored = params.hashFiles ? listStoredFiles(db) : [];
  const resumed = ctx.checkpoint;
  const files: IntegrityReport['files'] = resumed?.files ?? {
    total: stored.length,
    checked: 0,
    ok: 0,
    bytes: 0,
    missing: [],
    mismatched: [],
  };
  files.total = stored.length;
  const verified = new Set(resumed?.verified ?? []);
  const pending = stored.filter((f) => !verified.has(f.path));
  if (resumed) ctx.log('info', `Resuming after ${stored.length - pending.length} of ${stored.length} files`);
  const totalBytes = stored.reduce((sum, f) => sum + f.size, 0) || 1;
  let bytesDone = totalBytes - pending.reduce((sum, f) => sum + f.size, 0);
  const reportBytes = (bytes: number) =>
    ctx.progress(0.05 + 0.95 * (bytes / totalBytes), `Hashing files (${files.checked}/${stored.length})`);

  for (const file of pending) {
    ctx.throwIfCancelled();
    const absolute = absoluteStoredPath(home, file.path);
    if (!fs.existsSync(absolute)) {
      files.missing.push(file.path);
      ctx.log('warn', `Missing: ${file.path}`);
    } else {
      const before = bytesDone;
      const actual = await sha256OfFile(absolute, (read) => {
        ctx.throwIfCancelled();
        reportBytes(before + Math.min(read, file.size));
      });
      if (actual === file.sha256) files.ok++;
      else {
        files.mismatched.push({ path: file.path, expected: file.sha256, actual });
        ctx.log('warn', `Changed since it was stored: ${file.path}`);
      }
      files.bytes += file.size;
    }
    files.checked++;
    bytesDone += file.size;
    reportBytes(bytesDone);
    verified.add(file.path);
    ctx.saveCheckpoint({ verified: [...verified], files });
  }

  // Unregistered files harm nothing the database knows, so they do not make the report fail:
  // they are listed for a person to look at (a copy left by a crash, a file put there by hand).
  let unregistered: IntegrityReport['unregistered'] = null;
  if (params.hashFiles) {
    ctx.progress(1, 'Looking for unregistered files');
    unregistered = findUnregisteredFiles(db, home, () => ctx.throwIfCancelled());
    if (unregistered.count > 0) {
      ctx.log(
        'warn',
        `${unregistered.count} file(s) under ${home.filesDir} are not registered in the database (listed in the report; nothing was deleted)`,
      );
    }
  }
  const report: IntegrityReport = {
    ok: databaseOk && violations.length === 0 && files.missing.length === 0 && files.mismatched.length === 0,
    schemaVersion: schemaVersion(db),
    database: { ok: databaseOk, messages },
    foreignKeys: { ok: violations.length === 0, violations },
    files,
    unregistered,
  };
  ctx.log(report.ok ? 'info' : 'warn', report.ok ? 'Workspace is intact' : 'Workspace has problems: see the report');
  ctx.progress(1, 'Done');
  return report;
}
