import { mulberry32 } from '../random';

/**
 * Sampling strategies, pure: a video's duration (and id, for the random strategy) in,
 * sorted distinct timestamps in integer tenths of a second out. Every timestamp lies strictly
 * before the end of the video. Integer arithmetic throughout, so every machine agrees.
 */
export type SamplingStrategy = { kind: 'every'; seconds: number } | { kind: 'perVideo'; count: number; random?: boolean; seed?: number };

/** Rounds num/den half up, for non-negative integers. */
function divRound(num: number, den: number): number {
  return Math.floor((2 * num + den) / (2 * den));
}

/** How many 0.1 s slots start before the end: tenths n with n/10 < duration. */
export function slotCount(durationS: number): number {
  if (!Number.isFinite(durationS) || durationS <= 0) return 0;
  const ms = Math.round(durationS * 1000);
  return Math.ceil(ms / 100);
}

function distinctSorted(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** 0, S, 2S, … while before the end; S in milliseconds so 0.25 s steps round per timestamp. */
export function everySeconds(durationS: number, seconds: number): number[] {
  const slots = slotCount(durationS);
  const stepMs = Math.round(seconds * 1000);
  if (slots === 0 || stepMs < 100) return [];
  const durationMs = Math.round(durationS * 1000);
  const out: number[] = [];
  for (let atMs = 0; atMs < durationMs; atMs += stepMs) out.push(Math.min(divRound(atMs, 100), slots - 1));
  return distinctSorted(out);
}

/** K timestamps at the middle of K equal parts: (i + 0.5) · duration / K. */
export function evenlySpaced(durationS: number, count: number): number[] {
  const slots = slotCount(durationS);
  if (slots === 0 || count <= 0) return [];
  const durationMs = Math.round(durationS * 1000);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Math.min(divRound((2 * i + 1) * durationMs, 2 * count * 100), slots - 1));
  return distinctSorted(out);
}

/** FNV-1a over the UTF-16 code units: a stable 32-bit hash of a string. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * K distinct 0.1 s slots drawn at random (Floyd's algorithm), seeded from (seed, video id):
 * the same video and seed give the same frames whatever else is sampled alongside.
 */
export function randomSlots(durationS: number, count: number, seed: number, videoId: string): number[] {
  const slots = slotCount(durationS);
  if (slots === 0 || count <= 0) return [];
  if (count >= slots) return Array.from({ length: slots }, (_, i) => i);
  const random = mulberry32(hash32(`${seed}\u0000${videoId}`));
  const chosen = new Set<number>();
  for (let j = slots - count; j < slots; j++) {
    const t = Math.floor(random() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return distinctSorted([...chosen]);
}

export function sampleTimestamps(strategy: SamplingStrategy, durationS: number, videoId: string): number[] {
  if (strategy.kind === 'every') return everySeconds(durationS, strategy.seconds);
  if (strategy.random) return randomSlots(durationS, strategy.count, strategy.seed ?? 0, videoId);
  return evenlySpaced(durationS, strategy.count);
}
