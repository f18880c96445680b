import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CanonicalJsonError, MAX_DEPTH, canonicalBytes, canonicalize, parseCanonical } from './jcs.js';
import type { JsonValue } from './jcs.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const hex = (data: Uint8Array): string => Buffer.from(data).toString('hex');
/** Lets a test hand canonicalize a value its type forbids, to check the runtime guard. */
const unchecked = (value: unknown): JsonValue => value as JsonValue;

function expectCanonicalError(run: () => unknown, message: string | RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CanonicalJsonError);
  if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
  else expect((thrown as Error).message).toMatch(message);
}

describe('canonicalize: RFC 8785 examples within the integer-only subset', () => {
  it('sorts member names by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh",' +
        '"1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control",' +
        '"\\u00f6":"Latin Small Letter O With Diaeresis"}',
    ) as JsonValue;
    // U+1F600 is the pair D83D DE00, so it sorts before U+FB33 although its code point is larger.
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('escapes strings as RFC 8785 §3.2.2.2 shows', () => {
    const input = JSON.parse('{"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/"}') as JsonValue;
    const expected = '{"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';
    expect(canonicalize(input)).toBe(expected);
    // The UTF-8 bytes, as in the reference implementation's README (euro sign: e2 82 ac).
    expect(hex(canonicalBytes(input))).toBe('7b22737472696e67223a22e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d');
  });

  it('writes literals as RFC 8785 §3.2.2.1 shows', () => {
    expect(canonicalize(JSON.parse('{"literals": [null, true, false]}') as JsonValue)).toBe('{"literals":[null,true,false]}');
  });

  it("sorts recursively and keeps array order (the reference implementation's structures.json)", () => {
    const input = JSON.parse(
      '{"1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0}, "10": { }, "": "empty", "a": { }, "111": [ { } ], "A": { }}',
    ) as JsonValue;
    expect(canonicalize(input)).toBe('{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}');
  });

  it('refuses the RFC 8785 §3.2.2 example as a whole, because of its floats', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "literals": [null, true, false]}',
    ) as JsonValue;
    expectCanonicalError(() => canonicalize(input), 'numbers[0]: floats are not allowed');
  });

  it('escapes the 32 control characters as ECMAScript JSON.stringify does, and nothing else', () => {
    const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
    for (let unit = 0; unit < 0x20; unit++) {
      const expected = short[unit] ?? `\\u00${unit.toString(16).padStart(2, '0')}`;
      expect(canonicalize(String.fromCharCode(unit))).toBe(`"${expected}"`);
    }
    expect(canonicalize('"\\')).toBe('"\\"\\\\"');
    // Not escaped: DEL, '/', U+2028/U+2029 (JSON.stringify leaves them; RFC 8785 follows it), emoji.
    expect(canonicalize('\u007f/\u2028\u2029\ud83d\ude00')).toBe('"\u007f/\u2028\u2029\ud83d\ude00"');
    expect(hex(canonicalBytes('\u2028'))).toBe('22e280a822');
    expect(hex(canonicalBytes('\ud83d\ude00'))).toBe('22f09f988022');
  });

  it('writes safe integers as plain decimal digits', () => {
    expect(canonicalize([0, 1, -1, 1e15, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])).toBe(
      '[0,1,-1,1000000000000000,9007199254740991,-9007199254740991]',
    );
  });

  it('accepts objects with a null prototype', () => {
    const bare = Object.create(null) as Record<string, JsonValue>;
    bare.b = 2;
    bare.a = 1;
    expect(canonicalize(bare)).toBe('{"a":1,"b":2}');
  });
});

class Visit {
  readonly minutes = 30;
}

