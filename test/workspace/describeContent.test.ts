import { describe, expect, it } from 'vitest';
import { csvColumnNames, describeHeader, describeJsonError, looksBinary } from '../../src/main/core/workspace/describeContent';
import { duckDbProblem } from '../../src/main/core/suite/data/dataset';

const jsonError = (text: string) => {
  try {
    JSON.parse(text);
  } catch (err) {
    return describeJsonError(err, text);
  }
  throw new Error('valid JSON');
};

describe('describeContent: what a file holds, in words, never quoted', () => {
  it('names the columns of a CSV header, and only of one', () => {
    expect(csvColumnNames(['frame_id', ' coder ', 'pov', ''])).toBe('frame_id, coder, pov, ');
    expect(csvColumnNames(['video id', 'views (log)', 'share%'])).toBe('video id, views (log), share%');
    // One field is any text file's first line; punctuation of other formats is not a column name.
    expect(csvColumnNames(['machine example.com login me password hunter2'])).toBeNull();
    expect(csvColumnNames(['root:x:0:0:root:/root:/bin/bash', 'x'])).toBeNull();
    expect(csvColumnNames(['API_TOKEN=abc', 'B=1'])).toBeNull();
    expect(csvColumnNames(['-----BEGIN OPENSSH PRIVATE KEY-----', 'x'])).toBeNull();
    expect(describeHeader(['# ~/.bashrc: executed by bash'])).toBe('its first line is not a CSV header (1 field)');
    expect(describeHeader(['a', 'b'], 'a,b\n\u0000\u0001')).toBe('the file looks binary, not like a CSV');
  });

  it('tells binary from text', () => {
    expect(looksBinary(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]))).toBe(true);
    expect(looksBinary('frame_id,coder\r\nv_t001.0,a\tb\n')).toBe(false);
    expect(looksBinary('')).toBe(false);
  });

  it("describes a JSON error without V8's snippet of the text", () => {
    expect(jsonError('root:x:0:0:hunter2')).toBe('it is not valid JSON');
    expect(jsonError('{"a": 1,\n "hunter2" 2}')).toBe('it is not valid JSON (line 2, column 12)');
    expect(jsonError('{"hunter2":')).toBe('it is not valid JSON (it ends too early)');
    expect(jsonError('\u0000\u0000hunter2')).toBe('it looks binary, not like JSON');
  });

  it("keeps DuckDB's kind of problem and line, drops what it quotes", () => {
    const message =
      'Conversion Error: Could not convert string \'hunter2\' to INT32 at line 3\nOriginal Line: 3,hunter2,"x"\nPossible fixes: ...';
    expect(duckDbProblem(message)).toBe('Conversion Error: Could not convert string … to INT32 at line 3');
  });
});
