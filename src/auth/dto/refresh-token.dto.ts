import { IsString, Length } from 'class-validator';

export class RefreshTokenDto {
  /** The refresh token of the last sign-in or refresh. @example "q3Zbt1m0C2kKQ6Hq3l2b0b0oXk7v4Hk9l3yG1G2Y9tE" */
  @IsString()
  @Length(20, 200)
  refreshToken: string;
}
