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
    ...describeUnregistered(report.unregistered),
  ].join('\n');
}

/** Files nothing registers: listed for a person to look at; the check deletes nothing. */
function describeUnregistered(u: IntegrityReport['unregistered']): string[] {
  if (!u) return [];
  const temporary = u.temporary > 0 ? `; ${u.temporary} temporary (jobs at work, or leftovers the next start removes)` : '';
  if (u.count === 0) return [`unregistered files: none${temporary}`];
  return [
    `unregistered files: ${u.count} (${u.bytes} bytes) under the files folder are not in the database; nothing was deleted${temporary}`,
    ...u.paths.map((p) => `  unregistered: ${p}`),
    ...(u.count > u.paths.length ? [`  … and ${u.count - u.paths.length} more`] : []),
  ];
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
