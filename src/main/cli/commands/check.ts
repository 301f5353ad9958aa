import type { IntegrityReport } from '../../../shared/jobs';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { withClient } from '../session';
import { runJob } from './jobs';

const USAGE = 'framelab check [--no-files] [--detach] [--json]';

function describe(report: IntegrityReport): string {
  const f = report.files;
  return [
    report.ok ? 'Workspace is intact.' : 'Workspace has problems.',
    `database: ${report.database.ok ? 'ok' : report.database.messages.join('; ')} (schema v${report.schemaVersion})`,
    `foreign keys: ${report.foreignKeys.ok ? 'ok' : `${report.foreignKeys.violations.length} violations`}`,
    `files: ${f.ok} of ${f.total} intact, ${f.missing.length} missing, ${f.mismatched.length} changed`,
    ...f.missing.map((p) => `  missing: ${p}`),
    ...f.mismatched.map((m) => `  changed: ${m.path}`),
  ].join('\n');
}

/** Runs the workspace integrity check as a job and prints its report; exits 1 when it finds a problem. */
export const checkCommand: Command = {
  name: 'check',
  usage: USAGE,
  summary: 'Verify the database and the hash of every stored file (runs as a job)',
  async run(args, globals) {
    const { values } = parseCommandArgs(args, { 'no-files': { type: 'boolean' }, detach: { type: 'boolean' } }, USAGE);
    return withClient(globals, async (client, mode) => {
      const outcome = await runJob(
        client,
        mode,
        globals,
        async () => (await client.call('jobs.start', { kind: 'workspace.integrity', params: { hashFiles: !values['no-files'] } })).job,
        !!values.detach,
      );
      const job = (outcome.value as { job: { status: string; result: unknown } }).job;
      if (job.status !== 'succeeded' || !job.result) return outcome;
      const report = job.result as IntegrityReport;
      return { value: outcome.value, text: describe(report), exitCode: report.ok ? 0 : 1 };
    });
  },
};
