import { RaterId, type RaterType, type Rating } from '../../shared/preference';
import { client } from '../api/client';
import { useStore } from './index';
import { notifyError } from './notifyError';
import { digitScore, EMPTY_SCORES, formatScore, nudge, SCORE_FIELDS, toggleHalf, type ScoreField, type Scores } from './rateScores';
import type { RateVideo } from './ratingSlice';

/**
 * The rating loop: keys fill a draft of the four scores and a note; Enter saves it (acknowledged
 * after the core's commit, a new history entry) and shows the next video of the view.
 */
const RATER_KEY = 'framelab.rater';
const PAGE = 50;

export function rememberedRater(): { rater: string; raterType: RaterType } | null {
  try {
    const value = JSON.parse(localStorage.getItem(RATER_KEY) ?? 'null') as { rater?: unknown; raterType?: unknown } | null;
    if (value && RaterId.safeParse(value.rater).success && (value.raterType === 'owner' || value.raterType === 'other')) {
      return { rater: value.rater as string, raterType: value.raterType };
    }
  } catch {
    // A value from an older build: choose again.
  }
  return null;
}

export async function loadRateSetup(): Promise<void> {
  const state = useStore.getState();
  const remembered = state.rater ? null : rememberedRater();
  if (remembered) state.setRater(remembered.rater, remembered.raterType);
  if (useStore.getState().rater) await loadRateList();
}

/** Checks the id as the core will (the message says what is allowed); returns the problem or null. */
export async function chooseRater(rater: string, raterType: RaterType): Promise<string | null> {
  const parsed = RaterId.safeParse(rater.trim());
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'That is not a rater id.';
  localStorage.setItem(RATER_KEY, JSON.stringify({ rater: parsed.data, raterType }));
  useStore.getState().setRater(parsed.data, raterType);
  await loadRateList();
  return null;
}

/** Loads the page of the view that holds `position` (clamped to the list) and shows that video. */
export async function loadRateList(position = useStore.getState().ratePosition): Promise<void> {
  const { rater, rateView } = useStore.getState();
  if (!rater) return;
  try {
    const fetchPage = async (at: number) => {
      const offset = Math.floor(Math.max(0, at) / PAGE) * PAGE;
      if (rateView === 'queue') {
        const page = await client().call('preference.ratings.queue', { rater, limit: PAGE, offset });
        return { ids: page.videos.map((v) => v.videoId), total: page.total, offset, counts: page.counts };
      }
      const [page, queue] = await Promise.all([
        client().call('preference.ratings.list', { rater, limit: PAGE, offset }),
        client().call('preference.ratings.queue', { rater, limit: 1 }),
      ]);
      return { ids: page.ratings.map((r) => r.videoId), total: page.total, offset, counts: queue.counts };
    };
    let page = await fetchPage(position);
    // The list got shorter (the last video was just rated): show its new last one.
    if (page.ids.length === 0 && page.total > 0) {
      position = page.total - 1;
      page = await fetchPage(position);
    }
    const state = useStore.getState();
    if (state.rater !== rater || state.rateView !== rateView) return;
    const at = Math.min(Math.max(0, position), Math.max(0, page.total - 1));
    useStore.setState({ rateIds: page.ids, rateOffset: page.offset, rateTotal: page.total, ratePosition: at, rateCounts: page.counts });
    const videoId = page.ids[at - page.offset] ?? null;
    if (videoId === null) useStore.setState({ rateVideo: null, rateDraft: EMPTY_SCORES, rateNote: '' });
    else if (useStore.getState().rateVideo?.videoId !== videoId) await openVideo(videoId);
    else await refreshHistory();
  } catch (err) {
    notifyError(err);
  }
}

/** Every video in Framelab, asked once per open (a rating's video_id need not be one of them). */
async function importedVideo(videoId: string) {
  const { videos } = await client().call('videos.list');
  return videos.find((v) => v.videoId === videoId) ?? null;
}

const scoresOf = (r: Rating | undefined): Scores =>
  r ? { overall: r.overall, hook: r.hook, pacing: r.pacing, payoff: r.payoff } : EMPTY_SCORES;

/** Shows a video: its history, analyses, the imported file and frames; the draft starts from the rater's current rating. */
export async function openVideo(videoId: string): Promise<void> {
  const { rater } = useStore.getState();
  const empty: RateVideo = { videoId, history: null, analyses: null, video: null, frames: [] };
  useStore.setState({ rateVideo: empty, rateDraft: EMPTY_SCORES, rateNote: '', rateField: 'overall', rateAfterOne: false });
  const still = () => useStore.getState().rateVideo?.videoId === videoId;
  const [history, analyses, video] = await Promise.all([
    client().call('preference.ratings.history', { videoId }),
    client().call('preference.analyses.get', { videoId }),
    importedVideo(videoId),
  ]);
  const frames = video && video.frameCount > 0 ? (await client().call('frames.list', { videoId, limit: 1000 })).frames : [];
  if (!still()) return;
  const mine = history.current.find((r) => r.rater === rater);
  useStore.setState({ rateVideo: { videoId, history, analyses, video, frames }, rateDraft: scoresOf(mine), rateNote: mine?.notes ?? '' });
}

