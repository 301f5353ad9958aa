import { z } from 'zod';

/**
 * The coding domain as the contract sees it: codebook, coders, assignments, codes.
 * A code is one category of the codebook for one (frame, coder, dimension), or absent:
 * an empty string is never a code.
 */
export const LEVELS = ['nominal', 'ordinal'] as const;
export const Level = z.enum(LEVELS);

/** Keys the coding view keeps for itself (undo, flag, navigation). */
export const RESERVED_KEYS = ['z', 'u', 'n', 'j', 'k', ' '] as const;

const nonBlank = (what: string) =>
  z.string().trim().min(1, `${what} cannot be empty`).max(80, `${what} is too long (80 characters at most)`);

export const Shortcut = z
  .string()
  .length(1, 'a shortcut is one key')
  .transform((k) => k.toLowerCase())
  .refine((k) => /^[a-z0-9]$/.test(k), 'a shortcut is a letter or a digit')
  .refine((k) => !(RESERVED_KEYS as readonly string[]).includes(k), {
    message: `that key is reserved by the coding view (${RESERVED_KEYS.filter((k) => k !== ' ').join(', ')}, space)`,
  });

export const DimensionName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'a dimension name is lower-case letters, digits and _ (it is a CSV column)');

export const Category = z.object({
  id: z.number().int(),
  value: z.string(),
  shortcut: z.string(),
  description: z.string(),
  position: z.number().int(),
  examples: z.array(z.string()),
  codeCount: z.number().int(),
});
export type Category = z.infer<typeof Category>;

export const Dimension = z.object({
  name: z.string(),
  label: z.string(),
  level: Level,
  description: z.string(),
  position: z.number().int(),
  categories: z.array(Category),
});
export type Dimension = z.infer<typeof Dimension>;

export const Codebook = z.object({
  version: z.number().int(),
  dimensions: z.array(Dimension),
});
export type Codebook = z.infer<typeof Codebook>;

/** Every edit the codebook screen can make; each one is a new codebook version. */
export const CodebookChange = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('addDimension'),
    name: DimensionName,
    label: nonBlank('a label'),
    level: Level,
    description: z.string().default(''),
  }),
  z.strictObject({
    op: z.literal('updateDimension'),
    dimension: z.string(),
    label: nonBlank('a label').optional(),
    level: Level.optional(),
    description: z.string().optional(),
  }),
  z.strictObject({
    op: z.literal('addCategory'),
    dimension: z.string(),
    value: nonBlank('a category'),
    shortcut: Shortcut,
    description: z.string().default(''),
  }),
  z.strictObject({
    op: z.literal('updateCategory'),
    categoryId: z.number().int(),
    /** Renaming keeps every code of the category. */
    value: nonBlank('a category').optional(),
    shortcut: Shortcut.optional(),
    description: z.string().optional(),
  }),
  z.strictObject({
    op: z.literal('moveCategory'),
    categoryId: z.number().int(),
    /** 0-based position among the dimension's categories. */
    position: z.number().int().min(0),
  }),
  z.strictObject({
    op: z.literal('removeCategory'),
    categoryId: z.number().int(),
    /** Required when the category has codes: they move to this category of the same dimension. */
    remapTo: z.number().int().optional(),
  }),
  z.strictObject({
    op: z.literal('setExamples'),
    categoryId: z.number().int(),
    frameIds: z.array(z.string()).max(12),
  }),
]);
export type CodebookChange = z.infer<typeof CodebookChange>;

export const CoderId = z
  .string()
  .trim()
  .min(1, 'a coder id cannot be empty')
  .regex(/^[A-Za-z0-9_.@-]+$/, 'a coder id is letters, digits and . _ @ - (it is a CSV value)');

export const Coder = z.object({
  coderId: z.string(),
  name: z.string(),
  role: z.enum(['coder', 'lead']),
  createdAt: z.string(),
});
export type Coder = z.infer<typeof Coder>;

/** One coder's view of a frame: their own codes only, never another coder's. */
export const CodingFrame = z.object({
  frameId: z.string(),
  videoId: z.string(),
  timestampS: z.number(),
  image: z.string().nullable(),
  thumb: z.string().nullable(),
  overlap: z.boolean(),
  /** dimension name → category value, only for the dimensions this coder has coded. */
  codes: z.record(z.string(), z.string()),
  flag: z.object({ unsure: z.boolean(), note: z.string() }).nullable(),
  /** Dimensions of this frame waiting in this coder's re-code queue. */
  recode: z.array(z.string()),
});
export type CodingFrame = z.infer<typeof CodingFrame>;

export const QUEUE_FILTERS = ['all', 'uncoded', 'flagged', 'recode'] as const;
export const QueueFilter = z.enum(QUEUE_FILTERS);
export type QueueFilter = z.infer<typeof QueueFilter>;

/** A coding queue comes a page at a time (100k frames in one answer were 9 MB and blocked the owner). */
export const QUEUE_PAGE_DEFAULT = 200;
export const QUEUE_PAGE_MAX = 1000;

/**
 * Which page of a coder's queue (frames by video, then time): from `offset`, or next to a
 * frame (`after` / `before` it, or starting `at` it). A frame id is a stable place even
 * while saves move frames out of a filter, so the coding view pages with them.
 */
export const QueuePage = z.strictObject({
  limit: z.number().int().min(1).max(QUEUE_PAGE_MAX).default(QUEUE_PAGE_DEFAULT),
  offset: z.number().int().min(0).default(0),
  after: z.string().min(1).optional(),
  before: z.string().min(1).optional(),
  at: z.string().min(1).optional(),
});
export type QueuePage = z.input<typeof QueuePage>;

export const QueueCounts = z.object({
  assigned: z.number().int(),
  done: z.number().int(),
  flagged: z.number().int(),
  recode: z.number().int(),
});
export type QueueCounts = z.infer<typeof QueueCounts>;

export const CodingQueuePage = z.object({
  /** This page, in queue order. */
  frames: z.array(CodingFrame),
  /** Frames the filter holds in all. */
  total: z.number().int(),
  /** Index of the page's first frame among them. */
  offset: z.number().int(),
  counts: QueueCounts,
});
export type CodingQueuePage = z.infer<typeof CodingQueuePage>;

export const SavedCodes = z.object({
  frameId: z.string(),
  coderId: z.string(),
  codes: z.record(z.string(), z.string()),
  /** null when nothing changed (the same values were saved again). */
  batchId: z.string().nullable(),
});
export type SavedCodes = z.infer<typeof SavedCodes>;
