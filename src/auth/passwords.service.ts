import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldError } from '../../domain/field-error';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy';

/**
 * Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane). `Algorithm.Argon2id`
 * is a const enum, which swc cannot inline, hence its value.
 */
const ARGON2ID = 2 as Algorithm;
const HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** ~49,000 passwords seen most often in breaches (zxcvbn-ts' maintained list), lower-cased. */
const COMMON_PASSWORDS = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

@Injectable()
export class PasswordsService implements OnModuleInit {
  /** Verified against when no account matches, so unknown emails cost as much as wrong passwords. */
  private dummyHash = '';

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('not-a-real-password-0123456789');
  }

  hash(password: string): Promise<string> {
    return hash(password, HASH_OPTIONS);
  }

  async verify(passwordHash: string | null | undefined, password: string): Promise<boolean> {
    if (!passwordHash) {
      await verify(this.dummyHash, password).catch(() => false);
      return false;
    }
    return verify(passwordHash, password).catch(() => false);
  }

  /** PASSWORD_POLICY: "the email" includes its local part, and "common" a common password plus digits or symbols. */
  check(password: string, email: string): FieldError[] {
    const errors: string[] = [];
    const length = [...password].length;
    if (length < PASSWORD_MIN_LENGTH) errors.push(`must be at least ${PASSWORD_MIN_LENGTH} characters long`);
    if (length > PASSWORD_MAX_LENGTH) errors.push(`must be at most ${PASSWORD_MAX_LENGTH} characters long`);
    const lowered = password.trim().toLowerCase();
    const address = email.trim().toLowerCase();
    if (lowered === address || lowered === address.split('@')[0]) errors.push('must not be your email address');
    // "password123456", "sunshine2024!": a listed password with digits or symbols appended is no stronger.
    const stem = lowered.replace(/[\d\W_]+$/, '');
    if (COMMON_PASSWORDS.has(lowered) || COMMON_PASSWORDS.has(stem)) {
      errors.push('is too common; choose one that is not on breach lists');
    }
    return errors.map((message) => ({ field: 'password', message: `password ${message}` }));
  }
}
