import type { WorkspaceProgress } from '../../../shared/api';
import type { Area } from '../../store/appSlice';

export interface FirstRunStep {
  id: string;
  label: string;
  /** What the step asks for, and what it has so far. */
  detail: (p: WorkspaceProgress) => string;
  area: Area;
  done: (p: WorkspaceProgress) => boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The path from an empty home to a reliability report, each step ticked from the home's own counts. */
export const FIRST_RUN_STEPS: FirstRunStep[] = [
  {
    id: 'import',
    label: 'Import videos',
    detail: (p) => (p.videos ? `${plural(p.videos, 'video')} imported.` : 'Add video files or a folder on the Videos screen.'),
    area: 'videos',
    done: (p) => p.videos > 0,
  },
  {
    id: 'sample',
    label: 'Sample frames',
    detail: (p) =>
      p.frames ? `${plural(p.frames, 'frame')} sampled.` : 'Pick frames from each video (every few seconds, or K per video).',
    area: 'videos',
    done: (p) => p.frames > 0,
  },
  {
    id: 'assign',
    label: 'Add coders and assign',
    detail: (p) =>
      p.assignedFrames
        ? `${plural(p.coders, 'coder')}; ${plural(p.assignedFrames, 'frame')} assigned, ${p.overlapFrames} to two coders or more.`
        : p.coders
          ? `${plural(p.coders, 'coder')}; no frame assigned yet.`
          : 'Add two coders, then split the frames with an overlap set both of them code.',
    area: 'coders',
    done: (p) => p.assignedFrames > 0,
  },
  {
    id: 'code',
    label: 'Code',
    detail: (p) => (p.codedFrames ? `${plural(p.codedFrames, 'frame')} coded.` : 'Each coder codes their frames, one key per dimension.'),
    area: 'coding',
    done: (p) => p.codedFrames > 0,
  },
  {
    id: 'reliability',
    label: 'Reliability',
    detail: (p) =>
      p.codedByTwo
        ? `${plural(p.codedByTwo, 'frame')} coded by two coders: the report is ready.`
        : 'The report needs overlap frames coded by two coders.',
    area: 'reliability',
    done: (p) => p.codedByTwo > 0,
  },
];
