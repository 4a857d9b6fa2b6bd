import { describe, expect, it } from 'vitest';
import { csvLine, formatSeconds, readCsv } from './csv-text.js';
import { findJsonSyntaxError } from './json-syntax.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('RFC 4180 CSV', () => {
  it('reads back exactly the fields it writes, whatever they hold', () => {
    const random = rng(4180);
    const alphabet = [...'ab, "\r\n\tx,é"'];
    for (let n = 0; n < 500; n++) {
      const records = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
          Array.from({ length: Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
        ),
      );
      // A record of one empty field is a blank line, which readers skip (a quoted one is kept).
      const kept = records.filter((r) => !(r.length === 1 && r[0] === ''));
      const text = records.map(csvLine).join(random() < 0.5 ? '\n' : '\r\n');
      const read = readCsv(text);
      expect(read.problems, JSON.stringify(text)).toEqual([]);
      expect(read.records.map((r) => r.fields), JSON.stringify(text)).toEqual(kept);
    }
  });

  it('numbers records by the line they start on and names the broken ones', () => {
    const { records, problems } = readCsv('h1,h2\n"multi\nline",2\n\n"ok" ,3\n"bad"x,4\n"open,5\nrest\n');
    expect(records).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['multi\nline', '2'] },
      { line: 5, fields: ['ok', '3'] },
    ]);
    expect(problems).toEqual([
      { line: 6, reason: expect.stringContaining('unexpected text after a closing quote (field 1)') },
      { line: 7, reason: 'a quoted field opened on this line never closes, so lines 7–9 could not be read' },
    ]);
  });

  it('writes seconds short, exact to the microsecond', () => {
    expect(formatSeconds(60 / (30000 / 1001))).toBe('2.002');
    expect(formatSeconds(1 / 3)).toBe('0.333333');
    expect(formatSeconds(-0.0000001)).toBe('0');
    expect(formatSeconds(12)).toBe('12');
  });
});

describe('JSON syntax errors', () => {
  it('agrees with JSON.parse on what is JSON, for valid documents and thousands of broken ones', () => {
    const random = rng(8259);
    const valid = [
      '{"database": {"a": {"annotations": [{"segment": [0.5, 2e1], "label": "x\\"y\\u00e9"}]}}}',
      '[{"data": {"video": "/a.mp4", "fps": -29.97}, "annotations": [], "ok": [true, false, null]}]',
      ' [ [ [ ] ] , { } , "" , 0 , -0.0E+2 ] ',
    ];
    const alphabet = [...'{}[]",:0123456789-+.eE truefalsn\\u\n\t'];
    for (const text of valid) expect(findJsonSyntaxError(text)).toBeNull();
    for (let n = 0; n < 3000; n++) {
      const base = valid[n % valid.length]!;
      const at = Math.floor(random() * base.length);
      const text =
        n % 3 === 0
          ? base.slice(0, at)
          : base.slice(0, at) + alphabet[Math.floor(random() * alphabet.length)] + base.slice(at + (n % 2));
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      const error = findJsonSyntaxError(text);
      expect(error === null, JSON.stringify(text)).toBe(parses);
      if (error) expect(error.offset).toBeLessThanOrEqual(text.length);
    }
  });

  it('says where and what, and survives nesting that would overflow a recursive parser', () => {
    expect(findJsonSyntaxError('{"a": [1, 2,]}')).toEqual({ offset: 12, reason: 'unexpected “]”' });
    expect(findJsonSyntaxError('{"a" 1}')).toEqual({ offset: 5, reason: 'unexpected “1” where “:” was expected' });
    expect(findJsonSyntaxError('[1] x')).toEqual({ offset: 4, reason: 'unexpected “x” after the end of the JSON value' });
    expect(findJsonSyntaxError('"tab\there"')).toEqual({ offset: 4, reason: 'unexpected control character U+0009 inside a string' });
    expect(findJsonSyntaxError(`${'['.repeat(200_000)}`)).toEqual({ offset: 200_000, reason: 'the file ends too early' });
    expect(findJsonSyntaxError(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeNull();
  });
});
