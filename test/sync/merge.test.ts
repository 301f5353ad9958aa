import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/main/core/annotations/csv';
import { codeKey, mergeAnnotations, rowKey, type LocalRow, type MergeInput } from '../../src/main/core/sync/merge';

const DIMS = ['pov', 'distance'];
const HEADER = 'frame_id,video_id,timestamp_s,coder,pov,distance,coded_at\r\n';

function local(rows: [frame: string, coder: string, codes: Record<string, [string, string]>][]): Map<string, LocalRow> {
  const map = new Map<string, LocalRow>();
  for (const [frame, coder, codes] of rows) {
    const [, video, t] = /^(.+)_t(\d+\.\d)$/.exec(frame)!;
    map.set(rowKey(frame, coder), {
      videoId: video!,
      seconds: Number(t),
      codes: new Map(Object.entries(codes).map(([d, [value, at]]) => [d, { value, at }])),
    });
  }
  return map;
}

function merge(input: Partial<MergeInput>) {
  return mergeAnnotations({
    dimensions: DIMS,
    remoteText: null,
    remoteUpdated: null,
    baseText: null,
    local: new Map(),
    edited: new Set(),
    ...input,
  });
}

const T1 = '2025-01-01T10:00:00.000Z';
const T2 = '2025-01-01T11:00:00.000Z';

describe('mergeAnnotations (pure)', () => {
  it('writes the lab shape, sorted by frame then coder, and a second merge of its own output changes nothing', () => {
    const codes = local([
      ['v_t002.0', 'coder_b', { pov: ['1st person', T1], distance: ['Social', T2] }],
      ['v_t001.0', 'coder_a', { pov: ['3rd person', T1] }],
    ]);
    const first = merge({ local: codes, edited: new Set([codeKey('v_t002.0', 'coder_b', 'pov')]) });
    expect(first.text).toBe(
      HEADER +
        'v_t001.0,v,1.0,coder_a,3rd person,,2025-01-01T10:00:00Z\r\n' +
        'v_t002.0,v,2.0,coder_b,1st person,Social,2025-01-01T11:00:00Z\r\n',
    );
    expect(first.changed).toBe(true);
    const again = merge({ local: codes, remoteText: first.text, baseText: first.text });
    expect(again.changed).toBe(false);
    expect(again.apply).toEqual([]);
  });

  it('a blank cell or a missing row never deletes a local code: the union is written back', () => {
    const base =
      HEADER +
      'v_t001.0,v,1.0,coder_a,1st person,Social,2025-01-01T10:00:00Z\r\nv_t002.0,v,2.0,coder_a,2nd person,Public,2025-01-01T10:00:00Z\r\n';
    const remote = HEADER + 'v_t001.0,v,1.0,coder_a,1st person,,2025-01-01T10:00:00Z\r\n';
    const codes = local([
      ['v_t001.0', 'coder_a', { pov: ['1st person', T1], distance: ['Social', T1] }],
      ['v_t002.0', 'coder_a', { pov: ['2nd person', T1], distance: ['Public', T1] }],
    ]);
    const m = merge({ local: codes, remoteText: remote, baseText: base });
    expect(m.apply).toEqual([]);
    expect(m.text).toBe(base);
  });

  it('an edit on both sides is a conflict: the newer wins, a tie goes to the bucket', () => {
    const base = HEADER + 'v_t001.0,v,1.0,coder_a,1st person,Social,2025-01-01T09:00:00Z\r\n';
    const remote = HEADER + 'v_t001.0,v,1.0,coder_a,2nd person,Social,2025-01-01T10:00:00Z\r\n';
    const edited = new Set([codeKey('v_t001.0', 'coder_a', 'pov')]);
    const newer = merge({
      remoteText: remote,
      baseText: base,
      edited,
      local: local([['v_t001.0', 'coder_a', { pov: ['3rd person', T2], distance: ['Social', T1] }]]),
    });
    expect(newer.conflicts).toMatchObject([{ local: '3rd person', remote: '2nd person', applied: '3rd person', keptLocal: true }]);
    expect(newer.apply).toEqual([]);
    const tie = merge({
      remoteText: remote,
      baseText: base,
      edited,
      local: local([['v_t001.0', 'coder_a', { pov: ['3rd person', T1], distance: ['Social', T1] }]]),
    });
    expect(tie.conflicts).toMatchObject([{ applied: '2nd person', keptLocal: false }]);
    expect(tie.apply).toMatchObject([
      { frameId: 'v_t001.0', coderId: 'coder_a', dimension: 'pov', value: '2nd person', before: '3rd person' },
    ]);
  });

  it('the same edit on both sides is no conflict; an undo that removed a code locally stays local', () => {
    const base = HEADER + 'v_t001.0,v,1.0,coder_a,1st person,Social,2025-01-01T09:00:00Z\r\n';
    const remote = HEADER + 'v_t001.0,v,1.0,coder_a,2nd person,Social,2025-01-01T10:00:00Z\r\n';
    const same = merge({
      remoteText: remote,
      baseText: base,
      edited: new Set([codeKey('v_t001.0', 'coder_a', 'pov')]),
      local: local([['v_t001.0', 'coder_a', { pov: ['2nd person', T2], distance: ['Social', T1] }]]),
    });
    expect(same.conflicts).toEqual([]);
    expect(same.changed).toBe(false);
    const undone = merge({
      remoteText: base,
      baseText: base,
      edited: new Set([codeKey('v_t001.0', 'coder_a', 'pov')]),
      local: local([['v_t001.0', 'coder_a', { distance: ['Social', T1] }]]),
    });
    expect(undone.apply).toEqual([]);
    expect(undone.changed).toBe(false);
  });

  it("keeps other scripts' columns row by row, rows without frame or coder, and merges a duplicated row", () => {
    const remote =
      'coder,frame_id,split,pov,distance,notes\n' +
      'coder_a,v_t002.0,test,1st person,Social,"a, quoted note"\n' +
      'coder_a,v_t001.0,train,2nd person,,\n' +
      'coder_a,v_t001.0,,,Public,\n' +
      ',,,,,orphan note\n';
    const m = merge({ remoteText: remote, remoteUpdated: T1 });
    const records = parseCsv(m.text).records;
    expect(records[0]).toEqual(['frame_id', 'video_id', 'timestamp_s', 'coder', 'pov', 'distance', 'coded_at', 'split', 'notes']);
    expect(records.slice(1)).toEqual([
      ['v_t001.0', 'v', '1.0', 'coder_a', '2nd person', 'Public', '2025-01-01T10:00:00Z', 'train', ''],
      ['v_t002.0', 'v', '2.0', 'coder_a', '1st person', 'Social', '2025-01-01T10:00:00Z', 'test', 'a, quoted note'],
      ['', '', '', '', '', '', '', '', 'orphan note'],
    ]);
    expect(m.apply.map((a) => `${a.frameId} ${a.dimension} ${a.value}`).sort()).toEqual([
      'v_t001.0 distance Public',
      'v_t001.0 pov 2nd person',
      'v_t002.0 distance Social',
      'v_t002.0 pov 1st person',
    ]);
    expect(m.problems.join('\n')).toMatch(/second row for v_t001.0 × coder_a/);
  });
});
