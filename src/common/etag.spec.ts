import { etagOf, parseIfMatch } from './etag';

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
    expect(() => parseIfMatch(header)).toThrow(expect.objectContaining({ detail: expect.stringContaining('If-Match') }));
  });
});
