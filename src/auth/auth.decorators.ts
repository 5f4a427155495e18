import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { SECURITY_SCHEMES } from '../docs/openapi';
import { ApiProblem, ApiRateLimited } from '../docs/problem-response';
import type { UserRole } from '../../domain/users';
import { REQUIRED_ROLES, RolesGuard } from './roles.guard';

export const IS_PUBLIC = 'auth:isPublic';

/** Opts a route out of the global JWT guard (auth routes, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Protects a route (or every route of a controller) and documents it as such: the bearer
 * security scheme, the 401 and 429, and — with roles — the 403. Routes are denied by default anyway;
 * this decorator is how a protected route says so in the OpenAPI document. Admin routes name
 * their own scheme (`admin-bearer`: the same token, of an admin), so the document tells them apart.
 */
export function Authenticated(...roles: UserRole[]) {
  const adminOnly = roles.length > 0 && roles.every((role) => role === 'admin');
  const decorators = [
    ApiBearerAuth(adminOnly ? SECURITY_SCHEMES.admin : SECURITY_SCHEMES.bearer),
    ApiProblem(401, 'Missing, expired or invalid access token.'),
    ApiRateLimited(),
  ];
  if (roles.length > 0) {
    decorators.push(
      SetMetadata(REQUIRED_ROLES, roles),
      // Only where a role is required: a global guard would run on every request for nothing.
      UseGuards(RolesGuard),
      ApiProblem(403, `Requires role: ${roles.join(' or ')}.`),
    );
  }
  return applyDecorators(...decorators);
}
