import { ApiProperty } from '@nestjs/swagger';
import {
  ACCOUNT_REF_MAX_LENGTH,
  BROKERS,
  type Broker,
  CONNECTION_STATUSES,
  type ConnectionStatus,
} from '../../../../domain/trading';
import { ApiText, ApiTimestamp, ApiUuid } from '../../../docs/schema-bounds';

/** A broker connection as recorded, revoked ones too (the export): metadata only, never a token. */
export class BrokerConnectionRecordDto {
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
  @ApiTimestamp()
  revokedAt: Date | null;
}
