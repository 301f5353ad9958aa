import type { Input } from '../../shared/api';
import { client } from '../api/client';

/**
 * The Videos and Annotations screens' API calls. The screens call these, never the client: every screen reads and
 * writes through the store's actions. Failures reject as the core wrote them; the caller
 * notifies or shows them in its form.
 */

/** Write every frame × coder's codes as the lab's annotations.csv (never replacing a file unless overwrite). */
export const exportAnnotations = (input: Input<'annotations.export'>) => client().call('annotations.export', input);

/** Open re-code entries (missing codes waiting for their coder), for the lead. */
export const listRecodes = (input: Input<'recode.list'>) => client().call('recode.list', input);

/** Imported videos with their metadata and frame counts. */
export const listVideos = () => client().call('videos.list');
