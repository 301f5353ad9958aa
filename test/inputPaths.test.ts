import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSuiteConfig } from '../src/main/cli/commands/suite';
import { csvIcrReport } from '../src/main/core/icr/csvReport';
import { collectCandidates } from '../src/main/core/media/importVideos';
import { probeVideo } from '../src/main/core/media/probe';
import { loadTable } from '../src/main/core/suite/data/dataset';
import { readNpy } from '../src/main/core/suite/data/npy';
import { checkModelFolder } from '../src/main/core/suite/text/modelFolder';
import { decodeRgb } from '../src/main/core/vision/preprocess';
import { readSafetensors } from '../src/main/core/vision/weights/safetensors';
import { ZipReader } from '../src/main/core/vision/weights/zip';
import { readRegularFile, regularFile, regularFolder } from '../src/main/core/workspace/inputPaths';
import type { ImportError } from '../src/shared/media';
import { onCleanup, runCleanup, tempDir, withTimeout } from './helpers';

afterEach(runCleanup);

/**
 * A named pipe. A reader that opens it blocks until a writer comes, so a writer opens it
 * after a few seconds: a regression then fails (late, with the wrong result) rather than
 * hanging the run.
 */
function mkfifo(dir: string, name: string): string {
  const fifo = path.join(dir, name);
  fs.mkdirSync(path.dirname(fifo), { recursive: true });
  execFileSync('mkfifo', [fifo]);
  const writer = spawn('sh', ['-c', 'sleep 4; echo x > "$0"', fifo], { stdio: 'ignore' });
  onCleanup(() => void writer.kill('SIGKILL'));
  return fifo;
}

const notRegular = (file: string) =>
  expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(`${file} is not a regular file (it is a FIFO`) });

describe('every reader of a user-given path refuses what is not a regular file, before opening it', () => {
  it('the helper: FIFO, device, folder and missing paths, each named', () => {
    const dir = tempDir('paths');
    const fifo = mkfifo(dir, 'pipe');
    expect(() => regularFile(fifo, 'CSV')).toThrow(notRegular(fifo));
    expect(() => readRegularFile('/dev/zero', 'CSV')).toThrow(
      expect.objectContaining({ message: 'The CSV /dev/zero is not a regular file (it is a device); give the CSV itself.' }),
    );
    expect(() => regularFile(dir, 'CSV')).toThrow(/is not a regular file \(it is a folder\)/);
    expect(() => regularFile(path.join(dir, 'none'), 'CSV')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: `The CSV ${path.join(dir, 'none')} does not exist.` }),
    );
    expect(() => regularFolder(fifo, 'frames folder')).toThrow(/is not a folder \(it is a FIFO/);
    const file = path.join(dir, 'ok.csv');
    fs.writeFileSync(file, 'a,b\n');
    expect(readRegularFile(file, 'CSV').toString()).toBe('a,b\n');
  });

  it('video import and ffprobe: a FIFO named .mp4 is an error for that file, at once', async () => {
    const dir = tempDir('paths');
    const fifo = mkfifo(dir, 'clip.mp4');
    await expect(withTimeout(probeVideo(fifo), 3000, 'probing a FIFO')).rejects.toThrow(
      'it is not a regular file (it is a FIFO (named pipe))',
    );
    await expect(withTimeout(probeVideo('/dev/zero'), 3000, 'probing /dev/zero')).rejects.toThrow(
      'it is not a regular file (it is a device)',
    );
    const errors: ImportError[] = [];
    expect(collectCandidates({ paths: [fifo] } as never, errors)).toEqual([]);
    expect(errors).toEqual([{ path: fifo, message: 'clip.mp4: is not a regular file (it is a FIFO (named pipe))' }]);
  });

  it('weights, embeddings, tables, ICR input, images, suite configs and text model files', async () => {
    const dir = tempDir('paths');
    const fifo = (name: string) => mkfifo(dir, name);
    const pth = fifo('weights.pth');
    expect(() => ZipReader.open(pth)).toThrow(notRegular(pth));
    const st = fifo('weights.safetensors');
    expect(() => readSafetensors(st)).toThrow(notRegular(st));
    const npy = fifo('emb.npy');
    expect(() => readNpy(npy)).toThrow(notRegular(npy));
    const csv = fifo('meta.csv');
    await expect(withTimeout(loadTable({ file: csv }), 3000, 'DuckDB on a FIFO')).rejects.toThrow(notRegular(csv));
    const icr = fifo('long.csv');
    expect(() => csvIcrReport({ file: icr, dimension: 'pov', unitCol: 'frame_id', coderCol: 'coder' } as never)).toThrow(notRegular(icr));
    const image = fifo('frame.jpg');
    await expect(withTimeout(decodeRgb(image), 3000, 'decoding a FIFO image')).rejects.toThrow(notRegular(image));
    const config = fifo('suite.json');
    expect(() => readSuiteConfig(config)).toThrow(notRegular(config));
    const model = path.join(dir, 'model');
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
      fs.mkdirSync(model, { recursive: true });
      fs.writeFileSync(path.join(model, f), '{}');
    }
    const onnx = mkfifo(model, 'onnx/model.onnx');
    expect(() => checkModelFolder(model)).toThrow(notRegular(onnx));
  });
});
