import type { Input } from '../../shared/api';
import { QUEUE_PAGE_DEFAULT, type CodingFrame } from '../../shared/coding';
import { client, fileUrl } from '../api/client';
import { useStore } from './index';
import { notifyError } from './notifyError';
import { leadPerson } from './role';

/**
 * The coding loop: keys fill a draft; when every dimension is set the frame is saved (a save
 * counts only once the core's transaction committed) and the next frame shows, at once when it
 * is in the window, with the save going on behind it (saveAndMoveOn).
 */
const CODER_KEY = 'framelab.coderId';

/**
 * Saves run one after another, in the order the coder finished the frames, so the core commits
 * them in that order and an undo (which waits for them) undoes the last one.
 */
let saveChain: Promise<void> = Promise.resolve();

/** Waits for every save in flight (undo and reload act on committed codes only). */
export function savesSettled(): Promise<void> {
  return saveChain;
}

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
    // A coder's window codes as that coder, whatever was picked before.
    const remembered = (state.role.kind === 'coder' ? state.role.coderId : null) ?? state.coderId ?? rememberedCoder();
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
  useStore.getState().setTabFinished(null);
  await loadQueue();
}

type QueueCall = { after?: string; before?: string; at?: string };

async function fetchPage(page: QueueCall = {}) {
  const { coderId, filter } = useStore.getState();
  return client().call('coding.queue', { coderId: coderId!, filter, limit: QUEUE_PAGE_DEFAULT, ...page });
}

/**
 * Reloads the coder's queue for the current filter, a page at a time, and shows `keepFrameId`
 * (or the frame on screen) when the filter holds it, else the filter's first frame.
 */
export async function loadQueue(keepFrameId?: string | null): Promise<void> {
  const { coderId } = useStore.getState();
  if (!coderId) return;
  try {
    // The core's queue after the saves in flight: a frame being saved is not uncoded any more.
    await savesSettled();
    const keep = keepFrameId ?? useStore.getState().currentFrameId;
    let result = keep ? await fetchPage({ at: keep }) : null;
    if (!result || result.frames[0]?.frameId !== keep) result = await fetchPage();
    const { frames, counts, offset, total } = result;
    const state = useStore.getState();
    state.setQueue(frames, counts, { offset, total, moreAfter: offset + frames.length < total });
    state.showFrame(frames[0]?.frameId ?? null);
    preload();
  } catch (err) {
    report(err);
  }
}

/** The window keeps at most this many frames: a coder can walk 100k frames without holding them all. */
const WINDOW_MAX = 5 * QUEUE_PAGE_DEFAULT;
let paging: Promise<void> | null = null;

/** Loads the page after (or before) the window; one load at a time. */
function extendWindow(direction: 'after' | 'before'): Promise<void> {
  paging ??= (async () => {
    const { queue: before, coderId, filter } = useStore.getState();
    const edgeOf = (q: CodingFrame[]) => (direction === 'after' ? q.at(-1) : q[0])?.frameId;
    const edge = edgeOf(before);
    if (!edge) return;
    const { frames, counts, offset } = await fetchPage({ [direction]: edge });
    const state = useStore.getState();
    // Reloaded meanwhile (another filter or coder, a reload): this page belongs to no window.
    if (state.coderId !== coderId || state.filter !== filter || edgeOf(state.queue) !== edge) return;
    const queue = state.queue; // saves meanwhile replaced frames in it: keep those
    if (direction === 'after') {
      const joined = [...queue, ...frames];
      const drop = Math.max(0, joined.length - WINDOW_MAX);
      useStore.setState({
        queue: joined.slice(drop),
        queueOffset: state.queueOffset + drop,
        moreAfter: frames.length === QUEUE_PAGE_DEFAULT,
        counts,
      });
    } else {
      const joined = [...frames, ...queue];
      const kept = joined.slice(0, WINDOW_MAX);
      useStore.setState({ queue: kept, queueOffset: offset, moreAfter: state.moreAfter || kept.length < joined.length, counts });
    }
  })()
    .catch(report)
    .finally(() => (paging = null));
  return paging;
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
  // Near the end of the window: fetch the next page before the coder gets there.
  const { moreAfter } = useStore.getState();
  if (moreAfter && at >= queue.length - 1 - PRELOAD_AHEAD) void extendWindow('after');
}

/** Moves `delta` frames; past either end of the window, loads the next (or previous) page first. */
export async function step(delta: number): Promise<void> {
  let { queue, currentFrameId } = useStore.getState();
  let at = queue.findIndex((f) => f.frameId === currentFrameId);
  if (at + delta >= queue.length && useStore.getState().moreAfter) await extendWindow('after');
  else if (at + delta < 0 && useStore.getState().queueOffset > 0) await extendWindow('before');
  ({ queue, currentFrameId } = useStore.getState());
  at = queue.findIndex((f) => f.frameId === currentFrameId);
  const next = queue[Math.min(queue.length - 1, Math.max(0, at + delta))];
  if (next) {
    useStore.getState().showFrame(next.frameId);
    preload();
  }
}

