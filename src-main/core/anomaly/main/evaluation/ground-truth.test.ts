import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readFrameTruthFile,
  readIntervalTruthFile,
  truthFromIntervalCsv,
  truthFromNpy,
  truthFromText,
  videoResolver,
  type TruthVideo,
} from './ground-truth.js';
import { apiErrorOf } from './api-error-of.fixture.js';

const ones = (frames: Uint8Array | undefined): number[] =>
  [...(frames ?? [])].flatMap((v, i) => (v === 1 ? [i] : []));

/** A .npy file built byte by byte: version 1 header padded to 64 bytes, as numpy writes it. */
function npyBytes(descr: string, shape: string, data: Uint8Array, version = 1): Uint8Array {
  const lengthSize = version === 1 ? 2 : 4;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 8 + lengthSize + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(8 + lengthSize + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), 8 + lengthSize);
  out.set(data, 8 + lengthSize + header.length);
  return out;
}

const PYTHON = '/usr/bin/python3';
const hasNumpy = fs.existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vssl-truth-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('truthFromIntervalCsv', () => {
  const a: TruthVideo = { path: '/v/a.mp4', timing: { fps: 10, frameCount: 20, startTime: 0 } };
  const b: TruthVideo = { path: '/v/b.mp4', timing: { fps: 5, frameCount: 10, startTime: 0.5 } };
  // Variable frame rate: the probed times decide, not i / fps.
  const c: TruthVideo = {
    path: '/v/c.mp4',
    timing: { fps: 6, frameCount: 6, startTime: 0, frameTimes: [0, 0.1, 0.3, 0.35, 0.6, 1.0] },
  };
  const ntsc: TruthVideo = { path: '/v/ntsc.mp4', timing: { fps: 30000 / 1001, frameCount: 100, startTime: 0 } };
  const idle: TruthVideo = { path: '/v/idle.mp4', timing: { fps: 25, frameCount: 4, startTime: 0 } };
  const videos = [a, b, c, ntsc, idle];
  const options = { name: 'truth.csv', resolve: videoResolver(videos, '/v'), videos };

  it('marks the frames whose start time is in [start, end), per video', () => {
    const truth = truthFromIntervalCsv(
      [
        'path,start,end',
        'a.mp4,0.5,1.0', // frames 5–9 (1.0 is the start of frame 10, excluded)
        '/v/a.mp4,1.7,5', // frames 17–19: an end past the video just runs to its end
        'b.mp4,0.3,0.5', // frames start at 0, 0.2, 0.4, …: only frame 2 (seconds from the first frame)
        'c.mp4,0.3,0.6', // frame times 0.3 and 0.35; 0.6 is excluded
        '"ntsc.mp4",1.001,1.1', // frame 30 starts at 30 · 1001 / 30000 = 1.001 s, give or take float noise
      ].join('\n'),
      options,
    );
    expect([...truth.keys()].sort()).toEqual(videos.map((v) => v.path).sort());
    expect(ones(truth.get(a.path))).toEqual([5, 6, 7, 8, 9, 17, 18, 19]);
    expect(truth.get(a.path)?.length).toBe(20);
    expect(ones(truth.get(b.path))).toEqual([2]);
    expect(ones(truth.get(c.path))).toEqual([2, 3]);
    expect(ones(truth.get(ntsc.path))).toEqual([30, 31, 32]);
    // A video no row names is all normal.
    expect([...(truth.get(idle.path) ?? [])]).toEqual([0, 0, 0, 0]);
  });

  it('accepts any column order, a BOM, CRLF and blank lines', () => {
    const truth = truthFromIntervalCsv('\uFEFFEnd, Start ,PATH\r\n\r\n0.3,0.1,a.mp4\r\n', options);
    expect(ones(truth.get(a.path))).toEqual([1, 2]);
  });

  it('rejects a file without the path,start,end header', () => {
    expect(apiErrorOf(() => truthFromIntervalCsv('video,from,to\na.mp4,1,2\n', options)).message).toBe(
      'truth.csv: the first line must be the header path,start,end (line 1 is “video,from,to”).',
    );
    expect(apiErrorOf(() => truthFromIntervalCsv('path,start,end,label\n', options)).message).toContain(
      'line 1 is “path,start,end,label”',
    );
    expect(apiErrorOf(() => truthFromIntervalCsv('', options)).message).toContain('(the file is empty)');
  });

  it('names the line and the field of every malformed row', () => {
    const error = apiErrorOf(() =>
      truthFromIntervalCsv(
        [
          'path,start,end',
          'a.mp4,abc,2', // line 2
          'a.mp4,3,2', // line 3
          'a.mp4,-1,2', // line 4
          'nowhere.mp4,1,2', // line 5
          'a.mp4,1,2,3', // line 6
          'b.mp4,2.5,3', // line 7: b lasts 10 frames at 5 fps = 2 s
          'a.mp4,0.01,0.05', // line 8: between the starts of frames 0 and 1
          ',1,2', // line 9
          'a.mp4,1', // line 10
        ].join('\n'),
        options,
      ),
    );
    expect(error.code).toBe('INVALID_PARAMS');
    expect(error.message).toBe(
      'truth.csv has problems: line 2: start “abc” is not a number; line 3: end 2 is not after start 3; ' +
        'line 4: start -1 is negative; line 5: no video matches the path “nowhere.mp4”; ' +
        'line 6: expected 3 fields (path,start,end), found 4 (quote paths that contain commas); and 4 more.',
    );
    const late = apiErrorOf(() => truthFromIntervalCsv('path,start,end\nb.mp4,2.5,3\n', options));
    expect(late.message).toBe(
      'truth.csv has a problem: line 2: the interval starts at 2.5 s, after the end of b.mp4 (2 s, 10 frames).',
    );
    const empty = apiErrorOf(() => truthFromIntervalCsv('path,start,end\na.mp4,0.01,0.05\n', options));
    expect(empty.message).toContain("line 2: the interval [0.01 s, 0.05 s) holds no frame's start time");
    expect(apiErrorOf(() => truthFromIntervalCsv('path,start,end\n,1,2\n', options)).message).toContain('line 2: path is empty');
    expect(apiErrorOf(() => truthFromIntervalCsv('path,start,end\na.mp4,1\n', options)).message).toBe(
      'truth.csv has a problem: line 2: expected 3 fields (path,start,end), found 2.',
    );
  });

  it('refuses to guess between videos that share a file name', () => {
    const twins: TruthVideo[] = [
      { path: '/x/a.mp4', timing: a.timing },
      { path: '/y/a.mp4', timing: a.timing },
    ];
    const resolve = videoResolver(twins, '/elsewhere');
    expect(apiErrorOf(() => resolve('a.mp4')).message).toBe(
      'The ground truth names “a.mp4”, which could be any of /x/a.mp4, /y/a.mp4; write the path so that it names one video.',
    );
    expect(resolve('/y/a.mp4')).toBe(twins[1]);
    expect(videoResolver(twins, '/x')('a.mp4')).toBe(twins[0]);
  });

  it('reads a csv file, resolving paths relative to its folder', () => {
    const videosDir = path.join(dir, 'clips');
    const v: TruthVideo = { path: path.join(videosDir, 'walk.mp4'), timing: { fps: 4, frameCount: 8, startTime: 0 } };
    const file = path.join(dir, 'intervals.csv');
    fs.writeFileSync(file, 'path,start,end\nclips/walk.mp4,0.5,1\n');
    expect(ones(readIntervalTruthFile(file, [v]).get(v.path))).toEqual([2, 3]);
  });
});

