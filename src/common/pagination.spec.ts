import { decodeCursor, encodeCursor } from './pagination';
import { ProblemException } from './problem';

describe('keyset cursors', () => {
  const key = { at: new Date('2026-11-20T09:15:00.123Z'), id: '6f1c1a8e-0d6b-4f57-9a57-0f9f2d1f8b51' };
  const encoded = (text: string) => Buffer.from(text).toString('base64url');

  it('round-trip the time and id of the last item', () => {
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it.each([
    ['garbage', 'not a cursor'],
    ['no id', encoded('2026-11-20T09:15:00.123Z')],
    ['an id that is not a UUID', encoded('2026-11-20T09:15:00.123Z|42')],
    ['an invalid time', encoded(`yesterday|${key.id}`)],
  ])('refuse %s with a 400 naming the cursor', (_label, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).getStatus()).toBe(400);
    expect((thrown as ProblemException).problem.errors).toEqual([
      { field: 'cursor', message: 'cursor must be a nextCursor value' },
    ]);
  });
});
