import type { Input } from '../../shared/api';
import { client } from '../api/client';

/**
 * The Inference screen's API calls. The screens call these, never the client: every screen reads and
 * writes through the store's actions. Failures reject as the core wrote them; the caller
 * notifies or shows them in its form.
 */

/** Copy a finished run's three CSVs to a folder (never replacing a file unless overwrite). */
export const exportInfer = (input: Input<'infer.export'>) => client().call('infer.export', input);

/** A predicted frame decoded again from its video (PNG data URL, scaled to maxWidth). */
export const inferFrameImage = (input: Input<'infer.frameImage'>) => client().call('infer.frameImage', input);

/**
 * A batch inference output folder: the run in brief, class distribution per model, a page of videos
 * (search by id), errors.
 */
export const inferResults = (input: Input<'infer.results'>) => client().call('infer.results', input);

/** One video's predicted frames: time and, per model, class, confidence and probabilities. */
export const inferVideoFrames = (input: Input<'infer.videoFrames'>) => client().call('infer.videoFrames', input);

/** Output folders of this home's batch inference runs (infer.run jobs), newest first. */
export const listInferOutputs = (input: Input<'infer.outputs'>) => client().call('infer.outputs', input);
