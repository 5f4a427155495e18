import {
  ACCOUNT_REF_MAX_LENGTH,
  BROKERS,
  type Broker,
  CONNECTION_STATUSES,
  type ConnectionStatus,
} from '../../../../domain/trading';
import { ApiProperty } from '@nestjs/swagger';
import { ApiNextCursor, ApiPageItems } from '../../../common/pagination';
import { ApiText, ApiTimestamp, ApiUuid } from '../../../docs/schema-bounds';
import type { BrokerConnectionView } from '../broker-connections.repository';

/** A broker connection as the API shows it: metadata only, never a token. */
export class BrokerConnectionResponseDto {
  @ApiUuid()
  id: string;
  @ApiProperty({ enum: BROKERS, enumName: 'Broker' })
  broker: Broker;
  /** @example "ZX4821" */
  @ApiText(ACCOUNT_REF_MAX_LENGTH)
  accountRef: string;
  @ApiProperty({ enum: CONNECTION_STATUSES, enumName: 'ConnectionStatus' })
  status: ConnectionStatus;
  @ApiTimestamp()
  createdAt: Date;
  hasAccessToken: boolean;
  hasRefreshToken: boolean;
  @ApiTimestamp()
  tokenExpiresAt: Date | null;
  /** The version of the encryption key the tokens are stored under (rises after a key rotation). @example 1 */
  keyVersion: number | null;
}

export class BrokerConnectionPageDto {
  @ApiPageItems(BrokerConnectionResponseDto)
  items: BrokerConnectionResponseDto[];
  @ApiNextCursor()
  nextCursor: string | null;
}

/** Copies the named fields only: a token or ciphertext column can never slip into a response. */
export function toBrokerConnectionResponse(row: BrokerConnectionView): BrokerConnectionResponseDto {
  return {
    id: row.id,
    broker: row.broker,
    accountRef: row.accountRef,
    status: row.status,
    createdAt: row.createdAt,
    hasAccessToken: row.hasAccessToken,
    hasRefreshToken: row.hasRefreshToken,
    tokenExpiresAt: row.tokenExpiresAt,
    keyVersion: row.keyVersion,
  };
}
