import { FramelabError } from '../../../shared/errors';
import { SyncSettings, type ConnectionTest, type SyncRunOutput, type SyncStatus } from '../../../shared/sync';
import type { Db } from '../db/open';
import type { EventBus } from '../events';
import { resolveCredentials, type CredentialSource } from './credentials';
import { PreconditionFailed, SyncFailure } from './failure';
import { createBucketClient, type BucketClient } from './gcs';
import { ratingsObject, ratingsObjectFor, ratingsSyncStatus } from '../preference/ratingsSync';
import type { RatingsRoundResult } from '../../../shared/sync';
import { recordFailedRound, runObjectRound, runRound, type RoundOutcome } from './round';
import { readSyncSettings, targetOf, writeSyncSettings } from './settings';
import { syncStatus } from './status';

/**
 * Runs sync rounds in the owner process: SQLite has one writer, and a round is mostly waiting
 * on the network (async, so the owner keeps serving while it waits) plus a merge of a few
 * milliseconds. Rounds never overlap: requests made while one runs are coalesced into the
 * next. Triggers: the manual button and the CLI, the interval, and each save (debounced) while
 * the last round reached the bucket; while it did not, a retry timer checks again. Every change
 * of state goes out as a `sync.status` event.
 */
export interface SyncServiceOptions {
  /** Each bucket request's time limit. */
  timeoutMs?: number;
  /** Delay between a save and its round, so a burst of saves makes one round. */
  debounceMs?: number;
  /** While offline: how often to try again (ms). */
  offlineRetryMs?: number;
  /** Tests: runs after a round's upload and before its local write. */
  afterUpload?: () => void | Promise<void>;
}

export type SyncTrigger = 'manual' | 'cli' | 'interval' | 'save' | 'start' | 'retry' | 'resolve' | 'source' | 'settings';

