/**
 * A small RFC 4180 CSV reader and writer, enough for the lab's annotations.csv and whatever a
 * spreadsheet makes of it: a UTF-8 BOM, CRLF, LF or CR line ends, quoted fields with ""
 * escapes, commas and line breaks inside quotes. The reader never throws on bad input: it
 * returns what it could read and a problem per record it could not, so the caller can report
 * every bad row at once.
 */

export interface CsvProblem {
  /** 0-based index of the record the problem is in. */
  record: number;
  /** 0-based index of the field the problem is in. */
  field: number;
  message: string;
}

export interface CsvParse {
  records: string[][];
  problems: CsvProblem[];
}

const BOM = '\uFEFF';

export function parseCsv(text: string): CsvParse {
  const input = text.startsWith(BOM) ? text.slice(1) : text;
  const records: string[][] = [];
  const problems: CsvProblem[] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  const n = input.length;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };

  while (i < n) {
    const ch = input[i]!;
    if (ch === '"' && field === '') {
      // A quoted field: runs to the next lone quote; "" is one quote; anything goes inside.
      i++;
      let closed = false;
      while (i < n) {
        const c = input[i]!;
        if (c === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        field += c;
        i++;
      }
      if (!closed) {
        problems.push({ record: records.length, field: record.length, message: 'a quoted field is never closed (a " is missing)' });
        endRecord();
        return { records, problems };
      }
      // After the closing quote only a separator or a line end may follow.
      let stray = '';
      while (i < n && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r') stray += input[i++];
      if (stray !== '') {
        problems.push({
          record: records.length,
          field: record.length,
          message: `text after a closing quote (${JSON.stringify(stray.slice(0, 20))}); quote the whole field and write " inside it as ""`,
        });
        field += stray;
      }
      continue;
    }
    if (ch === ',') {
      endField();
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
    } else {
      // Plain text up to the next separator or line end, taken as one slice (a large file's
      // fields are almost all plain: this is what keeps reading it fast).
      let end = i + 1;
      while (end < n) {
        const c = input.charCodeAt(end);
        if (c === 44 || c === 10 || c === 13) break; // , \n \r
        end++;
      }
      field += input.slice(i, end);
      i = end;
    }
  }
  // The last record, unless the text ended with its line break (or was empty).
  if (field !== '' || record.length > 0) endRecord();
  return { records, problems };
}

/** Quotes a field only when it must: it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Records as CSV text with CRLF line ends (RFC 4180, and what the lab's file uses). */
export function writeCsv(records: readonly (readonly string[])[]): string {
  return records.map((r) => r.map(csvField).join(',') + '\r\n').join('');
}
