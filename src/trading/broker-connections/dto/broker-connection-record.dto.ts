import { PickType } from '@nestjs/swagger';
import { ApiTimestamp } from '../../../docs/schema-bounds';
import { BrokerConnectionResponseDto } from './broker-connection-response.dto';

/** A broker connection as recorded, revoked ones too (the export): metadata only, never a token. */
export class BrokerConnectionRecordDto extends PickType(BrokerConnectionResponseDto, [
  'id',
  'broker',
  'accountRef',
  'status',
  'createdAt',
] as const) {
  @ApiTimestamp()
  revokedAt: Date | null;
}
