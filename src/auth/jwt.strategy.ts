import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { decode, type JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { Strategy } from 'passport-jwt';
import { type AppConfig, appConfig } from '../config/app-config';
import { USER_ROLES, type UserRole } from '../../domain/users';
import type { AuthUser } from './auth-user';
import { bearerToken } from '../common/bearer-token';
import { ExternalIdentityService } from './external-identity.service';
import { LOCAL_JWT_ALGORITHM, localSigningKey } from './tokens.service';

/** Asymmetric algorithms accepted from the identity provider; never HS*, never `none`. */
const PROVIDER_ALGORITHMS = ['RS256', 'ES256'];

class TokenRejected extends Error {}

/**
 * Verifies bearer tokens of two issuers, each with its own key and pinned algorithms:
 * this service's HS256 tokens, and — when JWKS_URI, JWT_ISSUER and JWT_AUDIENCE are set — an
 * identity provider's RS256/ES256 tokens, whose keys come from its JWKS (cached). The issuer
 * picks the key and the algorithms, so a token can never choose how it is checked.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    private readonly externalIdentities: ExternalIdentityService,
  ) {
    const { auth } = config;
    const localKey = localSigningKey(auth.signingKey);
    const provider = auth.identityProvider;
    const jwks = provider
      ? new JwksClient({
          jwksUri: provider.jwksUri,
          cache: true,
          cacheMaxAge: 10 * 60_000,
          rateLimit: true,
          jwksRequestsPerMinute: 10,
          timeout: 5_000,
        })
      : undefined;
    super({
      jwtFromRequest: (request: FastifyRequest) => bearerToken(request.headers.authorization) ?? null,
      algorithms: [LOCAL_JWT_ALGORITHM, ...(provider ? PROVIDER_ALGORITHMS : [])] as never,
      issuer: [auth.issuer, ...(provider ? [provider.issuer] : [])],
      audience: [auth.audience, ...(provider ? [provider.audience] : [])],
      secretOrKeyProvider: (
        _request: unknown,
        rawToken: string,
        done: (error: unknown, key?: string | Buffer) => void,
      ) => {
        const token = decode(rawToken, { complete: true });
        const issuer = (token?.payload as JwtPayload | undefined)?.iss;
        const algorithm = token?.header.alg ?? '';
        // jsonwebtoken takes a KeyObject; @types/passport-jwt predates that.
        if (issuer === auth.issuer && algorithm === LOCAL_JWT_ALGORITHM)
          return done(null, localKey as unknown as Buffer);
        if (jwks && issuer === provider?.issuer && PROVIDER_ALGORITHMS.includes(algorithm)) {
          jwks.getSigningKey(token?.header.kid).then(
            (key) => done(null, key.getPublicKey()),
            () => done(new TokenRejected('unknown signing key')),
          );
          return;
        }
        done(new TokenRejected('unexpected issuer or algorithm'));
      },
    });
  }

  /** Runs after the signature, expiry, issuer and audience checks passed. */
  async validate(payload: JwtPayload): Promise<AuthUser | false> {
    const { auth } = this.config;
    if (typeof payload.sub !== 'string' || !payload.sub) return false;
    // jsonwebtoken checks `exp` only when present; a token without one would never expire.
    if (typeof payload.exp !== 'number') return false;
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const tokenExpiresAt = payload.exp * 1_000;
    if (payload.iss === auth.issuer) {
      // The issuer matched ours, so the audience must be ours too (not the provider's).
      const role = payload.role as UserRole;
      if (!audiences.includes(auth.audience) || !USER_ROLES.includes(role)) return false;
      const sessionId = typeof payload.sid === 'string' ? payload.sid : undefined;
      return { id: payload.sub, role, authenticatedAt: payload.iat, sessionId, tokenExpiresAt };
    }
    const provider = auth.identityProvider;
    if (!provider || payload.iss !== provider.issuer || !audiences.includes(provider.audience)) return false;
    const user = await this.externalIdentities.resolve(
      provider.issuer,
      payload.sub,
      typeof payload.name === 'string' ? payload.name : '',
    );
    const authTime = typeof payload.auth_time === 'number' ? payload.auth_time : payload.iat;
    return user && { ...user, authenticatedAt: authTime, tokenExpiresAt };
  }
}
