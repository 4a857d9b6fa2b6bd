import { describe, expect, it } from 'vitest';
import { parseRange, rangeResponse } from './http-range.js';

describe('parseRange', () => {
  it('reads single byte ranges, open ends and suffixes', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'partial', start: 0, end: 999 });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ kind: 'partial', start: 990, end: 999 });
  });

  it('says unsatisfiable past the end or for a reversed range', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=50-10', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores absent, malformed and multi-range headers (whole file)', () => {
    for (const header of [undefined, null, '', 'items=0-1', 'bytes=0-1,5-9', 'bytes=a-b', 'bytes=-']) {
      expect(parseRange(header, 1000), String(header)).toEqual({ kind: 'full' });
    }
  });
});

describe('rangeResponse', () => {
  it('builds 206, 416 and 200 answers with matching headers', () => {
    expect(rangeResponse('bytes=10-19', 100, 'video/mp4')).toEqual({
      status: 206,
      headers: { 'Accept-Ranges': 'bytes', 'Content-Type': 'video/mp4', 'Content-Range': 'bytes 10-19/100', 'Content-Length': '10' },
      body: { start: 10, end: 19 },
    });
    expect(rangeResponse('bytes=100-', 100, 'video/mp4')).toMatchObject({
      status: 416,
      headers: { 'Content-Range': 'bytes */100' },
      body: null,
    });
    expect(rangeResponse(undefined, 100, 'video/mp4')).toMatchObject({
      status: 200,
      headers: { 'Content-Length': '100' },
      body: { start: 0, end: 99 },
    });
  });
});
