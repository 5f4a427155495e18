import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { INSIGHT_ID_MAX_LENGTH, INSIGHT_ID_PATTERN } from '../../../domain/insight-id';

/** `/insights/{insightId}/…` */
export class InsightIdParamDto {
  /** 1 to 128 of `A-Z a-z 0-9 _ . : -`. @example "insight:momentum:TCS:2026-11-20" */
  @ApiProperty({ pattern: INSIGHT_ID_PATTERN.source, maxLength: INSIGHT_ID_MAX_LENGTH })
  @Matches(INSIGHT_ID_PATTERN, { message: '$property must be 1 to 128 of A-Z a-z 0-9 _ . : -' })
  insightId: string;
}
