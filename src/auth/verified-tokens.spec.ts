import { sign } from 'jsonwebtoken';
import { bearerToken, VerifiedTokens } from './verified-tokens';

const user = { id: '3f0c6d0e-8a0b-4c43-9a53-5f8f0a6f1b2c', role: 'user' as const };
const tokenExpiringIn = (seconds: number) => sign({ sub: user.id }, 'secret', { expiresIn: seconds });

describe('VerifiedTokens', () => {
  it('answers a remembered token until it expires', () => {
    const tokens = new VerifiedTokens();
    const token = tokenExpiringIn(60);
    expect(tokens.get(token)).toBeUndefined();
    tokens.remember(token, user);
    expect(tokens.get(token)).toEqual(user);
  });

  it('forgets an expired token', () => {
    const tokens = new VerifiedTokens();
    const token = tokenExpiringIn(-1);
    tokens.remember(token, user);
    expect(tokens.get(token)).toBeUndefined();
  });

  it('never remembers a token without an expiry', () => {
    const tokens = new VerifiedTokens();
    const token = sign({ sub: user.id }, 'secret');
    tokens.remember(token, user);
    expect(tokens.get(token)).toBeUndefined();
  });

  it('knows a token only by its exact text', () => {
    const tokens = new VerifiedTokens();
    const token = tokenExpiringIn(60);
    tokens.remember(token, user);
    expect(tokens.get(`${token.slice(0, -1)}A`)).toBeUndefined();
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer  abc ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer ', undefined],
    [undefined, undefined],
  ])('%s', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});
