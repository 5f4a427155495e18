import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { EVENT_ID_MAX_LENGTH, EVENT_ID_PATTERN } from './change-event.dto';

export class ChangeStreamQueryDto {
  /**
   * The id of the last event received, for clients that cannot send the `Last-Event-ID` header
   * (the header wins when both are sent). @example "1042"
   */
  @ApiPropertyOptional({ pattern: EVENT_ID_PATTERN.source, maxLength: EVENT_ID_MAX_LENGTH })
  @IsOptional()
  @Matches(EVENT_ID_PATTERN, { message: 'lastEventId must be an event id (digits)' })
  lastEventId?: string;
}
