import type { Rating } from '../../../shared/preference';
import { formatScore, SCORE_FIELDS } from '../../store/rateScores';

const SHOWN = 8;

/** One rating in a line: overall large, the sub-scores given, who and when, and the note. */
export function RatingLine({ rating, mine }: { rating: Rating; mine?: boolean }) {
  const subs = SCORE_FIELDS.slice(1).filter((f) => rating[f] !== null);
  return (
    <li className={`rating-line${mine ? ' mine' : ''}`}>
      <span className="rating-overall">{formatScore(rating.overall)}</span>
      <span className="rating-subs">{subs.length ? subs.map((f) => `${f} ${formatScore(rating[f])}`).join(' · ') : 'no sub-scores'}</span>
      <span className="muted small rating-who">
        {rating.rater} ({rating.raterType}) · {rating.ratedAt.slice(0, 16).replace('T', ' ')}
        {rating.source !== 'app' ? ` · from ${rating.source}` : ''}
      </span>
      {rating.notes && <span className="rating-note">“{rating.notes}”</span>}
    </li>
  );
}

/** Every rating of the video, newest first (append-only: a new rating never replaces an old one). */
export function RatingHistoryList({ entries, rater }: { entries: Rating[]; rater: string }) {
  if (entries.length === 0) return <p className="muted small">Nobody has rated this video yet.</p>;
  return (
    <>
      <ol className="rating-history" data-testid="rating-history">
        {entries.slice(0, SHOWN).map((r) => (
          <RatingLine key={r.id} rating={r} mine={r.rater === rater} />
        ))}
      </ol>
      {entries.length > SHOWN && <p className="muted small">and {entries.length - SHOWN} older</p>}
    </>
  );
}
