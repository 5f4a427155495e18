import { ApiProperty } from '@nestjs/swagger';
import { UserResponseDto } from '../../users/dto/user-response.dto';

/** A signed-in session: a short-lived access token and the refresh token that renews it. */
export class SessionResponseDto {
  /** JWT for `Authorization: Bearer …`. */
  accessToken: string;
  /** Single-use; exchange it at `/auth/refresh` before it expires. Keep it out of reach of scripts. */
  refreshToken: string;
  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';
  /** Seconds until the access token expires. @example 900 */
  expiresIn: number;
  user: UserResponseDto;
}
