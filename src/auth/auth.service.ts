import { Inject, Injectable } from '@nestjs/common';
import { type ProblemException, ruleViolation, tooManyRequests, unauthorized } from '../common/problem';
import { type AppConfig, appConfig } from '../config/app-config';
import { toUserResponse } from '../users/dto/user-response.dto';
import { type StoredUser, UsersService } from '../users/users.service';
import type { LoginDto } from './dto/login.dto';
import type { RegisterDto } from './dto/register.dto';
import type { SessionResponseDto } from './dto/session-response.dto';
import { PasswordsService } from './passwords.service';
import { TokensService } from './tokens.service';

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
