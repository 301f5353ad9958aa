/**
 * The closing account of a batch-inference run: end-to-end and model-only frames per second
 * (model only = frames ÷ the model stage's wall time, as always), and per stage what it spent
 * working and waiting, so a user sees what bounds the run: the model (it was busy nearly all
 * the time) or what feeds it (decoding, resizing, downloading), with the figures that say so.
 */
import { RUN_BOUND, type InferTimings } from '../../../shared/infer';
import type { PipelineTimings } from './pipeline';

export interface RunFigures {
  frames: number;
  /** Wall time of the frames' part of the run (model loading excluded). */
  seconds: number;
  /** The model stage's busy wall time. */
  modelMs: number;
  workers: number;
}

/** The model busy at least this share of the run: it is what bounds it. */
const MODEL_BOUND = 0.8;

export function inferTimings(t: PipelineTimings, f: RunFigures): InferTimings {
  const wallMs = f.seconds * 1000;
  const feeding = { decode: t.decodeMs, resize: t.prepareMs, probe: t.probeMs, download: t.fetchMs };
  const worst = (Object.entries(feeding) as [keyof typeof feeding, number][]).sort((a, b) => b[1] - a[1])[0]!;
  const bound = wallMs > 0 && f.modelMs / wallMs >= MODEL_BOUND ? 'model' : worst[0];
  return {
    frames: f.frames,
    seconds: f.seconds,
    endToEndFps: f.frames / Math.max(f.seconds, 1e-3),
    modelOnlyFps: f.frames / Math.max(f.modelMs / 1000, 1e-3),
    workers: f.workers,
    bound,
    modelBusyMs: f.modelMs,
    modelIdleMs: t.modelIdleMs ?? 0,
    decodeWaitMs: t.decodeMs,
    ffmpegCpuMs: t.ffmpegCpuMs ?? 0,
    probeMs: t.probeMs,
    downloadMs: t.fetchMs,
    resizeMs: t.prepareMs,
    queueFullMs: t.queueFullMs ?? 0,
    queueWaitPerFrameMs: t.queuedFrames ? (t.queuedMs ?? 0) / t.queuedFrames : 0,
    passes: t.passes ?? 0,
    seeks: t.seeks ?? 0,
    segments: t.segments ?? 0,
    perFrame: t.perFrame,
  };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The job's closing log line (its first sentence is what bench/inferPipeline.ts reads). */
export function accountingLine(t: InferTimings): string {
  const share = t.seconds > 0 ? Math.round((100 * t.modelBusyMs) / (t.seconds * 1000)) : 0;
  const decoding = [
    `${t.passes} video(s) in one pass`,
    `${t.seeks} by seeking (${t.segments} segment(s))`,
    ...(t.perFrame ? [`${t.perFrame} frame(s) one ffmpeg each`] : []),
  ].join(', ');
  return (
    `${t.frames} frames in ${t.seconds.toFixed(1)} s: ${t.endToEndFps.toFixed(2)} frames/s end to end, ${t.modelOnlyFps.toFixed(2)} frames/s model only. ` +
    `Model: busy ${s(t.modelBusyMs)} (${share} % of the run), idle ${s(t.modelIdleMs)} waiting for frames; frames waited ${(t.queueWaitPerFrameMs / 1000).toFixed(2)} s in the queue on average. ` +
    `Workers (${t.workers}, times summed over them): waiting on ffmpeg ${s(t.decodeWaitMs)} (ffmpeg CPU ${s(t.ffmpegCpuMs)}; ${decoding}), ` +
    `resize + normalise ${s(t.resizeMs)} CPU, probe ${s(t.probeMs)}, download ${s(t.downloadMs)}, waiting for room in the queue ${s(t.queueFullMs)}. ` +
    `Bound by ${RUN_BOUND[t.bound].what} (${RUN_BOUND[t.bound].why}).`
  );
}
