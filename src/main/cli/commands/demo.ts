import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '../../../shared/client';
import { FramelabError } from '../../../shared/errors';
import { parseCommandArgs } from '../args';
import type { Command } from '../command';
import { runJobForResult } from '../jobResult';
import { withClient } from '../session';

const USAGE = 'framelab demo [--home DIR] [--json]';

/** ffmpeg's test sources: each clip looks different, so the frames do too. */
const CLIPS = [
  { name: 'demo_001', source: 'testsrc=size=720x1280:rate=25' },
  { name: 'demo_002', source: 'testsrc2=size=720x1280:rate=25' },
  { name: 'demo_003', source: 'smptehdbars=size=720x1280:rate=25' },
];
const CLIP_SECONDS = 4;
const SAMPLE_EVERY_S = 0.5;
const CODERS = [
  { coderId: 'ana', name: 'Ana (demo coder)', role: 'coder' as const },
  { coderId: 'ben', name: 'Ben (demo coder)', role: 'coder' as const },
  { coderId: 'lead', name: 'Lead (demo)', role: 'lead' as const },
];

function generateClip(file: string, source: string): Promise<void> {
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    source,
    '-t',
    String(CLIP_SECONDS),
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    file,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.FFMPEG_PATH || 'ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) =>
      reject(
        new FramelabError(
          'CAPABILITY_MISSING',
          `The demo generates its clips with ffmpeg, which could not be run (${err.message}). Install ffmpeg or set FFMPEG_PATH.`,
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new FramelabError('INTERNAL', `ffmpeg could not generate ${path.basename(file)}: ${stderr.trim()}`)),
    );
  });
}

/** Nothing is touched when the home already holds work: the demo is for a new, empty home. */
async function refuseNonEmpty(client: Client, home: string): Promise<void> {
  const p = await client.call('workspace.progress');
  const held = [
    p.videos && `${p.videos} video${p.videos === 1 ? '' : 's'}`,
    p.frames && `${p.frames} frame${p.frames === 1 ? '' : 's'}`,
    p.coders && `${p.coders} coder${p.coders === 1 ? '' : 's'}`,
    p.codedFrames && `codes on ${p.codedFrames} frame${p.codedFrames === 1 ? '' : 's'}`,
  ].filter(Boolean);
  if (held.length) {
    throw new FramelabError(
      'CONFLICT',
      `${home} already holds ${held.join(', ')}: the demo only fills an empty home, and nothing was changed. Run it with --home pointing at a new folder, e.g. \`framelab demo --home ./framelab-demo\`.`,
    );
  }
}

/**
 * A coder's code for a frame: a fixed pattern over the codebook, so the demo is the same on
 * every machine. Ben departs from it on some overlap frames: those are the disagreements.
 */
function codesFor(
  dimensions: { name: string; categories: { value: string }[] }[],
  index: number,
  disagree: { pov: boolean; distance: boolean },
): Record<string, string> {
  const codes: Record<string, string> = {};
  for (const d of dimensions) {
    const values = d.categories.map((c) => c.value);
    if (!values.length) continue;
    let i = (index * (d.name === 'distance' ? 3 : 1) + Math.floor(index / 4)) % values.length;
    // A neighbouring category: an ordinal near-miss, the kind coders really make.
    if ((d.name === 'distance' && disagree.distance) || (d.name !== 'distance' && disagree.pov)) i = (i + 1) % values.length;
    codes[d.name] = values[i]!;
  }
  return codes;
}

