import type { AnnotationsImportInput, AnnotationsImportReport } from '../../../shared/annotations';
import type { Db } from '../db/open';
import type { HomePaths } from '../home/paths';
import type { JobContext } from '../jobs/context';
import { applyAnnotationsImport } from './importWrites';
import { planAnnotationsImport, type PlanHooks } from './planImport';

export { codebookShape } from './planImport';

/**
 * Imports the lab's annotations.csv: all of it in one transaction, or, with any bad row,
 * nothing at all (the report lists every bad row). Importing the same file again changes
 * nothing. A blank cell is never a code: it never blanks a code that exists, and where the
 * code is absent it becomes a re-code entry for the row's coder, who finds the frame in their
 * coding queue (every imported frame is assigned to each coder who has a row for it). An
 * older file never replaces a newer code unless asked (`replaceNewer`); the report lists
 * every changed code either way.
 *
 * In the app this is the `annotations.import` job: the job process reads and checks the file
 * (planImport.ts) and the owner writes the plan (importWrites.ts), so a large file never
 * blocks the owner while it is read. `importAnnotations` runs both halves in this process, for
 * tests and tools that own a database directly.
 */
export type ImportOptions = AnnotationsImportInput;

export function importAnnotations(db: Db, home: HomePaths, options: ImportOptions, hooks?: PlanHooks): AnnotationsImportReport {
  const result = planAnnotationsImport(db, home, options, hooks);
  return db.transaction(() => applyAnnotationsImport(db, home, result)).immediate();
}

/** The job kind's implementation (in a job process): read and check; the owner applies the result. */
export async function runAnnotationsImport(ctx: JobContext, db: Db, home: HomePaths, params: AnnotationsImportInput) {
  return planAnnotationsImport(db, home, params, {
    progress: (f, stage) => ctx.progress(f, stage),
    throwIfCancelled: () => ctx.throwIfCancelled(),
  });
}
