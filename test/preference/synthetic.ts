import { mulberry32 } from '../../src/main/core/random';
import type { PreferenceRecord } from '../../src/main/core/preference/evaluate';

/**
 * Seeded, realistic deep analyses and owner ratings for the preference tests and benchmark:
 * ~170 leaf values per analysis in nested sections (scores 1–10, floats, counts, booleans,
 * categorical strings, free text, string arrays with messy casing, arrays of objects, nulls,
 * whole sections missing or null, a sparse section under 50 % coverage, a key that is
 * sometimes a string, a constant feature_count), driven by a few latent traits so features
 * correlate with each other as real ones do. The owner's ratings follow known features
 * (including the spec's expected ones) plus an interaction, noise, and 0.5 steps.
 */
export interface SyntheticOptions {
  /** Noise sd of the overall rating, in rating points (default 0.8). */
  noise?: number;
  /** Multiplies the signal (default 1; 0 gives ratings that are pure noise). */
  signal?: number;
}

export interface SyntheticPreferences {
  records: PreferenceRecord[];
  /** The noiseless overall rating (0–10, before rounding) of each record. */
  truth: number[];
}

const HUMOR_TYPES = ['observational', 'absurd', 'slapstick', 'dry', 'cringe', 'parody'];
const LOCATIONS = ['office', 'kitchen', 'street', 'car', 'gym', 'store', 'park', 'bedroom'];
const GENRES = ['pop', 'hiphop', 'lofi', 'rock', 'edm', 'jazz', 'classical', 'country', 'rnb', 'latin', 'none', 'other'];
const HOOKS = ['question', 'statement', 'visual', 'sound', 'text'];
const ELEMENTS = ['Person', 'Reaction', 'Prop', 'Second Person', 'Phone', 'Costume!', 'Pet', 'Car', 'Text Overlay', 'Food'];
const SOUNDS = [
  'laugh',
  'ding',
  'whoosh',
  'boing',
  'record scratch',
  'airhorn',
  'cash register',
  'crickets',
  'drum roll',
  'applause',
  'sad trombone',
  'bruh',
];
const OBJECTS = Array.from({ length: 30 }, (_, i) => `object ${i}`);
const ROLES = ['Boss', 'Employee', 'Customer', 'Friend', 'Parent', 'Kid', 'Stranger'];