export const demoCommand: Command = {
  name: 'demo',
  usage: USAGE,
  summary: 'Fill an empty home with a small demo project: clips, frames, two coders with disagreements, a gold snapshot',
  async run(args, globals) {
    parseCommandArgs(args, {}, USAGE);
    const home = globals.home;
    return withClient(globals, async (client, mode) => {
      await refuseNonEmpty(client, home);
      const clipDir = path.join(home, 'demo-clips');
      fs.mkdirSync(clipDir, { recursive: true });
      const files: string[] = [];
      for (const clip of CLIPS) {
        const file = path.join(clipDir, `${clip.name}.mp4`);
        await generateClip(file, clip.source);
        files.push(file);
      }
      const { result: imported } = await runJobForResult(client, mode, globals, 'media.import', { paths: files });
      if (imported.errors.length)
        throw new FramelabError('JOB_FAILED', `The demo clips did not import: ${imported.errors.map((e) => e.message).join('; ')}`);
      const { result: sampled } = await runJobForResult(client, mode, globals, 'frames.sample', {
        strategy: { kind: 'every', seconds: SAMPLE_EVERY_S },
      });

      for (const c of CODERS) await client.call('coders.upsert', c);
      const coderIds = CODERS.filter((c) => c.role === 'coder').map((c) => c.coderId);
      const assigned = await client.call('assignments.create', { coderIds, overlap: { fraction: 0.5, seed: 1 } });

      // Each coder codes every frame assigned to them; Ben differs from Ana on some overlap frames.
      const codebook = await client.call('codebook.get');
      const frameIndex = new Map(sampled.frames.map((f, i) => [f.frameId, i]));
      let codesSaved = 0;
      const overlapSeen: string[] = [];
      for (const coderId of coderIds) {
        const queue = await client.call('coding.queue', { coderId, filter: 'all', limit: 1000, offset: 0 });
        for (const item of queue.frames) {
          const index = frameIndex.get(item.frameId) ?? 0;
          let disagree = { pov: false, distance: false };
          if (item.overlap && coderId === 'ben') {
            const k = overlapSeen.indexOf(item.frameId) === -1 ? overlapSeen.push(item.frameId) - 1 : overlapSeen.indexOf(item.frameId);
            disagree = { pov: k % 4 === 1, distance: k % 5 === 2 };
          }
          await client.call('coding.save', { coderId, frameId: item.frameId, codes: codesFor(codebook.dimensions, index, disagree) });
          codesSaved++;
        }
      }

      // The lead settles the first dimension's disagreements (Ana's code, mostly), then freezes its gold set.
      const first = codebook.dimensions[0]!;
      const { disagreements } = await client.call('gold.disagreements', { dimension: first.name });
      let adjudicated = 0;
      for (const d of disagreements) {
        const code = d.codes.ana ?? Object.values(d.codes)[0]!;
        await client.call('gold.adjudicate', {
          frameId: d.frameId,
          dimension: first.name,
          code,
          note: 'demo: the lead sided with Ana',
          decidedBy: 'lead',
        });
        adjudicated++;
      }
      const snapshot = await client.call('gold.snapshot', { dimension: first.name });
      const open = await Promise.all(
        codebook.dimensions
          .slice(1)
          .map(async (d) => (await client.call('gold.disagreements', { dimension: d.name })).disagreements.length),
      );

      const value = {
        home,
        clips: files,
        videos: imported.imported.length,
        frames: sampled.sampled,
        coders: CODERS.map((c) => c.coderId),
        overlapFrames: assigned.overlap,
        codesSaved,
        disagreements: {
          [first.name]: disagreements.length,
          ...Object.fromEntries(codebook.dimensions.slice(1).map((d, i) => [d.name, open[i]])),
        },
        adjudicated,
        goldSnapshot: snapshot.id,
      };
      const quotedHome = /\s/.test(home) ? `"${home}"` : home;
      const text = [
        `Demo project made in ${home}:`,
        `  ${files.length} generated 720x1280 clips (${clipDir}), imported as ${value.videos} videos`,
        `  ${value.frames} frames sampled every ${SAMPLE_EVERY_S} s`,
        `  coders ana and ben (and a lead), ${assigned.overlap} overlap frames coded by both`,
        `  ${codesSaved} frames coded; ${Object.entries(value.disagreements)
          .map(([d, n]) => `${n} ${d} disagreements`)
          .join(', ')}`,
        `  ${adjudicated} ${first.name} disagreements adjudicated, gold snapshot ${snapshot.id} (${snapshot.frames} frames)`,
        '',
        'Next: open it with',
        `  npx framelab serve --home ${quotedHome}`,
        `or the desktop app: FRAMELAB_HOME=${quotedHome} npm start`,
      ].join('\n');
      return { value, text };
    });
  },
};
