/**
 * Finds where text stops being JSON. Node 20's JSON.parse says what went wrong but not where;
 * a person fixing a hand-edited file needs the line and column. Iterative, so deeply nested
 * input cannot overflow the stack.
 */
export interface JsonSyntaxError {
  offset: number;
  reason: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function describe(ch: string | undefined): string {
  if (ch === undefined) return 'the file ends too early';
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x20 ? `unexpected control character U+${code.toString(16).padStart(4, '0')}` : `unexpected “${ch}”`;
}

/** The first syntax error in `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  // What the parser expects next, innermost last: a value, or the rest of an object/array.
  const stack: ('array' | 'object')[] = [];
  const ws = () => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  };
  const fail = (reason?: string): JsonSyntaxError => ({ offset: i, reason: reason ?? describe(text[i]) });

  const string = (): JsonSyntaxError | null => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return null;
      }
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('a \\u escape needs four hex digits');
          i += 6;
          continue;
        }
        if (next === undefined || !ESCAPES.has(next)) return fail('an unknown escape in a string');
        i += 2;
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) return fail(`${describe(ch)} inside a string`);
      i++;
    }
    return fail('a string is never closed');
  };

  // A scalar value, or the opening of a container (pushed on the stack, finished by the loop).
  const value = (): JsonSyntaxError | 'open' | null => {
    ws();
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return null;
      }
      stack.push(ch === '{' ? 'object' : 'array');
      return 'open';
    }
    if (ch === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return null;
      }
    }
    NUMBER.lastIndex = i;
    if (ch !== undefined && (ch === '-' || (ch >= '0' && ch <= '9')) && NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return null;
    }
    return fail();
  };

  // The `"key":` before a member's value.
  const key = (): JsonSyntaxError | null => {
    ws();
    if (text[i] !== '"') return fail(`${describe(text[i])} where a quoted key was expected`);
    const bad = string();
    if (bad) return bad;
    ws();
    if (text[i] !== ':') return fail(`${describe(text[i])} where “:” was expected`);
    i++;
    return null;
  };

  let expect: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    if (expect === 'value') {
      const result = value();
      if (result !== null && result !== 'open') return result;
      expect = result === 'open' ? (stack[stack.length - 1] === 'object' ? 'key' : 'value') : 'after';
    } else if (expect === 'key') {
      const bad = key();
      if (bad) return bad;
      expect = 'value';
    } else {
      const kind = stack[stack.length - 1];
      if (kind === undefined) break;
      ws();
      const close = kind === 'array' ? ']' : '}';
      if (text[i] === ',') {
        i++;
        expect = kind === 'array' ? 'value' : 'key';
      } else if (text[i] === close) {
        i++;
        stack.pop();
      } else {
        return fail(`${describe(text[i])} where “,” or “${close}” was expected`);
      }
    }
  }
  ws();
  return i < text.length ? fail(`${describe(text[i])} after the end of the JSON value`) : null;
}
