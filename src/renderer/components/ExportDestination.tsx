import { exportDelivery } from '../api/exportDelivery';

/**
 * The one destination field of every export form (issue 20, item 8). Left empty, an export
 * downloads through the browser (browser mode) or asks with the save dialog (desktop); a folder
 * typed here is a folder on the server, written as the CLI and scripts write.
 */
export function ExportDestination({
  folder,
  onChange,
  placeholder,
  name = 'Export folder',
}: {
  folder: string;
  onChange: (folder: string) => void;
  placeholder?: string;
  /** The field's accessible name, when a screen has two export forms. */
  name?: string;
}) {
  const dialog = exportDelivery()?.kind === 'dialog';
  const where = folder.trim()
    ? `Writes into ${folder.trim()} on the server.`
    : dialog
      ? 'Asks where to save it.'
      : 'Downloads through the browser.';
  return (
    <div className="export-destination">
      <label>
        {dialog ? 'Or save to a folder (optional)' : 'Or save to a folder on the server (optional)'}{' '}
        <input aria-label={name} value={folder} onChange={(e) => onChange(e.target.value)} placeholder={placeholder ?? '/path/exports'} />
      </label>
      <p className="small muted" data-testid="export-destination">
        {where}
      </p>
    </div>
  );
}
