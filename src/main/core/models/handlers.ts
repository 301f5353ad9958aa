import { activateModel, listModels } from './registry';
import type { HandlerGroup } from '../api/types';

/** The model registry; importing, predicting and exporting run as jobs. */
export const modelsHandlers: HandlerGroup<'models.list' | 'models.activate'> = {
  'models.list': (input, core) => ({ models: listModels(core.db, input.dimension) }),
  'models.activate': (input, core) => {
    const model = activateModel(core.db, input.id);
    core.events.emit({ type: 'data.changed', topics: ['models'] });
    return { model };
  },
};
