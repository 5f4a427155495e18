import { etagOf, IF_MATCH_MAX_LENGTH, parseIfMatch } from './etag';

describe('If-Match', () => {
  it.each([
    [undefined, undefined],
    ['*', undefined],
    ['"3"', [3]],
    [' "3" , "4"', [3, 4]],
    [etagOf(12), [12]],
  ])('%s is accepted', (header, expected) => {
    expect(parseIfMatch(header)).toEqual(expected);
  });

  it.each(['3', 'W/"3"', '"abc"', '""', '"3", nope', '"1234567890"'])('%s is a 400', (header) => {
    expect(() => parseIfMatch(header)).toThrow(
      expect.objectContaining({ detail: expect.stringContaining('If-Match') }),
    );
  });

  it('refuses a list longer than IF_MATCH_MAX_LENGTH unread, and accepts one that fits', () => {
    const list = (count: number) => Array.from({ length: count }, (_, i) => etagOf(i)).join(',');
    const fits = list(40);
    expect(fits.length).toBeLessThanOrEqual(IF_MATCH_MAX_LENGTH);
    expect(parseIfMatch(fits)).toHaveLength(40);
    expect(() => parseIfMatch(list(100))).toThrow(
      expect.objectContaining({ detail: expect.stringContaining('If-Match') }),
    );
  });
});
