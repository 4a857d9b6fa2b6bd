import { describe, expect, it } from 'vitest';
import { componentPixels, dilateSquare, labelComponents } from './binary-mask.js';

/** A mask from rows of '.' and '#'. */
function mask(rows: string[]): { bits: Uint8Array; width: number; height: number } {
  const width = rows[0]!.length;
  const bits = Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0));
  return { bits, width, height: rows.length };
}

function draw(bits: Uint8Array, width: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < bits.length; i += width) rows.push(Array.from(bits.subarray(i, i + width), (b) => (b ? '#' : '.')).join(''));
  return rows;
}

describe('dilateSquare', () => {
  it('grows each set pixel into a (2r+1)² square, cut at the border', () => {
    const m = mask(['......', '....#.', '......', '......', '#.....']);
    expect(draw(dilateSquare(m.bits, m.width, m.height, 1), m.width)).toEqual(['...###', '...###', '...###', '##....', '##....']);
  });

  it('with radius 2 on a 1-pixel-wide line, and radius 0 as a copy', () => {
    const m = mask(['.......', '...#...', '.......']);
    expect(draw(dilateSquare(m.bits, m.width, m.height, 2), m.width)).toEqual(['.#####.', '.#####.', '.#####.']);
    const copy = dilateSquare(m.bits, m.width, m.height, 0);
    expect(copy).toEqual(m.bits);
    expect(copy).not.toBe(m.bits);
  });
});

describe('labelComponents', () => {
  it('joins diagonal neighbours (8-connectivity), numbers blobs in raster order', () => {
    const m = mask(['#....#', '.#...#', '..#...', '......', '##..#.']);
    const { labels, count } = labelComponents(m.bits, m.width, m.height);
    expect(count).toBe(4);
    expect(Array.from(labels)).toEqual([1, 0, 0, 0, 0, 2, 0, 1, 0, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 4, 0]);
  });

  it('counts the pixels of another mask per blob and their bounds', () => {
    const blobs = mask(['###...', '###..#', '......']);
    const counted = mask(['#.....', '..#...', '......']);
    const stats = componentPixels(labelComponents(blobs.bits, blobs.width, blobs.height), counted.bits, blobs.width);
    expect(stats).toEqual([
      { pixels: 2, minX: 0, minY: 0, maxX: 2, maxY: 1 },
      { pixels: 0, minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity },
    ]);
  });
});
