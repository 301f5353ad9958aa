import { writeCsv } from './csv';

/**
 * CSVs meant to be opened in a spreadsheet (ICR figures, gold exports, inference errors,
 * suite scores). A cell that starts with `=`, `+`, `-`, `@`, tab or CR is run as a formula by
 * Excel, LibreOffice and Sheets: a note or a file name such as `=HYPERLINK("http://x")` would
 * become a live link or worse on the lead's machine. Such text cells get a leading `'` (the
 * OWASP rule); numbers (`-0.5`) are left alone, and so are the columns a writer names raw
 * (ids that must equal the ids of other files). The bucket's annotations.csv and
 * `annotations.export` keep the lab's format and never come through here.
 */

/** A plain decimal number, as the writers format them (e.g. -0.5, +1, 1e-7): never a formula. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A formula start, after any `'` already there (so a cell starting `'=` gets one more: reading back is exact). */
const FORMULA = /^'*[=+\-@\t\r]/;

export function neutraliseFormula(cell: string): string {
  return FORMULA.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
}

/** The text a neutralised cell stood for (the app reading its own CSVs back). */
export function restoreFormulaText(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/**
 * `header` then `rows` as CSV (RFC 4180, CRLF), every cell neutralised except those of the
 * `raw` columns. The header is the writer's own column names and is written as it is.
 */
export function writeCsvForPeople(header: readonly string[], rows: readonly (readonly string[])[], raw: readonly string[] = []): string {
  const keep = raw.map((name) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`writeCsvForPeople: raw column "${name}" is not in the header (${header.join(', ')})`);
    return at;
  });
  const isRaw = new Set(keep);
  return writeCsv([header, ...rows.map((row) => row.map((cell, i) => (isRaw.has(i) ? cell : neutraliseFormula(cell))))]);
}
