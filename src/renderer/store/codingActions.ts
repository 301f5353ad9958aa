import type { CodingFrame } from '../../shared/coding';
import { client, fileUrl } from '../api/client';
import { useStore } from './index';
import { notifyError } from './notifyError';

/**
 * The coding loop: keys fill a draft; when every dimension is set the frame is saved (the
 * promise resolves only after the core's transaction committed) and the next frame shows.
 */
const CODER_KEY = 'framelab.coderId';
const PRELOAD_AHEAD = 3;

function report(err: unknown): void {
  notifyError(err);
}

export function rememberedCoder(): string | null {
  return localStorage.getItem(CODER_KEY);
}

export async function loadCodingSetup(): Promise<void> {
  try {
    const [codebook, { coders }] = await Promise.all([client().call('codebook.get'), client().call('coders.list')]);
    const state = useStore.getState();
    state.setCodebook(codebook);
    state.setCoders(coders);
    const remembered = state.coderId ?? rememberedCoder();
    if (remembered && coders.some((c) => c.coderId === remembered)) {
      if (state.coderId !== remembered) state.setCoderId(remembered);
      await loadQueue();
    }
  } catch (err) {
    report(err);
  }
}

export async function chooseCoder(coderId: string): Promise<void> {
  localStorage.setItem(CODER_KEY, coderId);
  useStore.getState().setCoderId(coderId);
  await loadQueue();
}

/** Reloads the coder's queue for the current filter and shows its first frame (or keeps the current one). */
export async function loadQueue(keepFrameId?: string | null): Promise<void> {
  const { coderId, filter } = useStore.getState();
  if (!coderId) return;
  try {
    const { frames, counts } = await client().call('coding.queue', { coderId, filter });
    const state = useStore.getState();
    state.setQueue(frames, counts);
    const keep = keepFrameId ?? state.currentFrameId;
    state.showFrame(frames.some((f) => f.frameId === keep) ? keep! : (frames[0]?.frameId ?? null));
    preload();
  } catch (err) {
    report(err);
  }
}

export function currentFrame(): CodingFrame | null {
  const { queue, currentFrameId } = useStore.getState();
  return queue.find((f) => f.frameId === currentFrameId) ?? null;
}

/** Warms the browser cache with the next frames' images so the switch is instant. */
function preload(): void {
  const { queue, currentFrameId } = useStore.getState();
  const at = queue.findIndex((f) => f.frameId === currentFrameId);
  for (const frame of queue.slice(at + 1, at + 1 + PRELOAD_AHEAD)) {
    if (frame.image) new Image().src = fileUrl(frame.image);
  }
}

export function step(delta: number): void {
  const { queue, currentFrameId, showFrame } = useStore.getState();
  const at = queue.findIndex((f) => f.frameId === currentFrameId);
  const next = queue[Math.min(queue.length - 1, Math.max(0, at + delta))];
  if (next) {
    showFrame(next.frameId);
    preload();
  }
}

/** A category key was pressed: set it in the draft; save when every dimension is set. */
export async function pressCategory(dimension: string, value: string): Promise<void> {
  const state = useStore.getState();
  const frame = currentFrame();
  if (!frame || !state.codebook || !state.coderId || state.saving) return;
  // Start from the frame's saved codes: re-coding one dimension keeps the others.
  const draft = { ...frame.codes, ...state.draft, [dimension]: value };
  state.setDraft(draft);
  const complete = state.codebook.dimensions.every((d) => draft[d.name] !== undefined);
  if (!complete) return;
  state.setSaving(true);
  try {
    const saved = await client().call('coding.save', { coderId: state.coderId, frameId: frame.frameId, codes: draft });
    const after = useStore.getState();
    const updated: CodingFrame = { ...frame, codes: saved.codes, recode: [] };
    const queue = after.queue.map((f) => (f.frameId === frame.frameId ? updated : f));
    const at = queue.findIndex((f) => f.frameId === frame.frameId);
    // One store update for the whole switch: the next frame paints in a single render.
    useStore.setState({
      queue,
      counts: after.counts && {
        ...after.counts,
        done: after.counts.done + (isDone(frame, after.codebook!.dimensions.length) ? 0 : 1),
        recode: after.counts.recode - (frame.recode.length > 0 ? 1 : 0),
      },
      currentFrameId: (queue[at + 1] ?? updated).frameId,
      draft: {},
      saving: false,
    });
    preload();
  } catch (err) {
    report(err);
    useStore.getState().setSaving(false);
  }
}

function isDone(frame: CodingFrame, dimensions: number): boolean {
  return Object.keys(frame.codes).length >= dimensions && frame.recode.length === 0;
}

/** Z / Backspace: restores the previous save as a new history entry and shows that frame. */
export async function undo(): Promise<void> {
  const { coderId } = useStore.getState();
  if (!coderId) return;
  try {
    const { restored } = await client().call('coding.undo', { coderId });
    if (!restored) {
      useStore.getState().notify('info', 'Nothing to undo.');
      return;
    }
    await loadQueue(restored.frameId);
  } catch (err) {
    report(err);
  }
}

export async function toggleUnsure(note?: string): Promise<void> {
  const { coderId } = useStore.getState();
  const frame = currentFrame();
  if (!coderId || !frame) return;
  const unsure = note !== undefined ? true : !frame.flag?.unsure;
  try {
    const flag = await client().call('coding.flag', { coderId, frameId: frame.frameId, unsure, note: note ?? frame.flag?.note ?? '' });
    useStore.getState().replaceFrame({ ...frame, flag: { unsure: flag.unsure, note: flag.note } });
  } catch (err) {
    report(err);
  }
}
