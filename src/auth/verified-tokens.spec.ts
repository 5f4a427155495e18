import { sign } from 'jsonwebtoken';
import { VerifiedTokens } from './verified-tokens';

const user = { id: '3f0c6d0e-8a0b-4c43-9a53-5f8f0a6f1b2c', role: 'user' as const, tokenExpiresAt: Date.now() + 60_000 };
const tokenExpiringIn = (seconds: number) => sign({ sub: user.id }, 'secret', { expiresIn: seconds });
const TTL_MS = 60_000;

describe('VerifiedTokens', () => {
  afterEach(() => jest.useRealTimers());

  it('answers a remembered token for the time to live', () => {
    const tokens = new VerifiedTokens(TTL_MS);
    const token = tokenExpiringIn(60);
    expect(tokens.get(token)).toBeUndefined();
    tokens.remember(token, user);
    expect(tokens.get(token)).toEqual(user);
  });

  it('forgets a token after the time to live, though it is still valid', () => {
    jest.useFakeTimers({ now: Date.now() });
    const tokens = new VerifiedTokens(TTL_MS);
    const token = tokenExpiringIn(3_600);
    tokens.remember(token, user);
    jest.advanceTimersByTime(TTL_MS - 1);
    expect(tokens.get(token)).toEqual(user);
    jest.advanceTimersByTime(1);
    expect(tokens.get(token)).toBeUndefined();
  });

  it('forgets a token when it expires, within the time to live', () => {
    jest.useFakeTimers({ now: Date.now() });
    const tokens = new VerifiedTokens(TTL_MS);
    const token = tokenExpiringIn(30);
    tokens.remember(token, user);
    jest.advanceTimersByTime(29_000);
    expect(tokens.get(token)).toEqual(user);
    jest.advanceTimersByTime(1_000);
    expect(tokens.get(token)).toBeUndefined();
  });

  it("forgets a user's tokens at once, and does not remember them again for the time to live", () => {
    jest.useFakeTimers({ now: Date.now() });
    const tokens = new VerifiedTokens(TTL_MS);
    const other = { ...user, id: '9a1b6d0e-8a0b-4c43-9a53-5f8f0a6f1b2c' };
    const [first, second, others] = [tokenExpiringIn(600), tokenExpiringIn(601), tokenExpiringIn(602)];
    tokens.remember(first, user);
    tokens.remember(second, user);
    tokens.remember(others, other);
    tokens.forgetUser(user.id);
    expect([tokens.get(first), tokens.get(second), tokens.get(others)]).toEqual([undefined, undefined, other]);
    // A verification that began before the user was forgotten finishes after it.
    tokens.remember(first, user);
    expect(tokens.get(first)).toBeUndefined();
    jest.advanceTimersByTime(TTL_MS);
    tokens.remember(first, user);
    expect(tokens.get(first)).toEqual(user);
  });

  it('forgets an expired token', () => {
    const tokens = new VerifiedTokens(TTL_MS);
    const token = tokenExpiringIn(-1);
    tokens.remember(token, user);
    expect(tokens.get(token)).toBeUndefined();
  });

  it('never remembers a token without an expiry', () => {
    const tokens = new VerifiedTokens(TTL_MS);
    const token = sign({ sub: user.id }, 'secret');
    tokens.remember(token, user);
    expect(tokens.get(token)).toBeUndefined();
  });

  it('knows a token only by its exact text', () => {
    const tokens = new VerifiedTokens(TTL_MS);
    const token = tokenExpiringIn(60);
    tokens.remember(token, user);
    const last = token.at(-1);
    expect(tokens.get(`${token.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`)).toBeUndefined();
    expect(tokens.get(token)).toEqual(user);
  });
});
