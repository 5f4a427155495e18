import { ORDER_STATUSES, type OrderStatus } from '../../../../domain/trading';
import { IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination';
import { IsEnumValue, IsUuid } from '../../../common/validation';

export class ListOrdersQueryDto extends PageQueryDto {
  /** Only the orders of this trade intent. */
  @IsOptional()
  @IsUuid()
  intentId?: string;

  @IsOptional()
  @IsEnumValue(ORDER_STATUSES, 'OrderStatus')
  status?: OrderStatus;
}