describe('truthFromText', () => {
  it('reads 0/1 separated by whitespace, commas and line breaks', () => {
    const truth = truthFromText('0 1  1\n0,1,\r\n\n1\t0\n', 'truth.txt');
    expect([...truth]).toEqual([0, 1, 1, 0, 1, 1, 0]);
    expect(truthFromText('1.0, 0.0', 'x.txt')).toEqual(Uint8Array.from([1, 0]));
  });

  it('names the line and value that is not 0 or 1, and empty values between commas', () => {
    expect(apiErrorOf(() => truthFromText('0 1\n1 2 0\n', 'truth.txt')).message).toBe(
      'truth.txt has a problem: line 2, value 2: “2” is not 0 or 1.',
    );
    expect(apiErrorOf(() => truthFromText('0,,1', 'truth.txt')).message).toBe(
      'truth.txt has a problem: line 1: an empty value before comma 2.',
    );
    expect(apiErrorOf(() => truthFromText('yes', 'truth.txt')).message).toContain('“yes” is not 0 or 1');
  });

  it('says both lengths when the file does not match the video', () => {
    expect(apiErrorOf(() => truthFromText('0 1 1', 'truth.txt', 5)).message).toBe(
      'truth.txt has 3 frame values but the video has 5 frames.',
    );
    expect(truthFromText('0 1 1', 'truth.txt', 3)).toEqual(Uint8Array.from([0, 1, 1]));
  });
});

