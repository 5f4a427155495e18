import { changedFields } from './changed-fields';

describe('changedFields', () => {
  it.each([
    ['nothing changed', { a: 1, m: { x: true } }, { a: 1, m: { x: true } }, []],
    ['a scalar', { a: 1 }, { a: 2 }, ['a']],
    ['one level into objects', { m: { x: true, y: false } }, { m: { x: true, y: true } }, ['m.y']],
    ['arrays as a whole', { l: ['a', 'b'] }, { l: ['b', 'a'] }, ['l']],
    ['added and removed keys', { a: 1 }, { b: 1 }, ['a', 'b']],
    ['deeper objects as a whole', { m: { n: { z: 1 } } }, { m: { n: { z: 2 } } }, ['m.n']],
    ['creation', null, { a: 1, m: { x: true } }, ['a', 'm.x']],
    ['deletion', { a: 1 }, undefined, ['a']],
    ['scalars', 1, 2, ['*']],
    ['dates as values', { at: null }, { at: new Date(0) }, ['at']],
  ])('%s', (_name, before, after, expected) => {
    expect(changedFields(before, after)).toEqual(expected);
  });
});
