/**
 * Where a run's state lives for each kind of `--out` (issue 21, item 5): a folder is its own
 * state; a gs:// output is staged under the home's cache, one folder per bucket and prefix,
 * never nested and never escaping it; `--upload` to another place than a gs:// `--out` is refused.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { outputTarget } from '../../src/main/core/infer/outputTarget';
import { expectFramelabError, runCleanup, runCli, singleJsonLine, tempDir } from '../helpers';

afterEach(runCleanup);

const HOME = '/srv/framelab-home';
const staged = (...p: string[]) => path.join(HOME, 'cache', 'infer-out', ...p);

describe('outputTarget', () => {
  it('a folder is the state; --upload makes the bucket a copy', () => {
    expect(outputTarget(HOME, { outDir: '/data/out' })).toEqual({
      stateDir: '/data/out',
      bucketUrl: null,
      bucketIsOutput: false,
      outDir: '/data/out',
    });
    expect(outputTarget(HOME, { outDir: '/data/out', uploadTo: 'gs://lab/x/' })).toMatchObject({
      stateDir: '/data/out',
      bucketUrl: 'gs://lab/x/',
      bucketIsOutput: false,
    });
  });

  it('a gs:// output is staged in the home, one folder per prefix (trailing slashes alike), and names the URL', () => {
    expect(outputTarget(HOME, { outDir: 'gs://lab-bucket/results/run1/' })).toEqual({
      stateDir: staged('lab-bucket', 'results%2Frun1'),
      bucketUrl: 'gs://lab-bucket/results/run1/',
      bucketIsOutput: true,
      outDir: 'gs://lab-bucket/results/run1/',
    });
    expect(outputTarget(HOME, { outDir: 'gs://lab-bucket/results/run1' }).stateDir).toBe(staged('lab-bucket', 'results%2Frun1'));
    expect(outputTarget(HOME, { outDir: 'gs://lab-bucket/results/run1/parts' }).stateDir).toBe(
      staged('lab-bucket', 'results%2Frun1%2Fparts'),
    );
    expect(outputTarget(HOME, { outDir: 'gs://lab-bucket' }).stateDir).toBe(staged('lab-bucket', '%2F'));
    expect(outputTarget(HOME, { outDir: 'gs://lab-bucket/..' }).stateDir).toBe(staged('lab-bucket', '%2E.'));
    expect(outputTarget(HOME, { outDir: 'gs://lab-bucket/.hidden' }).stateDir).toBe(staged('lab-bucket', '%2Ehidden'));
    // The same place given twice is fine.
    expect(outputTarget(HOME, { outDir: 'gs://lab-bucket/r', uploadTo: 'gs://lab-bucket/r/' }).bucketIsOutput).toBe(true);
  });

  it('refuses --upload elsewhere than a gs:// --out, and a bucket name that could leave the staging folder', () => {
    const twice = expectFramelabError(() => outputTarget(HOME, { outDir: 'gs://lab-bucket/r', uploadTo: 'gs://other/r' }), 'INVALID_INPUT');
    expect(twice.message).toBe(
      '--out gs://lab-bucket/r already puts the results in the bucket; --upload gs://other/r would copy them to a second place. Give one of them (or --out DIR --upload gs://…).',
    );
    expect(expectFramelabError(() => outputTarget(HOME, { outDir: 'gs://../x' }), 'INVALID_INPUT').message).toBe(
      'gs://../x: ".." is not a bucket name (lower-case letters, digits, dots, dashes, underscores).',
    );
  });

  it('the CLI refuses the same before starting anything, and `infer merge` into a bucket', async () => {
    const home = tempDir('infer-target');
    const both = await runCli([
      'infer',
      '--videos',
      home,
      '--models',
      'pov@v7',
      '--out',
      'gs://lab-a/r',
      '--upload',
      'gs://lab-b/r',
      '--home',
      home,
      '--json',
    ]);
    expect(both.code).toBe(2);
    expect(singleJsonLine(both.stderr).error).toEqual({
      code: 'INVALID_INPUT',
      message:
        '--out gs://lab-a/r already puts the results in the bucket; --upload gs://lab-b/r would copy them to a second place. Give one of them.',
    });
    const merge = await runCli(['infer', 'merge', '--out', 'gs://lab-a/r', home, '--home', home, '--json']);
    expect(singleJsonLine(merge.stderr).error.message).toBe(
      'infer merge writes to a folder, not gs://lab-a/r: give --out DIR (and upload the merged CSVs yourself).',
    );
  });
});
