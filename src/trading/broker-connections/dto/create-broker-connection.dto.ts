import { ACCOUNT_REF_MAX_LENGTH, ACCOUNT_REF_PATTERN, BROKERS, type Broker } from '../../../../domain/trading';
import { ApiProperty, PickType } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { Trim } from '../../../common/strings';
import { IsEnumValue, IsTimestamp } from '../../../common/validation';

export class CreateBrokerConnectionDto {
  /** The broker. Orders can be placed through `paper` (simulated) for now; the others store credentials only. */
  @IsEnumValue(BROKERS, 'Broker')
  broker: Broker;

  /**
   * The account at the broker (its client id): 1 to 64 of `A-Z a-z 0-9 . _ - @ :` after trimming.
   * One live connection per broker account.
   * @example "ZX4821"
   */
  @Trim()
  @IsString()
  @ApiProperty({ pattern: ACCOUNT_REF_PATTERN.source, maxLength: ACCOUNT_REF_MAX_LENGTH })
  @Matches(ACCOUNT_REF_PATTERN, { message: '$property must be 1 to 64 of A-Z a-z 0-9 . _ - @ :' })
  accountRef: string;

  /** The broker's access token, 1 to 4096 characters. Stored encrypted; no response ever contains it. */
  @IsString()
  @Length(1, 4096)
  accessToken: string;

  /** The broker's refresh token, if it issues one. Stored encrypted; no response ever contains it. */
  @IsOptional()
  @IsString()
  @Length(1, 4096)
  refreshToken?: string;

  /** When the access token expires, if the broker says (ISO 8601). @example "2025-01-31T23:59:59Z" */
  @IsOptional()
  @IsTimestamp()
  tokenExpiresAt?: string;
}

/** `PUT /broker-connections/{id}/tokens`: new tokens replace the old ones entirely. */
export class ReplaceBrokerTokensDto extends PickType(CreateBrokerConnectionDto, [
  'accessToken',
  'refreshToken',
  'tokenExpiresAt',
] as const) {}
