import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What `TOKEN_ENCRYPTION_KEYS` must look like; quoted by every format error. */
export const KEY_RING_FORMAT =
  'a comma-separated list of <version>:<base64 of 32 random bytes>, e.g. "1:<key>,2:<key>" (the highest version encrypts, every listed version decrypts)';

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export class KeyRingFormatError extends Error {
  override name = 'KeyRingFormatError';
}

/** A ciphertext names a key version the ring does not hold (a retired key, or a ring that lacks the newest one). */
export class UnknownKeyVersionError extends Error {
  override name = 'UnknownKeyVersionError';
  constructor(readonly version: number) {
    super(`token encryption key version ${version} is not in TOKEN_ENCRYPTION_KEYS`);
  }
}

/**
 * The versioned AES-256 keys of `TOKEN_ENCRYPTION_KEYS`, parsed and checked once at start.
 * The key bytes live in a private field: they never appear in JSON, `util.inspect` or logs.
 */
export class TokenKeyRing {
  readonly #keys: ReadonlyMap<number, Buffer>;
  /** The version new ciphertexts are written with: the highest one. */
  readonly newestVersion: number;

  private constructor(keys: Map<number, Buffer>) {
    this.#keys = keys;
    this.newestVersion = Math.max(...keys.keys());
  }

  /** Parses `1:<base64>,2:<base64>`; the error says what is wrong without quoting any key. */
  static parse(spec: string): TokenKeyRing {
    const keys = new Map<number, Buffer>();
    const entries = spec
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    if (entries.length === 0) throw new KeyRingFormatError(`no key given; expected ${KEY_RING_FORMAT}`);
    entries.forEach((entry, index) => {
      const separator = entry.indexOf(':');
      const versionText = separator > 0 ? entry.slice(0, separator) : '';
      const encoded = entry.slice(separator + 1);
      const where = `entry ${index + 1}`;
      if (!/^[1-9]\d{0,8}$/.test(versionText)) {
        throw new KeyRingFormatError(
          `${where} has no positive integer version before ":"; expected ${KEY_RING_FORMAT}`,
        );
      }
      const version = Number(versionText);
      if (keys.has(version)) throw new KeyRingFormatError(`key version ${version} is listed twice`);
      const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
      if (key?.length !== KEY_BYTES) {
        const got = key ? `${key.length} bytes` : 'not base64';
        throw new KeyRingFormatError(
          `key version ${version} must be base64 of exactly ${KEY_BYTES} bytes (got ${got})`,
        );
      }
      keys.set(version, key);
    });
    return new TokenKeyRing(keys);
  }

  get versions(): number[] {
    return [...this.#keys.keys()].sort((a, b) => a - b);
  }

  key(version: number): Buffer {
    const key = this.#keys.get(version);
    if (!key) throw new UnknownKeyVersionError(version);
    return key;
  }
}

/**
 * AES-256-GCM for broker tokens. Each value gets a fresh random nonce and is bound to a
 * context (associated data: the row and field it belongs to), so a ciphertext copied to
 * another row or field fails to decrypt. Layout: `nonce (12) | tag (16) | ciphertext`.
 */
export class TokenCipher {
  constructor(private readonly ring: TokenKeyRing) {}

  /** The key version `encrypt()` uses; stored beside the ciphertexts. */
  get keyVersion(): number {
    return this.ring.newestVersion;
  }

  encrypt(plaintext: string, context: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.ring.key(this.keyVersion), nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, cipher.getAuthTag(), body]);
  }

  /** Throws when the value was altered, belongs to another context, or its key is not in the ring. */
  decrypt(sealed: Buffer, keyVersion: number, context: string): string {
    if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error('token ciphertext is truncated');
    const decipher = createDecipheriv(ALGORITHM, this.ring.key(keyVersion), sealed.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }
}
