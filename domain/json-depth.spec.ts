import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth';

const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('exceedsJsonDepth', () => {
  it.each([null, 1, 'text', [], {}, { a: [1, { b: 2 }] }])('accepts %j', (value) => {
    expect(exceedsJsonDepth(value)).toBe(false);
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, in arrays and objects`, () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    const objects = JSON.parse(`${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${'}'.repeat(MAX_JSON_DEPTH + 1)}`);
    expect(exceedsJsonDepth(objects)).toBe(true);
  });

  it('checks a value too deep for recursive code without exhausting the stack', () => {
    expect(exceedsJsonDepth(nested(200_000))).toBe(true);
  });
});
