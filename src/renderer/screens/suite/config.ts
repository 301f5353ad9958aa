import type { SuiteDraft } from '../../store/suiteSlice';

/** `column = value` lines → the config's filter (numbers and booleans typed, like the CLI's JSON). */
export function parseFilter(text: string): { filter: Record<string, string | number | boolean>; problems: string[] } {
  const filter: Record<string, string | number | boolean> = {};
  const problems: string[] = [];
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .forEach((line, i) => {
      const eq = line.indexOf('=');
      if (eq <= 0) {
        problems.push(`filter line ${i + 1} "${line}": write column = value`);
        return;
      }
      const column = line.slice(0, eq).trim();
      const raw = line.slice(eq + 1).trim();
      filter[column] =
        raw === 'true'
          ? true
          : raw === 'false'
            ? false
            : raw !== '' && Number.isFinite(Number(raw))
              ? Number(raw)
              : raw.replace(/^"(.*)"$/, '$1');
    });
  return { filter, problems };
}

const list = (text: string) =>
  text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);

/** The data part of the config (what suite.dataset.preview reads). */
export function dataConfig(d: SuiteDraft): Record<string, unknown> {
  const { filter } = parseFilter(d.filter);
  return {
    metadata: d.metadata.trim(),
    ...(d.embeddingsPath.trim()
      ? {
          embeddings: {
            path: d.embeddingsPath.trim(),
            ...(d.embeddingsIds.trim() ? { ids: d.embeddingsIds.trim() } : {}),
            ...(d.embeddingsKey.trim() ? { key: d.embeddingsKey.trim() } : {}),
          },
        }
      : {}),
    target: { column: d.targetColumn.trim(), transform: d.transform },
    ...(Object.keys(filter).length ? { filter } : {}),
    ...(d.dedupe ? { dedupe: { by: d.dedupeBy.trim(), latest: d.dedupeLatest.trim() } } : {}),
    idColumn: d.idColumn.trim(),
    ...(d.guestColumn.trim() ? { guestColumn: d.guestColumn.trim() } : {}),
    ...(d.featureMode === 'custom' ? { features: { numeric: d.numeric, categorical: d.categorical } } : {}),
    ...(list(d.leakage).length ? { leakage: list(d.leakage) } : {}),
    ...(list(d.leakageAllow).length ? { leakageAllow: list(d.leakageAllow) } : {}),
  };
}

/** The whole config a run gets: the same JSON `framelab suite train --config FILE` reads. */
export function buildConfig(d: SuiteDraft): Record<string, unknown> {
  const epochs = Number(d.mlpMaxEpochs);
  const usesGroups = d.splitKind === 'group' || d.splitKind === 'group_kfold';
  return {
    ...(d.name.trim() ? { name: d.name.trim() } : {}),
    ...(list(d.tags).length ? { tags: [...new Set(list(d.tags))] } : {}),
    ...dataConfig(d),
    split: {
      kind: d.splitKind,
      ...(d.splitKind === 'kfold' || d.splitKind === 'group_kfold' ? { k: d.k } : { ratios: d.ratios }),
      seed: d.splitSeed,
      ...(d.splitKind === 'time' ? { timeColumn: d.timeColumn.trim() } : {}),
      ...(usesGroups && d.groupColumn.trim() ? { groupColumn: d.groupColumn.trim() } : {}),
    },
    models: d.models,
    rankMetric: d.rankMetric,
    bootstrap: d.bootstrap,
    ...(d.mlpMaxEpochs.trim() && Number.isInteger(epochs) && epochs > 0 ? { mlp: { maxEpochs: epochs } } : {}),
    seed: d.seed,
  };
}
