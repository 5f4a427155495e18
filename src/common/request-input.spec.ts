import { PROBLEM_BOUNDS } from './problem';
import { unacceptableInput } from './request-input';

describe('unacceptableInput', () => {
  const refused = (text: string) => unacceptableInput({ note: text }).length > 0;

  it('refuses every C0 control but tab, line feed and carriage return, DEL and every C1 control', () => {
    const allowed = ['\t', '\n', '\r'];
    for (let code = 0; code <= 0xa0; code++) {
      const char = String.fromCharCode(code);
      const expected = (code < 0x20 && !allowed.includes(char)) || (code >= 0x7f && code <= 0x9f);
      expect([code.toString(16), refused(`a${char}b`)]).toEqual([code.toString(16), expected]);
    }
  });

  it('refuses unpaired surrogates and keeps pairs, joiners, bidirectional marks and noncharacters', () => {
    for (const text of ['\uD800', 'a\uDBFFb', '\uDC00', 'x\uD83D', '\uDE80x']) expect(refused(text)).toBe(true);
    for (const text of ['🚀', '👩‍👩‍👧‍👦', '\u200B\u200D\u200F\u202E\uFEFF', '\uFFFE\uFFFF', 'Zoë'])
      expect(refused(text)).toBe(false);
  });

  it('names each offending field by its path, keys included, and nothing else', () => {
    expect(
      unacceptableInput({
        a: 'ok',
        items: [{ notes: 'ok' }, { notes: 'x\u0000' }],
        map: { 'k\u0001': 'v' },
        n: 1,
        b: null,
      }),
    ).toEqual([
      { field: 'items.1.notes', message: expect.stringContaining('items.1.notes must not contain U+0000 (NUL)') },
      { field: 'map.k\\u0001', message: expect.stringContaining('property names must not contain') },
    ]);
    expect(unacceptableInput('a\u0000', 'id')).toEqual([
      { field: 'id', message: expect.stringMatching(/^id must not/) },
    ]);
  });

  it('refuses keys that name a prototype property, at any depth', () => {
    const body = JSON.parse('{"prototype":1,"x":{"__proto__":{}},"y":[{"constructor":{"prototype":{}}}],"toString":2}');
    expect(unacceptableInput(body).map((e) => e.field)).toEqual([
      'prototype',
      'x.__proto__',
      'y.0.constructor',
      'toString',
    ]);
    expect(unacceptableInput({ proto: 1, constructorName: 'x', Prototype: 2 })).toEqual([]);
  });

  it('stops at PROBLEM_BOUNDS.errors', () => {
    const many = Array.from({ length: 5_000 }, () => '\u0000');
    expect(unacceptableInput(many)).toHaveLength(PROBLEM_BOUNDS.errors);
  });
});
