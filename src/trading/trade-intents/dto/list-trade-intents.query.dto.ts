import { IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { IsEnumValue } from '../../../common/validation';
import { INTENT_STATUSES, type IntentStatus } from '../trade-intent.entity';

export class ListTradeIntentsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsEnumValue(INTENT_STATUSES, 'IntentStatus')
  status?: IntentStatus;
}