export function syntheticPreferences(n: number, seed: number, opts: SyntheticOptions = {}): SyntheticPreferences {
  const rnd = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const score = (latent: number, spread = 1.5) => Math.max(1, Math.min(10, Math.round(5.5 + spread * latent + gauss())));
  const chance = (p: number) => rnd() < p;
  const some = <T>(xs: readonly T[], max: number) => {
    const k = Math.floor(rnd() * (max + 1));
    const out = new Set<T>();
    for (let i = 0; i < k; i++) out.add(pick(xs));
    return [...out];
  };
  const noise = opts.noise ?? 0.8;
  const signal = opts.signal ?? 1;
  const records: PreferenceRecord[] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    // Latent traits: craft (writing quality), trend (meme/trend reliance), production (effort).
    const craft = gauss();
    const trend = gauss();
    const prod = gauss();
    const replicability = score(0.8 * craft - 0.4 * prod);
    const timing = score(craft);
    const payoff = score(0.7 * craft + 0.3 * gauss());
    const memeDependent = chance(1 / (1 + Math.exp(-1.5 * trend)));
    const worksWithoutContext = chance(1 / (1 + Math.exp(1.2 * trend - 0.5 * craft)));
    const soundEffects = chance(0.08) ? null : some(SOUNDS, Math.max(0, Math.round(2 + 1.5 * trend)));
    const hookType = pick(HOOKS);
    const visual: Record<string, number> = {};
    for (let k = 0; k < 64; k++) visual[`metric${String(k).padStart(2, '0')}`] = Number((0.3 * prod + gauss()).toFixed(3));
    const pacing: Record<string, number | null> = {};
    for (let k = 0; k < 30; k++)
      pacing[`segment${String(k).padStart(2, '0')}`] = chance(0.05) ? null : Math.round(10 * rnd() * (1 + 0.2 * craft)) / 10;
    const textFlags: Record<string, boolean> = {};
    for (let k = 0; k < 24; k++) textFlags[`flag${String(k).padStart(2, '0')}`] = chance(0.2 + 0.6 * rnd());
    const analysis: Record<string, unknown> = {
      feature_count: 172,
      script: {
        summary: `video ${seed}-${i}: ${pick(HUMOR_TYPES)} bit about ${pick(LOCATIONS)}`,
        replicability: { score: replicability, requiredElements: some(ELEMENTS, 4), difficulty: pick(['easy', 'medium', 'hard']) },
        humor: { comedyTiming: timing, type: pick(HUMOR_TYPES), punchlines: Math.round(2 + rnd() * 4 + craft), selfAware: chance(0.3) },
        structure: {
          payoffStrength: payoff,
          hookStrength: score(0.5 * craft + 0.5 * trend),
          hookType,
          beats: Array.from({ length: 2 + Math.floor(rnd() * 5) }, (_, b) => ({ t: b, label: `beat ${b}` })),
          twist: chance(0.4),
        },
        dialogue: { wordsPerSecond: Number((2 + rnd() * 2).toFixed(2)), languageComplexity: score(0.2 * craft) },
      },
      standalone: { worksWithoutContext, requiresSeries: chance(0.1) },
      comedyStyle: chance(0.15)
        ? undefined
        : {
            contrastMechanism: { present: chance(0.3 + 0.3 * (craft > 0 ? 1 : 0)), type: pick(['status', 'expectation', 'scale', 'tone']) },
            escalation: score(0.3 * craft),
            deadpan: chance(0.3),
          },
      flexibility: { swappableCore: chance(0.4 + 0.2 * Math.tanh(craft)), industryLock: chance(0.25), adaptations: Math.floor(rnd() * 6) },
      trends: chance(0.1)
        ? null
        : {
            memeDependent,
            usesPremadeSound: chance(1 / (1 + Math.exp(-trend))),
            trendAgeDays: Math.round(Math.exp(3 + gauss())),
            platformNative: chance(0.5),
          },
      casting: {
        actingSkillRequired: score(0.6 * prod),
        attractivenessDependency: score(0.2 * trend),
        castSize: 1 + Math.floor(rnd() * 4),
        roles: some(ROLES, 3),
      },
      production: {
        shotComplexity: score(prod),
        location: pick(LOCATIONS),
        cuts: Math.round(5 + 10 * rnd() + 3 * prod),
        lighting: pick(['natural', 'studio', 'mixed']),
        handheld: chance(0.6),
      },
      audio: {
        soundEffects,
        musicGenre: chance(0.1) ? null : pick(GENRES),
        voiceover: chance(0.3),
        loudness: Number((-20 + 5 * gauss()).toFixed(1)),
      },
      visual: { ...visual, objects: chance(0.1) ? null : some(OBJECTS, 6), palette: pick(['warm', 'cool', 'neutral', 'vivid']) },
      pacing,
      text: textFlags,
      meta: { durationSeconds: chance(0.03) ? 'unknown' : Math.round(10 + 50 * rnd()), aspect: pick(['9:16', '1:1', '16:9']) },
      // Filled on about 30 % of analyses: under the 50 % coverage rule.
      experimental: chance(0.3) ? { novelty: score(craft), emojiDensity: rnd() } : undefined,
    };
    const sfx = soundEffects?.length ?? 0;
    const mean =
      5.2 +
      signal *
        (0.35 * (replicability - 5.5) +
          0.25 * (timing - 5.5) +
          0.6 * (worksWithoutContext ? 1 : 0) -
          0.9 * (memeDependent ? 1 : 0) -
          0.15 * sfx +
          0.5 * (hookType === 'question' ? 1 : 0) +
          // An interaction the forest can find and Ridge cannot: a strong payoff only helps with good timing.
          (payoff >= 7 && timing >= 6 ? 0.9 : 0));
    truth.push(mean);
    const rate = (m: number) => Math.max(0, Math.min(10, Math.round(2 * (m + noise * gauss())) / 2));
    const overall = rate(mean);
    records.push({
      videoId: `vid_${seed}_${String(i).padStart(5, '0')}`,
      analysis,
      overall,
      hook: chance(0.15) ? null : rate(5 + signal * 0.4 * (timing - 5.5) + (hookType === 'question' ? 0.8 : 0)),
      pacing: chance(0.15) ? null : rate(5 + signal * 0.3 * (replicability - 5.5)),
      payoff: chance(0.15) ? null : rate(4 + signal * 0.5 * (payoff - 5.5)),
    });
  }
  return { records, truth };
}

/** Counts an analysis's leaf values (every non-object value, an array counting as one). */
export function leafCount(analysis: unknown): number {
  if (analysis === null || typeof analysis !== 'object' || Array.isArray(analysis)) return 1;
  return Object.values(analysis as Record<string, unknown>).reduce<number>((a, v) => a + (v === undefined ? 0 : leafCount(v)), 0);
}