/** A category key was pressed: set it in the draft; save when every dimension is set. */
export async function pressCategory(dimension: string, value: string): Promise<void> {
  const state = useStore.getState();
  const frame = currentFrame();
  if (!frame || !state.codebook || !state.coderId || state.saving || state.pendingSaves.includes(frame.frameId)) return;
  // Start from the frame's saved codes: re-coding one dimension keeps the others.
  const draft = { ...frame.codes, ...state.draft, [dimension]: value };
  state.setDraft(draft);
  const complete = state.codebook.dimensions.every((d) => draft[d.name] !== undefined);
  if (!complete) return;
  const at = state.queue.findIndex((f) => f.frameId === frame.frameId);
  if (state.queue[at + 1]) saveAndMoveOn(frame, draft, state.coderId);
  else await saveThenLeave(frame, draft, state.coderId);
}

/**
 * The next frame is in the window: it paints at once, while the save goes on behind it. The
 * frame counts as saved only when the core has committed it (until then it is in
 * `pendingSaves`, and the view says "Saving…"); a save that fails brings the coder back to
 * the frame with the codes they chose as the draft, and says why. A crash in between loses
 * only a save the coder was never told had happened.
 */
function saveAndMoveOn(frame: CodingFrame, draft: Record<string, string>, coderId: string): void {
  const state = useStore.getState();
  const at = state.queue.findIndex((f) => f.frameId === frame.frameId);
  const next = state.queue[at + 1]!;
  // One store update for the whole switch: the next frame paints in a single render.
  useStore.setState({
    // The frame shows its codes at once, marked as saving until the core has them.
    queue: state.queue.map((f) => (f.frameId === frame.frameId ? { ...f, codes: draft } : f)),
    currentFrameId: next.frameId,
    draft: {},
    tabFinished: null,
    zoom: null,
    pan: { x: 0, y: 0 },
    pendingSaves: [...state.pendingSaves, frame.frameId],
  });
  preload();
  saveChain = saveChain.then(async () => {
    try {
      const saved = await client().call('coding.save', { coderId, frameId: frame.frameId, codes: draft });
      const after = useStore.getState();
      if (after.coderId !== coderId) return;
      useStore.setState({
        queue: after.queue.map((f) => (f.frameId === frame.frameId ? { ...f, codes: saved.codes, recode: [] } : f)),
        counts: after.counts && countsAfterSave(after.counts, frame, after.codebook!.dimensions.length),
        pendingSaves: after.pendingSaves.filter((id) => id !== frame.frameId),
      });
      void refreshCounts();
    } catch (err) {
      const after = useStore.getState();
      useStore.setState({
        queue: after.queue.map((f) => (f.frameId === frame.frameId ? frame : f)),
        pendingSaves: after.pendingSaves.filter((id) => id !== frame.frameId),
      });
      if (after.coderId !== coderId) return;
      // Back to the frame, its choices as the draft: one key saves them again.
      if (after.queue.some((f) => f.frameId === frame.frameId)) {
        after.showFrame(frame.frameId);
        useStore.getState().setDraft(draft);
      }
      useStore
        .getState()
        .notify(
          'error',
          `${frame.frameId} was not saved: ${err instanceof Error ? err.message : String(err)}. Its codes are back on screen as a draft; press a key to save them again.`,
        );
    }
  });
}

/** The last frame of the window or tab: what comes next depends on the save, so it waits for it. */
async function saveThenLeave(frame: CodingFrame, draft: Record<string, string>, coderId: string): Promise<void> {
  useStore.getState().setSaving(true);
  try {
    await saveChain;
    const saved = await client().call('coding.save', { coderId, frameId: frame.frameId, codes: draft });
    // The last frame of the window: the next one is on the next page.
    if (useStore.getState().moreAfter) await extendWindow('after');
    const after = useStore.getState();
    const updated: CodingFrame = { ...frame, codes: saved.codes, recode: [] };
    const queue = after.queue.map((f) => (f.frameId === frame.frameId ? updated : f));
    const at = queue.findIndex((f) => f.frameId === frame.frameId);
    const next = queue[at + 1];
    useStore.setState({
      queue,
      counts: after.counts && countsAfterSave(after.counts, frame, after.codebook!.dimensions.length),
      currentFrameId: (next ?? updated).frameId,
      draft: {},
      saving: false,
      tabFinished: null,
      ...(next ? { zoom: null, pan: { x: 0, y: 0 } } : {}),
    });
    if (next) {
      preload();
      void refreshCounts();
    } else await leaveFinishedTab();
  } catch (err) {
    report(err);
    useStore.getState().setSaving(false);
  }
}

