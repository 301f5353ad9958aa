import { assignFrames } from './assignments';
import { changeCodebook, codebookHistory, readCodebook } from './codebook';
import { listCoders, upsertCoder } from './coders';
import { saveFrameCodes, setFlag, undoLastSave } from './codes';
import { codingQueue } from './queue';
import type { HandlerGroup } from '../api/types';

type CodingMethods =
  | 'codebook.get'
  | 'codebook.change'
  | 'codebook.history'
  | 'coders.list'
  | 'coders.upsert'
  | 'assignments.create'
  | 'coding.queue'
  | 'coding.save'
  | 'coding.undo'
  | 'coding.flag';

export const codingHandlers: HandlerGroup<CodingMethods> = {
  'codebook.get': (_input, core) => readCodebook(core.db),
  'codebook.history': (_input, core) => ({ versions: codebookHistory(core.db) }),
  'codebook.change': ({ change, by }, core) => {
    const codebook = changeCodebook(core.db, change, by ?? null);
    core.events.emit({ type: 'data.changed', topics: ['codebook', 'codes'] });
    return codebook;
  },
  'coders.list': (_input, core) => ({ coders: listCoders(core.db) }),
  'coders.upsert': (input, core) => {
    const coder = upsertCoder(core.db, input);
    core.events.emit({ type: 'data.changed', topics: ['coders'] });
    return { coder };
  },
  'assignments.create': (input, core) => {
    const result = assignFrames(core.db, input);
    core.events.emit({ type: 'data.changed', topics: ['assignments'] });
    return result;
  },
  'coding.queue': ({ coderId, filter, ...page }, core) => codingQueue(core.db, coderId, filter, page),
  'coding.save': (input, core) => {
    const saved = saveFrameCodes(core.db, input);
    if (saved.batchId) core.events.emit({ type: 'data.changed', topics: ['codes'] });
    return saved;
  },
  'coding.undo': ({ coderId }, core) => {
    const restored = undoLastSave(core.db, coderId);
    if (restored) core.events.emit({ type: 'data.changed', topics: ['codes'] });
    return { restored };
  },
  'coding.flag': (input, core) => {
    setFlag(core.db, input);
    core.events.emit({ type: 'data.changed', topics: ['codes'] });
    return { frameId: input.frameId, unsure: input.unsure, note: input.note.trim() };
  },
};
