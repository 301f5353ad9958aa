import type { Input } from '../../shared/api';
import { client } from '../api/client';

/**
 * The Fine-tune screen's API calls. The screens call these, never the client: every screen reads and
 * writes through the store's actions. Failures reject as the core wrote them; the caller
 * notifies or shows them in its form.
 */

/** One fine-tune run: parameters, fold/epoch losses so far (or final), result, and its gold frames. */
export const getFinetuneRun = (input: Input<'finetune.run'>) => client().call('finetune.run', input);

/** Fine-tune runs (finetune.run jobs), newest first, with their outcome in brief. */
export const listFinetuneRuns = (input: Input<'finetune.runs'>) => client().call('finetune.runs', input);