/** The tab badges after `frame` was saved, before the core's own counts arrive. */
function countsAfterSave(counts: NonNullable<ReturnType<typeof useStore.getState>['counts']>, frame: CodingFrame, dimensions: number) {
  return { ...counts, done: counts.done + (isDone(frame, dimensions) ? 0 : 1), recode: counts.recode - (frame.recode.length > 0 ? 1 : 0) };
}

function isDone(frame: CodingFrame, dimensions: number): boolean {
  return Object.keys(frame.codes).length >= dimensions && frame.recode.length === 0;
}

/** Z / Backspace: restores the previous save as a new history entry and shows that frame. */
export async function undo(): Promise<void> {
  const { coderId } = useStore.getState();
  if (!coderId) return;
  try {
    await savesSettled();
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

/**
 * The last frame of a tab was saved: rather than leave the coder on a frame that is done, show
 * the first uncoded frame (the Uncoded tab, from its start: frames skipped earlier come back),
 * or, when there is none, the Uncoded tab's "all coded" message.
 */
async function leaveFinishedTab(): Promise<void> {
  const finished = useStore.getState().filter;
  useStore.getState().setFilter('uncoded');
  await loadQueue();
  if (useStore.getState().currentFrameId) useStore.getState().setTabFinished(finished);
}

let countsAsked = 0;

/**
 * The tab counts from the core after a save or a flag: the counts the screen adjusted itself
 * cover the common case at once, but only the core knows every effect (a re-code resolved,
 * a flag on a frame outside the window), so the badges never stay stale.
 */
async function refreshCounts(): Promise<void> {
  const { coderId, filter } = useStore.getState();
  if (!coderId) return;
  const asked = ++countsAsked;
  try {
    const { counts } = await client().call('coding.queue', { coderId, filter, limit: 1 });
    if (asked === countsAsked && useStore.getState().coderId === coderId) useStore.setState({ counts });
  } catch (err) {
    report(err);
  }
}

/** U: marks the frame unsure or takes the mark off; its note stays as it is. */
export async function toggleUnsure(): Promise<void> {
  const frame = currentFrame();
  if (!frame) return;
  const unsure = !frame.flag?.unsure;
  const counts = useStore.getState().counts;
  if (counts) useStore.setState({ counts: { ...counts, flagged: counts.flagged + (unsure ? 1 : -1) } });
  await writeFlag(frame, unsure, frame.flag?.note ?? '');
}

/** N: keeps a note on the frame. A note is not a doubt: it leaves the unsure mark as it is. */
export async function saveNote(note: string): Promise<void> {
  const frame = currentFrame();
  if (!frame) return;
  await writeFlag(frame, frame.flag?.unsure ?? false, note);
}

async function writeFlag(frame: CodingFrame, unsure: boolean, note: string): Promise<void> {
  const { coderId } = useStore.getState();
  if (!coderId) return;
  try {
    const flag = await client().call('coding.flag', { coderId, frameId: frame.frameId, unsure, note });
    useStore.getState().replaceFrame({ ...frame, flag: { unsure: flag.unsure, note: flag.note } });
  } catch (err) {
    report(err);
  }
  await refreshCounts();
}

// Calls a screen makes for itself (it keeps the answer, or shows a refusal in its form or as a
// notice): each rejects as the core wrote it.

/** Apply one codebook edit as the window's lead (every edit is a new version); the store gets the new codebook. */
export async function changeCodebook(change: Input<'codebook.change'>['change']) {
  const codebook = await client().call('codebook.change', { change, by: leadPerson(useStore.getState().role) });
  useStore.getState().setCodebook(codebook);
  return codebook;
}

/** Split frames between coders with an overlap set coded by all of them. */
export const createAssignments = (input: Input<'assignments.create'>) => client().call('assignments.create', input);

/** Loads the codebook (dimensions and their categories in order) into the store. */
export async function loadCodebook() {
  useStore.getState().setCodebook(await client().call('codebook.get'));
}

/** Loads the coder profiles into the store. */
export async function loadCoders() {
  useStore.getState().setCoders((await client().call('coders.list')).coders);
}

/** Sampled frames, by video and time, a page at a time. */
export const listFrames = (input: Input<'frames.list'>) => client().call('frames.list', input);

/** A page of a coder's assigned frames with their own codes only, the filter's total and the counts. */
export const queuePage = (input: Input<'coding.queue'>) => client().call('coding.queue', input);

/** Create a coder or change their name or role. */
export const upsertCoder = (input: Input<'coders.upsert'>) => client().call('coders.upsert', input);
