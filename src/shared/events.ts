import type { JobLogLine, JobSummary } from './jobs';
import type { SyncStatus } from './sync';

/** Topics that `data.changed` announces; screens refetch what they show when theirs changes. */
export type DataTopic =
  | 'jobs'
  | 'workspace'
  | 'settings'
  | 'codebook'
  | 'coders'
  | 'assignments'
  | 'codes'
  | 'videos'
  | 'frames'
  | 'gold'
  | 'models'
  | 'analyses'
  | 'ratings'
  | 'preference';

/** The one event channel: every push from core to a UI or CLI is one of these. */
export type FramelabEvent =
  | { type: 'job.updated'; job: JobSummary }
  | { type: 'job.log'; jobId: string; line: JobLogLine }
  | { type: 'data.changed'; topics: DataTopic[] }
  | { type: 'sync.status'; status: SyncStatus };

export type EventListener = (event: FramelabEvent) => void;
