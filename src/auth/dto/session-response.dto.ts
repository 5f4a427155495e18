import { ApiProperty } from '@nestjs/swagger';
import { ApiText } from '../../docs/schema-bounds';
import { UserResponseDto } from '../../users/dto/user-response.dto';

/**
 * An HS256 JWT: its header, a payload of ids, role and times plus JWT_LOCAL_ISSUER and
 * JWT_LOCAL_AUDIENCE (at most 255 characters each), and the signature, base64url-encoded.
 */
const ACCESS_TOKEN_MAX_LENGTH = 4096;
/** 32 random bytes, base64url. */
const REFRESH_TOKEN_LENGTH = 43;

/** A signed-in session: a short-lived access token and the refresh token that renews it. */
export class SessionResponseDto {
  /** JWT for `Authorization: Bearer …`. */
  @ApiText(ACCESS_TOKEN_MAX_LENGTH)
  accessToken: string;
  /** Single-use; exchange it at `/auth/refresh` before it expires. Keep it out of reach of scripts. */
  @ApiText(REFRESH_TOKEN_LENGTH)
  refreshToken: string;
  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';
  /** Seconds until the access token expires. @example 900 */
  expiresIn: number;
  user: UserResponseDto;
}