describe('truthFromNpy', () => {
  it('reads hand-built bool, uint8, int32, float32 and float64 arrays (format v1 and v2)', () => {
    expect([...truthFromNpy(npyBytes('|b1', '(4,)', Uint8Array.from([0, 1, 1, 0])), 't.npy')]).toEqual([0, 1, 1, 0]);
    expect([...truthFromNpy(npyBytes('|u1', '(3,)', Uint8Array.from([1, 0, 1]), 2), 't.npy')]).toEqual([1, 0, 1]);
    const int32 = new Uint8Array(Int32Array.from([0, 0, 1]).buffer);
    expect([...truthFromNpy(npyBytes('<i4', '(3,)', int32), 't.npy', 3)]).toEqual([0, 0, 1]);
    const f32 = new Uint8Array(Float32Array.from([1, 0]).buffer);
    expect([...truthFromNpy(npyBytes('<f4', '(2,)', f32), 't.npy')]).toEqual([1, 0]);
    const f64 = new Uint8Array(Float64Array.from([0, 1, 0]).buffer);
    expect([...truthFromNpy(npyBytes('<f8', '(3,)', f64), 't.npy')]).toEqual([0, 1, 0]);
    const f16 = new Uint8Array(Uint16Array.from([0x3c00, 0x0000]).buffer); // 1.0, 0.0 as half floats
    expect([...truthFromNpy(npyBytes('<f2', '(2,)', f16), 't.npy')]).toEqual([1, 0]);
  });

  it('rejects values other than 0/1, other shapes, big-endian and object arrays, and bad bytes', () => {
    const half = new Uint8Array(Float32Array.from([0, 0.5]).buffer);
    expect(apiErrorOf(() => truthFromNpy(npyBytes('<f4', '(2,)', half), 't.npy')).message).toBe(
      't.npy: frame 1 has the value 0.5; ground truth must be 0 or 1.',
    );
    expect(apiErrorOf(() => truthFromNpy(npyBytes('|u1', '(2, 2)', new Uint8Array(4)), 't.npy')).message).toBe(
      't.npy is not a NumPy array file we can read: ground truth must be a 1-D array with one value per frame, but its shape is (2, 2).',
    );
    expect(apiErrorOf(() => truthFromNpy(npyBytes('>f4', '(1,)', new Uint8Array(4)), 't.npy')).message).toContain(
      'its dtype >f4 is big-endian',
    );
    expect(apiErrorOf(() => truthFromNpy(npyBytes('|O', '(1,)', new Uint8Array(8)), 't.npy')).message).toContain(
      'pickled',
    );
    expect(apiErrorOf(() => truthFromNpy(npyBytes('<c8', '(1,)', new Uint8Array(8)), 't.npy')).message).toContain(
      'its dtype <c8 is not bool, an integer or a float',
    );
    expect(apiErrorOf(() => truthFromNpy(npyBytes('|u1', '(5,)', new Uint8Array(3)), 't.npy')).message).toBe(
      't.npy is not a NumPy array file we can read: its header promises 5 values of 1 byte (5 bytes) but 3 bytes follow.',
    );
    expect(apiErrorOf(() => truthFromNpy(new TextEncoder().encode('0 1 0 1 1 0 0 1'), 't.npy')).message).toContain(
      'it does not start with \\x93NUMPY',
    );
    expect(apiErrorOf(() => truthFromNpy(npyBytes('|u1', '(3,)', Uint8Array.from([0, 1, 1])), 't.npy', 4)).message).toBe(
      't.npy has 3 frame values but the video has 4 frames.',
    );
  });

  it.skipIf(!hasNumpy)('reads real .npy files written by numpy (bool, uint8, int64, float32, v2 format)', () => {
    const script = [
      'import numpy as np, sys',
      'd = sys.argv[1]',
      't = [0, 1, 1, 0, 0, 1, 0]',
      "np.save(d + '/bool.npy', np.array(t, dtype=bool))",
      "np.save(d + '/uint8.npy', np.array(t, dtype=np.uint8))",
      "np.save(d + '/int64.npy', np.array(t, dtype=np.int64))",
      "np.save(d + '/float32.npy', np.array(t, dtype=np.float32))",
      "with open(d + '/v2.npy', 'wb') as f: np.lib.format.write_array(f, np.array(t, dtype=np.float64), version=(2, 0))",
      "np.save(d + '/grid.npy', np.zeros((2, 3), dtype=np.uint8))",
    ].join('\n');
    execFileSync(PYTHON, ['-c', script, dir]);
    for (const name of ['bool', 'uint8', 'int64', 'float32', 'v2']) {
      expect([...readFrameTruthFile(path.join(dir, `${name}.npy`), 7)], name).toEqual([0, 1, 1, 0, 0, 1, 0]);
    }
    expect(apiErrorOf(() => readFrameTruthFile(path.join(dir, 'grid.npy'))).message).toContain('its shape is (2, 3)');
    expect(apiErrorOf(() => readFrameTruthFile(path.join(dir, 'uint8.npy'), 9)).message).toBe(
      'uint8.npy has 7 frame values but the video has 9 frames.',
    );
  });
});

describe('readFrameTruthFile', () => {
  it('reads .txt files and refuses other extensions and missing files', () => {
    const txt = path.join(dir, 'frames.txt');
    fs.writeFileSync(txt, '0\n1\n1\n');
    expect([...readFrameTruthFile(txt, 3)]).toEqual([0, 1, 1]);
    const mat = path.join(dir, 'frames.mat');
    fs.writeFileSync(mat, '');
    const unsupported = apiErrorOf(() => readFrameTruthFile(mat));
    expect(unsupported.code).toBe('UNSUPPORTED');
    expect(unsupported.message).toBe(
      'frames.mat: per-frame ground truth must be a .npy or .txt file (intervals in seconds go in a .csv).',
    );
    const missing = apiErrorOf(() => readFrameTruthFile(path.join(dir, 'none.npy')));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('file not found');
  });
});
