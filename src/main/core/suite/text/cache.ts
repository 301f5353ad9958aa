/**
 * Computed text vectors, kept under `<home>/cache/text-embeddings/<model key>/`:
 *   model.json   the model identity (hash of the folder's files + recipe), dim, last folder
 *   vectors.bin  fixed-size records, appended: sha256(text) (32 bytes) + dim float32 (LE)
 * The model key is the start of the identity, so a changed model (or recipe) gets a fresh
 * folder and never reuses old vectors. Records are appended one batch per write; a record cut
 * short by a crash is dropped when the file is next opened. Derived data: deleting the
 * folder only costs recomputation.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FramelabError } from '../../../../shared/errors';

const HASH_BYTES = 32;

export const textCacheRoot = (homeRoot: string): string => path.join(homeRoot, 'cache', 'text-embeddings');

export const textHash = (text: string): string => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

export class TextEmbeddingCache {
  readonly dir: string;
  private readonly file: string;
  private readonly meta: string;
  /** Known once a vector was stored (by this or an earlier run); null for a new cache. */
  private width: number | null = null;
  private readonly index = new Map<string, Float32Array>();

  constructor(
    homeRoot: string,
    private readonly identity: string,
    private readonly modelDir: string,
  ) {
    this.dir = path.join(textCacheRoot(homeRoot), identity.slice(0, 24));
    this.file = path.join(this.dir, 'vectors.bin');
    this.meta = path.join(this.dir, 'model.json');
    if (!fs.existsSync(this.meta)) return;
    const known = JSON.parse(fs.readFileSync(this.meta, 'utf8')) as { identity: string; dim: number };
    if (known.identity !== identity)
      throw new FramelabError(
        'CONFLICT',
        `the text-embedding cache ${this.dir} belongs to another model (identity ${known.identity}); delete that folder.`,
      );
    this.width = known.dim;
    this.load(known.dim);
  }

  get dim(): number | null {
    return this.width;
  }

  get size(): number {
    return this.index.size;
  }

  private load(dim: number): void {
    if (!fs.existsSync(this.file)) return;
    const recordBytes = HASH_BYTES + 4 * dim;
    const buf = fs.readFileSync(this.file);
    const whole = buf.length - (buf.length % recordBytes);
    if (whole !== buf.length) fs.truncateSync(this.file, whole); // a torn last record: later appends stay aligned
    for (let at = 0; at < whole; at += recordBytes) {
      const key = buf.toString('hex', at, at + HASH_BYTES);
      const vec = new Float32Array(dim);
      for (let k = 0; k < dim; k++) vec[k] = buf.readFloatLE(at + HASH_BYTES + 4 * k);
      this.index.set(key, vec);
    }
  }

  get(hash: string): Float32Array | undefined {
    return this.index.get(hash);
  }

  /** Appends `dim`-wide vectors (row-major, one per hash) in one write and indexes them. */
  putMany(hashes: readonly string[], vectors: Float32Array, dim: number): void {
    if (vectors.length !== hashes.length * dim)
      throw new Error(`text cache: ${hashes.length} hashes but ${vectors.length / dim} vectors of ${dim}`);
    if (this.width === null) {
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(
        this.meta,
        JSON.stringify({ identity: this.identity, dim, modelDir: this.modelDir, createdAt: new Date().toISOString() }, null, 2),
      );
      this.width = dim;
    } else if (this.width !== dim) {
      throw new FramelabError(
        'CONFLICT',
        `the text-embedding cache ${this.dir} holds ${this.width}-d vectors but the model gave ${dim}-d; delete that folder.`,
      );
    }
    const recordBytes = HASH_BYTES + 4 * dim;
    const out = Buffer.alloc(hashes.length * recordBytes);
    hashes.forEach((h, i) => {
      const at = i * recordBytes;
      out.write(h, at, HASH_BYTES, 'hex');
      for (let k = 0; k < dim; k++) out.writeFloatLE(vectors[i * dim + k]!, at + HASH_BYTES + 4 * k);
      this.index.set(h, vectors.slice(i * dim, (i + 1) * dim));
    });
    fs.appendFileSync(this.file, out);
  }
}