export class SyncService {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly waiting = new Map<string, Promise<SyncRunOutput>>();
  private syncing = 0;
  private stopped = false;
  private started = false;
  private interval: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  /** True while this service announces its own writes (they must not trigger another round). */
  private announcing = false;
  private readonly clients = new Map<string, BucketClient>();

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly options: SyncServiceOptions = {},
  ) {}

  settings(): SyncSettings {
    return readSyncSettings(this.db);
  }

  saveSettings(settings: SyncSettings): SyncSettings {
    const saved = writeSyncSettings(this.db, settings);
    this.events.emit({ type: 'data.changed', topics: ['settings'] });
    this.announce();
    if (this.started) {
      this.schedule();
      this.background('settings');
    }
    return saved;
  }

  status(): SyncStatus {
    const status = syncStatus(this.db, this.syncing > 0);
    const settings = this.settings();
    const ratings = settings.bucket ? ratingsSyncStatus(this.db, settings.bucket, settings.object) : null;
    return ratings ? { ...status, ratings } : status;
  }

  /** Interval, after-save and offline-retry triggers; the desktop app and `serve` start them, one-shot CLI commands do not. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.unsubscribe = this.events.subscribe((event) => {
      if (this.announcing || event.type !== 'data.changed' || !event.topics.some((t) => t === 'codes' || t === 'ratings')) return;
      const settings = this.settings();
      if (!settings.bucket || !settings.afterSave || this.status().state === 'offline') return;
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => {
        this.debounce = null;
        this.background('save');
      }, this.options.debounceMs ?? 800);
      this.debounce.unref?.();
    });
    this.schedule();
    if (this.settings().bucket) this.background('start');
  }

  stop(): void {
    this.stopped = true;
    for (const timer of [this.interval, this.retry]) if (timer) clearInterval(timer);
    if (this.debounce) clearTimeout(this.debounce);
    this.unsubscribe?.();
  }

  /** A round whose outcome nobody waits for (its status and record say how it went). */
  background(trigger: SyncTrigger): void {
    if (this.stopped || !this.settings().bucket) return;
    this.run(trigger).catch(() => undefined);
  }

  /**
   * One round (after the one running, if any; a round already waiting to start is shared).
   * `override` (the CLI's --bucket/--object) applies to this round only; on a home without a
   * bucket it becomes the setting.
   */
  run(trigger: SyncTrigger, override: { bucket?: string; object?: string } = {}): Promise<SyncRunOutput> {
    let settings = this.settings();
    if (override.bucket || override.object) {
      const merged = {
        ...settings,
        ...(override.bucket ? { bucket: override.bucket } : {}),
        ...(override.object ? { object: override.object } : {}),
      };
      settings = settings.bucket ? SyncSettings.parse(merged) : this.saveSettings(merged);
    }
    if (!settings.bucket) {
      return Promise.reject(
        new FramelabError(
          'INVALID_INPUT',
          'No bucket to sync with: set one in Sync settings (or pass --bucket BUCKET to `framelab sync`).',
        ),
      );
    }
    const target = targetOf(settings.bucket, settings.object);
    const queued = this.waiting.get(target);
    if (queued) return queued;
    const round = this.tail.then(() => {
      this.waiting.delete(target);
      return this.execute(trigger, settings);
    });
    this.waiting.set(target, round);
    this.tail = round.catch(() => undefined);
    return round;
  }

  /** Checks settings (the saved ones, or ones being edited) against the bucket without writing anything. */
  async testConnection(input?: SyncSettings): Promise<ConnectionTest> {
    const settings = input ?? this.settings();
    if (!settings.bucket) return { ok: false, problem: 'not-configured', message: 'No bucket is set.', credentials: null, object: null };
    let credentials: CredentialSource | null = null;
    try {
      credentials = resolveCredentials(settings);
      const client = await this.client(settings, credentials);
      const info = await client.info(settings.object);
      // Write permission, without writing: an upload whose precondition cannot hold is refused
      // with 412 when we may write, 403 when we may not.
      const impossible = info ? String(BigInt(info.generation) + 1n) : '1';
      try {
        await client.write(settings.object, '', impossible);
        throw new SyncFailure(
          'error',
          'The bucket accepted a write it should have refused (it ignores generation preconditions); sync cannot be safe there.',
        );
      } catch (err) {
        if (!(err instanceof PreconditionFailed)) throw err;
      }
      const where = `gs://${settings.bucket}/${settings.object}`;
      return {
        ok: true,
        problem: null,
        message: info
          ? `Connected: ${where} exists (generation ${info.generation}, ${info.size} bytes); reading and writing are allowed.`
          : `Connected: the bucket is there and writable; ${where} does not exist yet (the first round creates it).`,
        credentials: credentials.describe,
        object: info ? { exists: true, generation: info.generation, size: info.size } : { exists: false, generation: null, size: null },
      };
    } catch (err) {
      if (!(err instanceof SyncFailure)) throw err;
      return { ok: false, problem: err.problem, message: err.message, credentials: credentials?.describe ?? null, object: null };
    }
  }

  /** A client for these settings (one per bucket, credentials and endpoint). */
  async client(settings: SyncSettings, credentials: CredentialSource = resolveCredentials(settings)): Promise<BucketClient> {
    const key = [settings.bucket, credentials.keyFilename ?? '', process.env.STORAGE_EMULATOR_HOST ?? ''].join('\u0000');
    let client = this.clients.get(key);
    if (!client)
      this.clients.set(key, (client = await createBucketClient(settings.bucket, credentials, { timeoutMs: this.options.timeoutMs })));
    return client;
  }

  private async execute(trigger: SyncTrigger, settings: SyncSettings): Promise<SyncRunOutput> {
    if (this.stopped) throw new FramelabError('CANCELLED', 'Framelab is closing; the round did not run.');
    const target = targetOf(settings.bucket, settings.object);
    const startedAt = new Date().toISOString();
    this.syncing++;
    this.announce();
    try {
      const credentials = resolveCredentials(settings);
      const client = await this.client(settings, credentials);
      const outcome: RoundOutcome = await runRound({
        db: this.db,
        client,
        object: settings.object,
        target,
        trigger,
        afterUpload: this.options.afterUpload,
      });
      if (outcome.applied > 0) this.announce(['codes', 'frames', 'coders', 'assignments', 'videos']);
      else if (outcome.result.conflicts.length > 0) this.announce(['codes']);
      // The owner's ratings.csv beside the object, once the annotations reached the bucket.
      const ratings = await this.ratingsRound(client, settings, trigger);
      return ratings ? { ...outcome.result, ratings } : outcome.result;
    } catch (err) {
      if (this.stopped) throw new FramelabError('CANCELLED', 'Framelab closed during the round; nothing was written.');
      const failure = err instanceof SyncFailure ? err : null;
      recordFailedRound(this.db, {
        target,
        trigger,
        startedAt,
        problem: failure?.problem ?? 'error',
        message: failure?.message ?? `Unexpected error: ${(err as Error).message}`,
      });
      if (!failure) throw err;
      return { offline: true, reason: failure.message, problem: failure.problem };
    } finally {
      this.syncing--;
      if (!this.stopped) {
        this.announce();
        if (this.started) this.scheduleRetry();
      }
    }
  }

  /**
   * The ratings round of a round whose annotations reached the bucket: recorded under its own
   * target. A failure is its own outcome (the annotations stay synced); null while neither
   * side holds a rating (nothing to sync, nothing recorded).
   */
  private async ratingsRound(client: BucketClient, settings: SyncSettings, trigger: SyncTrigger): Promise<RatingsRoundResult | null> {
    const object = ratingsObjectFor(settings.object);
    const target = targetOf(settings.bucket, object);
    const startedAt = new Date().toISOString();
    try {
      const outcome = await runObjectRound({ db: this.db, client, object, target, trigger }, ratingsObject);
      if (outcome.applied > 0 || (outcome.result?.offline === false && outcome.result.conflicts > 0)) this.announce(['ratings']);
      return outcome.result;
    } catch (err) {
      if (this.stopped) throw new FramelabError('CANCELLED', 'Framelab closed during the round; nothing more was written.');
      const failure = err instanceof SyncFailure ? err : null;
      const problem = failure?.problem ?? 'error';
      const reason = failure?.message ?? `Unexpected error: ${(err as Error).message}`;
      recordFailedRound(this.db, { target, trigger, startedAt, problem, message: reason });
      return { offline: true, target, reason, problem };
    }
  }

  private announce(topics?: ('codes' | 'frames' | 'coders' | 'assignments' | 'videos' | 'ratings')[]): void {
    if (this.stopped) return;
    this.announcing = true;
    try {
      if (topics) this.events.emit({ type: 'data.changed', topics });
      this.events.emit({ type: 'sync.status', status: this.status() });
    } finally {
      this.announcing = false;
    }
  }

  private schedule(): void {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    const minutes = this.settings().intervalMinutes;
    if (minutes > 0) {
      this.interval = setInterval(() => this.background('interval'), minutes * 60_000);
      this.interval.unref?.();
    }
  }

  private scheduleRetry(): void {
    const offline = this.status().state === 'offline';
    if (offline && !this.retry) {
      this.retry = setInterval(() => this.background('retry'), this.options.offlineRetryMs ?? 60_000);
      this.retry.unref?.();
    } else if (!offline && this.retry) {
      clearInterval(this.retry);
      this.retry = null;
    }
  }
}
