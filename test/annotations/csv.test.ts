import { describe, expect, it } from 'vitest';
import { csvField, parseCsv, writeCsv } from '../../src/main/core/annotations/csv';
import { formatSeconds, splitFrameId } from '../../src/main/core/media/videoIds';
import { parseIsoDate } from '../../src/main/core/annotations/parseAnnotations';

describe('CSV (RFC 4180)', () => {
  it('reads quoted fields with "" escapes, commas and line breaks inside, under any line end and a BOM', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\n1,,3\r4,5,6';
    expect(parseCsv(text)).toEqual({
      records: [
        ['a', 'b', 'c'],
        ['x, y', 'say "hi"', 'two\r\nlines'],
        ['1', '', '3'],
        ['4', '5', '6'],
      ],
      problems: [],
    });
  });

  it('ends without a phantom record after the last line break, keeps empty lines and empty quoted fields', () => {
    expect(parseCsv('a,b\r\n').records).toEqual([['a', 'b']]);
    expect(parseCsv('a\n\nb\n').records).toEqual([['a'], [''], ['b']]);
    expect(parseCsv('"",""\n').records).toEqual([['', '']]);
    expect(parseCsv('a,\n').records).toEqual([['a', '']]);
    expect(parseCsv('').records).toEqual([]);
  });

  it('reports an unclosed quote and text after a closing quote by record and field, without throwing', () => {
    expect(parseCsv('a,b\n1,"open\n2,3\n').problems).toEqual([{ record: 1, field: 1, message: expect.stringContaining('never closed') }]);
    const stray = parseCsv('a,b\n"x"y,2\n');
    expect(stray.problems).toEqual([{ record: 1, field: 0, message: expect.stringContaining('after a closing quote') }]);
    expect(stray.records[1]).toEqual(['xy', '2']);
  });

  it('writes CRLF and quotes only when a field needs it; what it writes reads back the same', () => {
    expect(csvField('plain value')).toBe('plain value');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const records = [
      ['frame_id', 'note'],
      ['v_t001.0', 'a, b "c"\r\nd'],
      ['v_t002.0', ''],
      ['', ' spaced '],
    ];
    const text = writeCsv(records);
    expect(text).toBe('frame_id,note\r\nv_t001.0,"a, b ""c""\r\nd"\r\nv_t002.0,\r\n, spaced \r\n');
    expect(parseCsv(text)).toEqual({ records, problems: [] });
  });
});

describe('ids, times and dates as the lab writes them', () => {
  it('splits only canonical frame ids and formats times like the lab file', () => {
    expect(splitFrameId('vid_0007_t001.0')).toEqual({ videoId: 'vid_0007', tenths: 10 });
    expect(splitFrameId('a_t_b_t1234.5')).toEqual({ videoId: 'a_t_b', tenths: 12345 });
    expect(splitFrameId('vid_0007_t01.0')).toBeNull();
    expect(splitFrameId('vid_0007_t0001.0')).toBeNull();
    expect(splitFrameId('vid_0007')).toBeNull();
    expect([1, 10, 12.5, 0].map(formatSeconds)).toEqual(['1.0', '10.0', '12.5', '0.0']);
  });

  it('accepts ISO 8601 dates and date-times only, normalised to UTC', () => {
    expect(parseIsoDate('2025-02-19T22:55:20Z')).toBe('2025-02-19T22:55:20.000Z');
    expect(parseIsoDate('2025-02-19T23:55:20+01:00')).toBe('2025-02-19T22:55:20.000Z');
    expect(parseIsoDate('2025-02-19')).toBe('2025-02-19T00:00:00.000Z');
    for (const bad of ['2025-02-30', '2025-13-01', '19/02/2025', 'yesterday', '2025-02-19T25:00:00Z', '']) {
      expect(parseIsoDate(bad), bad).toBeNull();
    }
  });
});
