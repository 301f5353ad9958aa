import type { Input } from '../../shared/api';
import { client } from '../api/client';

/**
 * The Models screen's API calls (also the model pickers of Fine-tune and Inference). The screens call these, never the client: every screen reads and
 * writes through the store's actions. Failures reject as the core wrote them; the caller
 * notifies or shows them in its form.
 */

/** Makes a model version its dimension's active model. */
export const activateDimensionModel = (input: Input<'models.activate'>) => client().call('models.activate', input);

/** Every model version in the registry (optionally of one dimension). */
export const listModels = (input: Input<'models.list'>) => client().call('models.list', input);
