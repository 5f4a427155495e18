import { INTENT_STATUSES, type IntentStatus } from '../../../../domain/trading';
import { IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { IsEnumValue } from '../../../common/validation';

export class ListTradeIntentsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsEnumValue(INTENT_STATUSES, 'IntentStatus')
  status?: IntentStatus;
}
