import type { DoctorReport } from '../../../shared/api';
import { doctorReport } from '../../core/doctor/report';
import type { Command } from '../command';

function describe(report: DoctorReport): string {
  const lines = [`${report.app.name} ${report.app.version} on ${report.platform.os} ${report.platform.arch}`];
  lines.push(`home: ${report.home.path}${report.home.schemaVersion !== null ? ` (schema v${report.home.schemaVersion})` : ''}`);
  if (report.home.owner)
    lines.push(`owner: pid ${report.home.owner.pid} (${report.home.owner.mode}${report.home.owner.alive ? '' : ', gone'})`);
  for (const [name, cap] of Object.entries(report.capabilities)) {
    lines.push(`${cap.available ? '✓' : '✗'} ${name}: ${cap.detail}`);
  }
  lines.push(
    'versions: ' +
      Object.entries(report.versions)
        .map(([k, v]) => `${k} ${v ?? '—'}`)
        .join(', '),
  );
  return lines.join('\n');
}

/** Reads only: it works whoever owns the home. */
export const doctorCommand: Command = {
  name: 'doctor',
  usage: 'framelab doctor [--json]',
  summary: 'Versions and capabilities: ffmpeg, training addon (LibTorch, XGBoost), GPU, ONNX Runtime, GCS credentials',
  async run(_args, globals) {
    const report = await doctorReport(globals.home);
    return { value: report, text: describe(report) };
  },
};
