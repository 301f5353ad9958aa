import type { ModalityBlock } from './modalities';
import type { Table } from './table';

/**
 * The prepared data's shapes: what prepareData hands the model families (SuiteData) and what
 * each row offers the preprocessing pipeline (FeatureSource). They live with the data so the
 * data layer never imports the models.
 */

/** What a row offers the pipeline: its table row plus its embedding vector (if any). */
export interface FeatureSource {
  table: Table;
  /** n × d row-major; null when the run has no embeddings. */
  embeddings: Float64Array | null;
  embeddingDim: number;
  /** Extra numeric columns computed per run (e.g. out-of-fold guest means), by name. */
  extra?: Map<string, Float64Array>;
  /** Per-modality vectors (video, audio, text) for the gated-fusion model, when configured. */
  modalities?: ModalityBlock[];
}

/** The rows a suite run trains and scores on (prepareData's result, handed to every model family). */
export interface SuiteData {
  src: FeatureSource;
  ids: string[];
  /** The transformed target (log1p of views by default). */
  y: Float64Array;
  /** Guest (channel) of each row; null when the run has no guest column. */
  guests: string[] | null;
  features: { numeric: string[]; categorical: string[] };
}
