import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { type AppConfig, appConfig } from '../config/app-config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { ExternalIdentityService } from './external-identity.service';
import { JwtStrategy } from './jwt.strategy';
import { PasswordsService } from './passwords.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { LOCAL_JWT_ALGORITHM, localSigningKey, TokensService } from './tokens.service';
import { VerifiedTokens } from './verified-tokens';

@Module({
  imports: [
    UsersModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        privateKey: localSigningKey(config.auth.signingKey),
        signOptions: {
          algorithm: LOCAL_JWT_ALGORITHM,
          expiresIn: config.auth.accessTtlSeconds,
          issuer: config.auth.issuer,
          audience: config.auth.audience,
        },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    PasswordsService,
    TokensService,
    RefreshTokensRepository,
    JwtStrategy,
    ExternalIdentityService,
    // One per process: the JWT guard remembers tokens in it, the erasure makes it forget a user's.
    {
      provide: VerifiedTokens,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => new VerifiedTokens(config.auth.tokenCacheMs),
    },
  ],
  // TokensService also for the change streams: whether a token's session is still signed in.
  exports: [AuthService, TokensService, VerifiedTokens],
})
export class AuthModule {}
