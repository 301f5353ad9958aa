import { FramelabError } from '../../../shared/errors';
import type { Command } from '../command';
import { analysesSubcommand, ratingsSubcommand, type PreferenceSubcommand } from './preferenceData';
import { PREFERENCE_MODEL_SUBCOMMANDS } from './preferenceModels';

/**
 * `framelab preference <area> …`: the Preferences area, one subcommand per part (its data:
 * analyses and ratings; its models add theirs here). Each subcommand parses its own options.
 */
export const PREFERENCE_SUBCOMMANDS: Record<string, PreferenceSubcommand> = {
  analyses: analysesSubcommand,
  ratings: ratingsSubcommand,
  ...PREFERENCE_MODEL_SUBCOMMANDS,
};

const usage = () =>
  Object.values(PREFERENCE_SUBCOMMANDS)
    .map((s) => s.usage)
    .join('\n       ');

export const preferenceCommand: Command = {
  name: 'preference',
  get usage() {
    return usage();
  },
  summary:
    "The owner's preferences: video analyses and ratings (import, export, list, history), correlations, models (train, activate, status) and scores",
  async run(args, globals) {
    const [area, ...rest] = args;
    const sub = area !== undefined && Object.hasOwn(PREFERENCE_SUBCOMMANDS, area) ? PREFERENCE_SUBCOMMANDS[area] : undefined;
    if (!sub) throw new FramelabError('INVALID_INPUT', `Unknown preference command "${area ?? ''}".\nUsage: ${usage()}`);
    return sub.run(rest, globals);
  },
};
