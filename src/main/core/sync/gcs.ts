import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Storage, File } from '@google-cloud/storage';
import type { CredentialSource } from './credentials';
import { PreconditionFailed, SyncFailure } from './failure';

/**
 * The few bucket operations sync needs, over @google-cloud/storage, with every failure turned
 * into a SyncFailure that names the problem (bucket missing, permission denied, no
 * credentials, offline). The client's own retries are off: a round that fails is simply the
 * next round's work, and "offline" must show within seconds, not minutes. Uploads are single
 * requests (`resumable: false`): the annotations file is small, and a resumable session that
 * breaks would leave nothing to resume from a fresh round anyway.
 */
export interface ObjectInfo {
  name: string;
  generation: string;
  size: number;
  md5: string | null;
  crc32c: string | null;
  updated: string | null;
}

export interface RemoteText extends ObjectInfo {
  text: string;
}

export interface BucketClient {
  readonly bucket: string;
  /** The object's metadata; null when there is no such object (the bucket exists). */
  info(object: string): Promise<ObjectInfo | null>;
  /** The object's text and the generation it was read at; null when there is no such object. */
  read(object: string): Promise<RemoteText | null>;
  /** Writes the object only if its generation is still `ifGenerationMatch` ('0': it must not exist); returns the new generation. */
  write(object: string, text: string, ifGenerationMatch: string): Promise<string>;
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Downloads to `file` (via a temp sibling), checked against the object's MD5 or CRC32C. */
  download(info: ObjectInfo, file: string): Promise<void>;
  /** Deletes the object if it is still this generation (a newer one is refused: PreconditionFailed); one already gone is fine. */
  remove(info: Pick<ObjectInfo, 'name' | 'generation'>): Promise<void>;
}

export interface BucketClientOptions {
  /** Each request's time limit (ms). */
  timeoutMs?: number;
}

let storageModule: Promise<typeof import('@google-cloud/storage')> | null = null;
const loadStorage = () => (storageModule ??= import('@google-cloud/storage'));

function endpoint(): string {
  return process.env.STORAGE_EMULATOR_HOST ? `the storage emulator at ${process.env.STORAGE_EMULATOR_HOST}` : 'storage.googleapis.com';
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

function errorCode(err: unknown): string | number | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown }; errno?: unknown };
  if (typeof e?.code === 'number' || typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return undefined;
}

/**
 * Cloud Storage's own words for its two 404s (JSON API, metadata and media alike): an object
 * that is not there is "No such object: BUCKET/OBJECT", a bucket that is not there "The
 * specified bucket does not exist." (the XML API says NoSuchKey / NoSuchBucket). Matched whole,
 * never by a word: a bucket may well be called "lab-bucket".
 */
const OBJECT_MISSING = /^No such object: \S/;
const BUCKET_MISSING = /^The specified bucket does not exist\.?$/;

/** The `error` of a Cloud Storage JSON error body, or null when the text is not one. */
function jsonError(text: string): { message?: unknown; errors?: unknown } | null {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown; errors?: unknown } };
    return parsed && typeof parsed.error === 'object' ? parsed.error : null;
  } catch {
    return null;
  }
}

/** Which thing a 404 says is missing, by the error's reasons and messages; null for anything else (an unexplained 404 included). */
export function missingThing(err: unknown): 'object' | 'bucket' | null {
  const code = errorCode(err);
  if (code !== 404 && code !== '404') return null;
  const e = err as { message?: unknown; errors?: unknown };
  // A streamed download's error carries the response body as its message: Cloud Storage's JSON error, or its text.
  const body = typeof e.message === 'string' && e.message.trimStart().startsWith('{') ? jsonError(e.message) : null;
  const details = [e.errors, body?.errors].flatMap((list) =>
    Array.isArray(list) ? (list as { reason?: unknown; message?: unknown }[]) : [],
  );
  const reasons = details.map((d) => d?.reason);
  const messages = [e.message, body?.message, ...details.map((d) => d?.message)]
    .filter((m): m is string => typeof m === 'string')
    .map((m) => m.trim());
  if (reasons.includes('NoSuchBucket') || messages.some((m) => BUCKET_MISSING.test(m))) return 'bucket';
  if (reasons.includes('NoSuchKey') || messages.some((m) => OBJECT_MISSING.test(m))) return 'object';
  return null;
}

