import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { KeyRingFormatError, TokenCipher, TokenKeyRing, UnknownKeyVersionError } from './token-cipher';

const key = () => randomBytes(32).toString('base64');
const ROW = '0b6f3a7e-4a43-4c1e-9d5a-2f1d6f0b8c11';
const OTHER_ROW = '6a1f0c2b-9d1e-4f8a-8b3c-7e5d4c3b2a10';

describe('TokenKeyRing', () => {
  it('encrypts with the highest version and keeps every version for decryption', () => {
    const ring = TokenKeyRing.parse(`2:${key()}, 7:${key()},1:${key()}`);
    expect(ring.newestVersion).toBe(7);
    expect(ring.versions).toEqual([1, 2, 7]);
    expect(ring.key(2)).toHaveLength(32);
  });

  it('accepts base64url keys (what dev generates)', () => {
    expect(TokenKeyRing.parse(`1:${randomBytes(32).toString('base64url')}`).newestVersion).toBe(1);
  });

  it('answers an unknown version with a dedicated error', () => {
    const ring = TokenKeyRing.parse(`1:${key()}`);
    expect(() => ring.key(2)).toThrow(UnknownKeyVersionError);
    expect(() => ring.key(2)).toThrow('token encryption key version 2 is not in TOKEN_ENCRYPTION_KEYS');
  });

  it.each([
    ['an empty list', ' , ', 'no key given'],
    ['a key without version', key(), 'entry 1 has no positive integer version'],
    ['version 0', `0:${key()}`, 'entry 1 has no positive integer version'],
    ['a negative version', `-1:${key()}`, 'entry 1 has no positive integer version'],
    ['a fractional version', `1.5:${key()}`, 'entry 1 has no positive integer version'],
    ['a repeated version', `1:${key()},1:${key()}`, 'key version 1 is listed twice'],
    [
      'a short key',
      `1:${randomBytes(16).toString('base64')}`,
      'key version 1 must be base64 of exactly 32 bytes (got 16 bytes)',
    ],
    ['a long key', `1:${randomBytes(33).toString('base64')}`, 'got 33 bytes'],
    ['a key that is not base64', `1:${'!'.repeat(44)}`, 'got not base64'],
    ['an empty key', '1:', 'got not base64'],
  ])('rejects %s', (_name, spec, message) => {
    expect(() => TokenKeyRing.parse(spec)).toThrow(KeyRingFormatError);
    expect(() => TokenKeyRing.parse(spec)).toThrow(message);
  });

  it('never quotes key material in errors, JSON or inspection', () => {
    const secret = randomBytes(16).toString('base64');
    expect(() => TokenKeyRing.parse(`1:${secret}`)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
    const material = key();
    const ring = TokenKeyRing.parse(`3:${material}`);
    // How inspect and JSON would render the bytes: `<Buffer 3f 2a …>`, `{"type":"Buffer","data":[63,42,…]}`.
    const bytes = [...Buffer.from(material, 'base64').subarray(0, 6)];
    const renderings = [bytes.map((b) => b.toString(16).padStart(2, '0')).join(' '), bytes.join(',')];
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- String() of the ring is one of the renderings under test
    for (const shown of [JSON.stringify(ring), inspect(ring, { depth: 5, showHidden: true }), String(ring)]) {
      expect(shown).not.toContain(material);
      expect(shown).not.toContain('Buffer');
      for (const rendering of renderings) expect(shown).not.toContain(rendering);
    }
  });
});

describe('TokenCipher', () => {
  const cipher = new TokenCipher(TokenKeyRing.parse(`1:${key()}`));

  it('round-trips, with a fresh nonce every time', () => {
    const token = 'enctoken 9hY2+/ü€ long-lived';
    const a = cipher.encrypt(token, `${ROW}:access`);
    const b = cipher.encrypt(token, `${ROW}:access`);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
    expect(a).toHaveLength(12 + 16 + Buffer.byteLength(token));
    expect(a.includes(Buffer.from(token))).toBe(false);
    expect(cipher.decrypt(a, 1, `${ROW}:access`)).toBe(token);
    expect(cipher.decrypt(b, 1, `${ROW}:access`)).toBe(token);
  });

  it.each([0, 5, 12, 20, 28, 30])('detects a flipped byte at offset %i (nonce, tag or body)', (offset) => {
    const sealed = cipher.encrypt('access-token-value', ROW);
    sealed[offset] ^= 0x01;
    expect(() => cipher.decrypt(sealed, 1, ROW)).toThrow();
  });

  it('refuses a ciphertext moved to another row or field (associated data)', () => {
    const sealed = cipher.encrypt('access-token-value', `${ROW}:access`);
    expect(() => cipher.decrypt(sealed, 1, `${OTHER_ROW}:access`)).toThrow();
    expect(() => cipher.decrypt(sealed, 1, `${ROW}:refresh`)).toThrow();
  });

  it('refuses a truncated value', () => {
    expect(() => cipher.decrypt(Buffer.alloc(27), 1, ROW)).toThrow('truncated');
  });

  it('writes with the newest key and reads values of older keys', () => {
    const v1 = key();
    const old = new TokenCipher(TokenKeyRing.parse(`1:${v1}`));
    const sealedV1 = old.encrypt('rotate me', ROW);
    const rotated = new TokenCipher(TokenKeyRing.parse(`1:${v1},2:${key()}`));
    expect(rotated.keyVersion).toBe(2);
    expect(rotated.decrypt(sealedV1, 1, ROW)).toBe('rotate me');
    const sealedV2 = rotated.encrypt('rotate me', ROW);
    expect(rotated.decrypt(sealedV2, 2, ROW)).toBe('rotate me');
    // Version 1's key cannot read what version 2 wrote, and the old ring does not know version 2.
    expect(() => rotated.decrypt(sealedV2, 1, ROW)).toThrow();
    expect(() => old.decrypt(sealedV2, 2, ROW)).toThrow(UnknownKeyVersionError);
  });
});