describe('canonicalize: values outside the set are refused, naming the path', () => {
  it.each<[string, unknown, string]>([
    ['a float', { body: { minutes: 1.5 } }, 'body.minutes: floats are not allowed'],
    ['-0', { at: -0 }, 'at: -0 is not allowed'],
    ['NaN', [NaN], '[0]: NaN and Infinity are not allowed'],
    ['Infinity', { a: [1, Infinity] }, 'a[1]: NaN and Infinity are not allowed'],
    ['-Infinity', -Infinity, '(root): NaN and Infinity are not allowed'],
    ['2^53', { seq: 2 ** 53 }, 'seq: integers beyond ±(2^53−1) are not allowed'],
    ['-(2^53)', { seq: -(2 ** 53) }, 'seq: integers beyond ±(2^53−1) are not allowed'],
    ['1e30', 1e30, '(root): integers beyond ±(2^53−1) are not allowed'],
    ['undefined', { by: undefined }, 'by: undefined is not allowed'],
    ['a hole in an array', [1, , 3], '[1]: undefined is not allowed'], // eslint-disable-line no-sparse-arrays -- the hole is the point
    ['a function', { f: () => 1 }, 'f: function is not allowed'],
    ['a bigint', { n: 1n }, 'n: bigint is not allowed'],
    ['a symbol', [Symbol('s')], '[0]: symbol is not allowed'],
    ['a Date', { at: new Date(0) }, 'at: Date objects are not allowed (only plain objects and arrays)'],
    ['a Map', new Map(), '(root): Map objects are not allowed (only plain objects and arrays)'],
    ['a boxed number', { n: Object(1) as unknown }, 'n: Number objects are not allowed (only plain objects and arrays)'],
    ['bytes', { b: new Uint8Array(2) }, 'b: Uint8Array objects are not allowed (only plain objects and arrays)'],
    ['a class instance', { x: new Visit() }, 'x: Visit objects are not allowed (only plain objects and arrays)'],
    [
      'an object with a custom prototype',
      Object.create({ inherited: 1 }) as unknown,
      '(root): objects with a custom prototype are not allowed (only plain objects and arrays)',
    ],
    ['a symbol-keyed property', { [Symbol('k')]: 1 }, '(root): symbol-keyed properties are not allowed'],
    ['a lone high surrogate', { note: 'ok\ud800' }, 'note: strings must be well-formed Unicode (lone surrogate U+D800 at index 2)'],
    ['a lone low surrogate', ['\udc00x'], '[0]: strings must be well-formed Unicode (lone surrogate U+DC00 at index 0)'],
    ['a reversed pair', '\ude00\ud83d', '(root): strings must be well-formed Unicode (lone surrogate U+DE00 at index 0)'],
    ['a lone surrogate in a name', { 'a\udbff': 1 }, '["a\\udbff"]: member names must be well-formed Unicode (lone surrogate U+DBFF at index 1)'],
    ['a float under an odd name', { 'a b': { c: [{ d: 0.5 }] } }, '["a b"].c[0].d: floats are not allowed'],
  ])('refuses %s', (_what, value, message) => {
    expectCanonicalError(() => canonicalize(unchecked(value)), message);
    expectCanonicalError(() => canonicalBytes(unchecked(value)), message);
  });

  it('refuses cycles', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { back: loop };
    expectCanonicalError(() => canonicalize(unchecked(loop)), 'self.back: circular reference');
  });

  it('allows the same object twice when it is not its own ancestor', () => {
    const shared = { x: 1 };
    expect(canonicalize({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });

  it(`allows ${MAX_DEPTH} levels of nesting and refuses one more`, () => {
    const nest = (levels: number): JsonValue => {
      let value: JsonValue = 0;
      for (let i = 0; i < levels; i++) value = [value];
      return value;
    };
    expect(canonicalize(nest(MAX_DEPTH))).toBe('['.repeat(MAX_DEPTH) + '0' + ']'.repeat(MAX_DEPTH));
    expectCanonicalError(() => canonicalize(nest(MAX_DEPTH + 1)), /nesting deeper than 64 levels is not allowed$/);
    const deep = utf8('['.repeat(100_000) + ']'.repeat(100_000));
    expectCanonicalError(() => parseCanonical(deep), /nesting deeper than 64 levels/);
  });

  it('exposes path and reason separately', () => {
    try {
      canonicalize({ body: { minutes: 0.5 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CanonicalJsonError);
      expect(error).toMatchObject({ name: 'CanonicalJsonError', path: 'body.minutes', reason: 'floats are not allowed' });
    }
  });
});

describe('parseCanonical', () => {
  it('returns the value of canonical bytes', () => {
    expect(parseCanonical(utf8('{"a":1,"b":[true,null,"\u00e9\\n"]}'))).toEqual({ a: 1, b: [true, null, '\u00e9\n'] });
    expect(parseCanonical(utf8('-9007199254740991'))).toBe(-9007199254740991);
    expect(parseCanonical(utf8('"x"'))).toBe('x');
  });

  it('reads a subarray by its own bounds', () => {
    const buffer = utf8('xx{"a":1}yy');
    expect(parseCanonical(buffer.subarray(2, 9))).toEqual({ a: 1 });
  });

  it.each<[string, string]>([
    ['a duplicate member name', '{"a":1,"a":1}'],
    ['a duplicate name with a different value', '{"a":1,"a":2}'],
    ['a space after the colon', '{"a": 1}'],
    ['a trailing newline', '{"a":1}\n'],
    ['leading whitespace', ' 1'],
    ['unsorted members', '{"b":1,"a":2}'],
    ['members sorted by code point rather than UTF-16', '{"\ufb33":1,"\ud83d\ude00":2}'],
    ['1.0', '{"n":1.0}'],
    ['1e3', '1e3'],
    ['a positive exponent', '1E+2'],
    ['a needless \\u escape', '"\\u0041"'],
    ['an escaped solidus', '"\\/"'],
    ['an escaped non-ASCII character', '"\\u00e9"'],
    ['an uppercase hex escape', '"\\u001F"'],
    ['\\u escape where a short one exists', '"\\u000a"'],
  ])('refuses %s as not canonical', (_what, text) => {
    expectCanonicalError(() => parseCanonical(utf8(text)), /^not in canonical form \(first difference at byte \d+\)$/);
  });

  it('points at the first differing byte', () => {
    expectCanonicalError(() => parseCanonical(utf8('{"a": 1}')), 'not in canonical form (first difference at byte 5)');
  });

  it.each<[string, string, string]>([
    ['-0', '-0', '(root): -0 is not allowed'],
    ['a float', '{"minutes":1.5}', 'minutes: floats are not allowed'],
    ['an unsafe integer', '[9007199254740992]', '[0]: integers beyond ±(2^53−1) are not allowed'],
    ['an escaped lone surrogate', '"\\ud800"', '(root): strings must be well-formed Unicode (lone surrogate U+D800 at index 0)'],
  ])('refuses %s as outside the value set', (_what, text, message) => {
    expectCanonicalError(() => parseCanonical(utf8(text)), message);
  });

  it.each<[string, number[], string | RegExp]>([
    ['a byte order mark', [0xef, 0xbb, 0xbf, 0x31], 'a byte order mark is not allowed'],
    ['an invalid byte', [0x22, 0xff, 0x22], 'not valid UTF-8'],
    ['an overlong encoding of "/"', [0x22, 0xc0, 0xaf, 0x22], 'not valid UTF-8'],
    ['a UTF-8-encoded surrogate (CESU-8)', [0x22, 0xed, 0xa0, 0x80, 0x22], 'not valid UTF-8'],
    ['a truncated sequence', [0x22, 0xe2, 0x82, 0x22], 'not valid UTF-8'],
    ['empty input', [], /^not valid JSON/],
    ['trailing garbage', [...utf8('1}')], /^not valid JSON/],
    ['a JSON5 trailing comma', [...utf8('[1,]')], /^not valid JSON/],
  ])('refuses %s', (_what, data, message) => {
    expectCanonicalError(() => parseCanonical(new Uint8Array(data)), message);
  });

  it('asserts its argument type', () => {
    expect(() => parseCanonical('{}' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

/** Every value in the allowed set; names and strings over all of Unicode (no lone surrogates). */
const allowedValue: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.integer({ min: -1000, max: 1000 }),
    fc.string({ unit: 'binary' }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** UTF-16 code unit order written out, independent of Array.prototype.sort's default. */
function compareUtf16(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = a.charCodeAt(i) - b.charCodeAt(i);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/** A reference serializer; `order` decides member order, `indent` adds whitespace. */
function serialize(value: JsonValue, order: (keys: string[]) => string[], indent = ''): string {
  if (Array.isArray(value)) return `[${value.map((item) => serialize(item, order, indent)).join(',' + indent)}]`;
  if (value !== null && typeof value === 'object') {
    const members = order(Object.keys(value)).map((key) => `${JSON.stringify(key)}:${indent}${serialize(value[key] as JsonValue, order, indent)}`);
    return `{${members.join(',' + indent)}}`;
  }
  return JSON.stringify(value);
}

describe('canonical JSON properties', () => {
  it('canonicalize matches a reference serializer with explicit UTF-16 ordering, and keeps JSON meaning', () => {
    fc.assert(
      fc.property(allowedValue, (value) => {
        const text = canonicalize(value);
        expect(text).toBe(serialize(value, (keys) => [...keys].sort(compareUtf16)));
        expect(JSON.parse(text)).toEqual(value);
        expect(new TextDecoder().decode(canonicalBytes(value))).toBe(text);
      }),
    );
  });

  it('parseCanonical ∘ canonicalBytes is the identity, and re-encoding gives the same bytes', () => {
    fc.assert(
      fc.property(allowedValue, (value) => {
        const bytes = canonicalBytes(value);
        const parsed = parseCanonical(bytes);
        expect(parsed).toEqual(value);
        expect(canonicalBytes(parsed)).toEqual(bytes);
      }),
    );
  });

  it('parseCanonical refuses every other serialization of the same value', () => {
    const reorderings: ((keys: string[]) => string[])[] = [
      (keys) => [...keys].sort(compareUtf16).reverse(),
      (keys) => [...keys].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0) || compareUtf16(a, b)),
      (keys) => keys,
    ];
    fc.assert(
      fc.property(allowedValue, fc.constantFrom(...reorderings), fc.constantFrom('', ' ', '\n'), (value, order, indent) => {
        const canonical = canonicalize(value);
        for (const other of [serialize(value, order, indent), JSON.stringify(value, null, 2)]) {
          if (other === canonical) expect(parseCanonical(utf8(other))).toEqual(value);
          else expect(() => parseCanonical(utf8(other))).toThrow(CanonicalJsonError);
        }
      }),
    );
  });

  it('parseCanonical refuses any string spelled with needless \\u escapes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (text) => {
        let spelled = '"';
        for (let i = 0; i < text.length; i++) spelled += `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
        spelled += '"';
        expect(JSON.parse(spelled)).toBe(text);
        // Controls without a short escape are canonical as \u00xx; any other \u is needless.
        if (spelled === canonicalize(text)) expect(parseCanonical(utf8(spelled))).toBe(text);
        else expect(() => parseCanonical(utf8(spelled))).toThrow(/not in canonical form/);
      }),
    );
  });
});
