/**
 * The Analysis plots as pure functions returning SVG strings (issue 18): the run folder's
 * figures (src/main/core/analysis/plots.ts writes them and their PNGs) and the Analysis
 * screen draw the same ones. Pass `theme: 'inherit'` inline in the app.
 */
export { coefficientPlot, modelLabel, pairwiseScreenPlot, type CoefficientPlotOptions } from './coefficientPlot';
export { comparisonChart, COMPARISON_METRIC_LABELS, COMPARISON_MODEL_LABELS } from './comparisonChart';
export { contourSegments, type Segment } from './contours';
export { pdpHeatmap, sliceLabel, viridis, type PdpHeatmapInput, type PdpHeatmapOptions } from './pdpHeatmap';
export { groupSlopes, rangeFromMeanSd, simpleSlopesPlot, type PredictorRange, type SimpleSlopesOptions } from './simpleSlopesPlot';
export type { PlotOptions, PlotTheme } from './svg';
export { namePart, runFigures, type Figure, type FigureKind, type RunFiguresOptions, type SlopeRanges } from './runFigures';