/** Any error of the client (or the network under it) as the problem the user can act on. */
export function classify(err: unknown, bucket: string, credentials: CredentialSource): Error {
  if (err instanceof SyncFailure || err instanceof PreconditionFailed) return err;
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const status = typeof code === 'number' ? code : /^\d{3}$/.test(String(code)) ? Number(code) : undefined;
  if (status === 412) return new PreconditionFailed();
  if (status === 404) {
    const missing = missingThing(err);
    if (missing === 'bucket')
      return new SyncFailure('bucket-missing', `The bucket "${bucket}" does not exist: check its name in Sync settings (gs://${bucket}).`);
    // An object request turns "no such object" into null before this; here it is an object the operation needed.
    if (missing === 'object')
      return new SyncFailure(
        'error',
        `${message.trim()}: the object is not in gs://${bucket} (it was removed or renamed); run the sync again.`,
      );
    return new SyncFailure(
      'error',
      `Cloud Storage answered "not found" (HTTP 404) for gs://${bucket} without saying what is missing: ${message}. Check the bucket name in Sync settings and try again.`,
    );
  }
  if (status === 403) {
    return new SyncFailure(
      'permission-denied',
      `Permission denied on gs://${bucket} for the credentials (${credentials.describe}): they need to read and write objects there (e.g. the Storage Object User role).`,
    );
  }
  if (status === 401 || /could not load the default credentials|invalid_grant|unauthorized_client|invalid_client/i.test(message)) {
    const rejected = status === 401 || /invalid_/i.test(message);
    return new SyncFailure(
      'no-credentials',
      rejected
        ? `The credentials (${credentials.describe}) were refused: they are invalid or expired. Renew them (gcloud auth application-default login) or choose another key file.`
        : 'No Google Cloud credentials found: run `gcloud auth application-default login`, set GOOGLE_APPLICATION_CREDENTIALS, or choose a service-account key file in Sync settings.',
    );
  }
  if (
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    /socket hang up|network|fetch failed|getaddrinfo|connect E|timed? ?out|premature close|aborted/i.test(message)
  ) {
    return new SyncFailure(
      'offline',
      `Cannot reach ${endpoint()} (${typeof code === 'string' ? code : message}): this machine is offline or the network blocks it.`,
    );
  }
  if (status !== undefined && (status === 429 || status >= 500)) {
    return new SyncFailure('offline', `${endpoint()} is not answering properly (HTTP ${status}); it is probably a passing outage.`);
  }
  return new SyncFailure('error', `Cloud Storage failed: ${message}`);
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SyncFailure(
            'offline',
            `No answer from ${endpoint()} within ${Math.round(ms / 1000)} s while ${what}: offline or very slow network.`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

function toInfo(file: File): ObjectInfo {
  const m = file.metadata;
  return {
    name: file.name,
    generation: String(m.generation ?? '0'),
    size: Number(m.size ?? 0),
    md5: typeof m.md5Hash === 'string' ? m.md5Hash : null,
    crc32c: typeof m.crc32c === 'string' ? m.crc32c : null,
    updated: typeof m.updated === 'string' ? m.updated : null,
  };
}

/** A missing object (the bucket exists); an object in a missing bucket answers 404 too, with the bucket's message. */
const isNoSuchObject = (err: unknown) => missingThing(err) === 'object';

export async function createBucketClient(
  bucketName: string,
  credentials: CredentialSource,
  options: BucketClientOptions = {},
): Promise<BucketClient> {
  const { Storage: StorageClass, CRC32C } = await loadStorage();
  const storage: Storage = new StorageClass({
    ...(credentials.keyFilename ? { keyFilename: credentials.keyFilename } : {}),
    retryOptions: { autoRetry: false, maxRetries: 0 },
  });
  const bucket = storage.bucket(bucketName);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const run = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await withTimeout(work(), timeoutMs, what);
    } catch (err) {
      throw classify(err, bucketName, credentials);
    }
  };
  // Without credentials the client would send anonymous requests and fail later with a less
  // telling error: find out now.
  if (credentials.probe) await run('looking for Google Cloud credentials', () => storage.authClient.getClient());

  const info = (object: string) =>
    run(`reading gs://${bucketName}/${object}`, async () => {
      try {
        const file = bucket.file(object);
        await file.getMetadata();
        return toInfo(file);
      } catch (err) {
        if (isNoSuchObject(err)) return null;
        throw err;
      }
    });

  return {
    bucket: bucketName,
    info,
    async read(object) {
      // One request: the bytes and, in the response headers, the generation they are.
      const got = await run(
        `downloading gs://${bucketName}/${object}`,
        () =>
          new Promise<{ bytes: Buffer; headers: Record<string, string | string[] | undefined> } | null>((resolve, reject) => {
            let headers: Record<string, string | string[] | undefined> = {};
            const chunks: Buffer[] = [];
            bucket
              .file(object)
              .createReadStream({ validation: false })
              .on('response', (res: { headers?: Record<string, string | string[] | undefined> }) => (headers = res.headers ?? {}))
              .on('data', (chunk: Buffer) => chunks.push(chunk))
              .on('end', () => resolve({ bytes: Buffer.concat(chunks), headers }))
              .on('error', (err) => (isNoSuchObject(err) ? resolve(null) : reject(err)));
          }),
      );
      if (!got) return null;
      const header = (name: string) => {
        const value = got.headers[name];
        return Array.isArray(value) ? value.join(',') : value;
      };
      let meta: ObjectInfo | null;
      const generation = header('x-goog-generation');
      if (generation) {
        const hashes = header('x-goog-hash') ?? '';
        const modified = header('last-modified');
        meta = {
          name: object,
          generation,
          size: got.bytes.length,
          md5: /md5=([^,]+)/.exec(hashes)?.[1] ?? null,
          crc32c: /crc32c=([^,]+)/.exec(hashes)?.[1] ?? null,
          updated: modified && !Number.isNaN(Date.parse(modified)) ? new Date(modified).toISOString() : null,
        };
      } else {
        meta = await info(object); // a server that does not say: ask (the upload's precondition guards the gap)
        if (!meta) return null;
      }
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(got.bytes);
      } catch {
        throw new SyncFailure('error', `gs://${bucketName}/${object} is not UTF-8 text; save it as "CSV UTF-8" in the bucket.`);
      }
      return { ...meta, size: got.bytes.length, text };
    },
    write(object, text, ifGenerationMatch) {
      return run(`uploading gs://${bucketName}/${object}`, async () => {
        const file = bucket.file(object);
        await file.save(text, {
          resumable: false,
          contentType: 'text/csv; charset=utf-8',
          preconditionOpts: { ifGenerationMatch: Number(ifGenerationMatch) },
          validation: false,
        });
        if (file.metadata.generation === undefined) await file.getMetadata();
        return String(file.metadata.generation);
      });
    },
    list(prefix) {
      return run(`listing gs://${bucketName}/${prefix}`, async () => {
        const [files] = await bucket.getFiles({ prefix: prefix || undefined, autoPaginate: true });
        return files.filter((f) => !f.name.endsWith('/')).map(toInfo);
      });
    },
    remove(meta) {
      return run(`deleting gs://${bucketName}/${meta.name}`, async () => {
        try {
          await bucket.file(meta.name).delete({ ifGenerationMatch: Number(meta.generation) });
        } catch (err) {
          if (!isNoSuchObject(err)) throw err;
        }
      });
    },
    async download(meta, file) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.download`;
      try {
        await run(`downloading gs://${bucketName}/${meta.name}`, () =>
          bucket.file(meta.name).download({ destination: tmp, validation: false }),
        );
        if (!(await matchesHashes(tmp, meta, CRC32C))) {
          throw new SyncFailure('error', `gs://${bucketName}/${meta.name} arrived damaged (its MD5/CRC32C does not match); try again.`);
        }
        fs.renameSync(tmp, file);
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    },
  };
}

/** Does this local file hold exactly the object's bytes? MD5 when the object has one (composite objects do not), else CRC32C. */
export async function matchesHashes(
  file: string,
  meta: Pick<ObjectInfo, 'md5' | 'crc32c' | 'size'>,
  CRC32C?: { fromFile(file: string): Promise<{ toString(): string }> },
): Promise<boolean> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return false;
  }
  if (stat.size !== meta.size) return false;
  if (meta.md5) {
    const hash = crypto.createHash('md5');
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('base64') === meta.md5;
  }
  if (meta.crc32c) {
    const crc = CRC32C ?? (await loadStorage()).CRC32C;
    return (await crc.fromFile(file)).toString() === meta.crc32c;
  }
  return false;
}