async function refreshHistory(): Promise<void> {
  const current = useStore.getState().rateVideo;
  if (!current) return;
  const history = await client().call('preference.ratings.history', { videoId: current.videoId });
  const now = useStore.getState().rateVideo;
  if (now?.videoId === current.videoId) useStore.setState({ rateVideo: { ...now, history } });
}

/** PgDn / PgUp: the next or previous video of the view, nothing saved. */
export async function stepVideo(delta: number): Promise<void> {
  const { ratePosition, rateTotal } = useStore.getState();
  const next = Math.min(rateTotal - 1, Math.max(0, ratePosition + delta));
  if (next === ratePosition) return;
  useStore.setState({ rateMessage: null });
  await loadRateList(next);
}

export function selectField(field: ScoreField): void {
  useStore.getState().setRateField(field);
}

/** ↑/↓: the previous or next score field, wrapping round. */
export function stepField(delta: number): void {
  const { rateField } = useStore.getState();
  const at = SCORE_FIELDS.indexOf(rateField);
  selectField(SCORE_FIELDS[(at + delta + SCORE_FIELDS.length) % SCORE_FIELDS.length]!);
}

export function setScore(field: ScoreField, value: number | null): void {
  const { rateDraft } = useStore.getState();
  useStore.getState().setRateDraft({ ...rateDraft, [field]: value });
  useStore.setState({ rateMessage: null });
}

/** A digit key: the selected field's whole score (1 then 0 makes 10). */
export function pressDigit(digit: number): void {
  const { rateField, rateAfterOne } = useStore.getState();
  setScore(rateField, digitScore(digit, rateAfterOne));
  useStore.setState({ rateAfterOne: digit === 1 && !rateAfterOne });
}

export function pressHalf(): void {
  const { rateField, rateDraft } = useStore.getState();
  const value = rateDraft[rateField];
  if (value === null) {
    useStore.setState({ rateMessage: { kind: 'error', text: `Type a whole score for ${rateField} first, then . adds the half.` } });
    return;
  }
  if (value === 10) {
    useStore.setState({ rateMessage: { kind: 'error', text: 'The scale ends at 10: there is no 10.5.' } });
    return;
  }
  setScore(rateField, toggleHalf(value));
}

export function pressNudge(delta: -0.5 | 0.5): void {
  const { rateField, rateDraft } = useStore.getState();
  setScore(rateField, nudge(rateDraft[rateField], delta));
}

export function setNote(note: string): void {
  useStore.getState().setRateDraft(useStore.getState().rateDraft, note);
}

/** Esc: back to what is saved (the rater's current rating, or nothing). */
export function discardDraft(): void {
  const { rateVideo, rater } = useStore.getState();
  const mine = rateVideo?.history?.current.find((r) => r.rater === rater);
  useStore.getState().setRateDraft(scoresOf(mine), mine?.notes ?? '');
  useStore.setState({ rateMessage: null });
}

/** Enter: saves the draft as a new rating, then shows the next video of the view. */
export async function saveRating(): Promise<void> {
  const state = useStore.getState();
  const { rater, raterType, rateVideo, rateDraft, rateNote, rateView, ratePosition } = state;
  if (!rater || !rateVideo || state.rateSaving) return;
  if (rateDraft.overall === null) {
    useStore.setState({
      rateMessage: { kind: 'error', text: 'Give the overall score first (O, then a digit): it is the one score a rating needs.' },
    });
    return;
  }
  useStore.setState({ rateSaving: true });
  try {
    const saved = await client().call('preference.ratings.save', {
      videoId: rateVideo.videoId,
      rater,
      raterType,
      ...rateDraft,
      overall: rateDraft.overall,
      notes: rateNote,
    });
    const was = saved.previous ? ` (was ${formatScore(saved.previous.overall)})` : '';
    useStore.setState({
      rateSaving: false,
      rateMessage: { kind: 'saved', text: `Saved ${rateVideo.videoId}: overall ${formatScore(saved.rating.overall)}${was}.` },
    });
    // The queue loses the rated video, so the next one takes its place; Rated keeps it: move on.
    await loadRateList(rateView === 'queue' ? ratePosition : ratePosition + 1);
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    useStore.setState({ rateSaving: false, rateMessage: { kind: 'error', text } });
  }
}
