import { Inject, Injectable } from '@nestjs/common';
import {
  badRequest,
  type ProblemException,
  reauthenticationRequired,
  ruleViolation,
  tooManyRequests,
  unauthorized,
} from '../common/problem';
import { type AppConfig, appConfig } from '../config/app-config';
import { toUserResponse } from '../users/dto/user-response.dto';
import { type StoredUser, UsersService } from '../users/users.service';
import type { LoginDto } from './dto/login.dto';
import type { RegisterDto } from './dto/register.dto';
import type { SessionResponseDto } from './dto/session-response.dto';
import { PasswordsService } from './passwords.service';
import { TokensService } from './tokens.service';
import type { AuthUser } from './auth-user';

/** How recent an identity provider's sign-in must be for an action that asks for it again. */
export const REAUTHENTICATION_MAX_AGE_SECONDS = 5 * 60;

/** The same answer for an unknown email, a wrong password and a disabled account. */
const invalidCredentials = () => unauthorized('The email or password is incorrect.');

function lockedOut(until: Date): ProblemException {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1_000));
  return tooManyRequests('Too many failed sign-ins for this account. Try again later.', {
    'Retry-After': String(seconds),
  });
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly tokens: TokensService,
  ) {}

  async register(dto: RegisterDto): Promise<SessionResponseDto> {
    const problems = this.passwords.check(dto.password, dto.email);
    if (problems.length > 0) throw ruleViolation('The password does not meet the password policy.', problems);
    const user = await this.users.createLocal({
      email: dto.email,
      name: dto.name,
      passwordHash: await this.passwords.hash(dto.password),
    });
    return this.session(user);
  }

  /**
   * Checks a password. Failures count against the account whatever the client's IP; after
   * LOGIN_LOCKOUT_ATTEMPTS of them within the window the account answers 429 until it ends.
   */
  async login(dto: LoginDto): Promise<SessionResponseDto> {
    const user = await this.users.findByEmail(dto.email);
    const usable = user && user.status === 'active' && !user.deletedAt ? user : undefined;
    if (usable?.lockedUntil && usable.lockedUntil > new Date()) throw lockedOut(usable.lockedUntil);
    if (!(await this.passwords.verify(usable?.passwordHash, dto.password)) || !usable) {
      if (usable) {
        const { lockoutWindowMs, lockoutAttempts } = this.config.auth;
        await this.users.recordFailedLogin(usable.id, lockoutWindowMs, lockoutAttempts);
      }
      throw invalidCredentials();
    }
    await this.users.recordSuccessfulLogin(usable.id);
    return this.session(usable);
  }

  /**
   * Asks a signed-in user to prove who they are again before an irreversible action (erasing the
   * account): a password account gives its password (400 without; a wrong one counts against the
   * account as a failed sign-in does: 401, and 429 once locked out); an identity provider's user needs a token
   * from a sign-in at most REAUTHENTICATION_MAX_AGE_SECONDS old (else 403).
   */
  async confirmIdentity(caller: AuthUser, password: string | undefined): Promise<void> {
    const user = await this.users.getById(caller.id);
    if (user.passwordHash === null) {
      const age = Date.now() / 1_000 - (caller.authenticatedAt ?? 0);
      if (age > REAUTHENTICATION_MAX_AGE_SECONDS) {
        throw reauthenticationRequired('Sign in again with your identity provider first: that sign-in is too old.');
      }
      return;
    }
    if (password === undefined) {
      throw badRequest('The current password is required.', [
        { field: 'password', message: 'password must be given for an account with a password' },
      ]);
    }
    if (user.lockedUntil && user.lockedUntil > new Date()) throw lockedOut(user.lockedUntil);
    if (!(await this.passwords.verify(user.passwordHash, password))) {
      const { lockoutWindowMs, lockoutAttempts } = this.config.auth;
      await this.users.recordFailedLogin(user.id, lockoutWindowMs, lockoutAttempts);
      throw unauthorized('The password is incorrect.');
    }
  }

  async refresh(refreshToken: string): Promise<SessionResponseDto> {
    const { user, tokens } = await this.tokens.rotate(refreshToken);
    return { ...tokens, user: toUserResponse(user) };
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.revokeSessionOf(refreshToken);
  }

  private async session(user: StoredUser): Promise<SessionResponseDto> {
    return { ...(await this.tokens.issueSession(user)), user: toUserResponse(user) };
  }
}
