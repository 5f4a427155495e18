import { IsUUID } from 'class-validator';

export class SubmitTradeIntentDto {
  /** One of the caller's live broker connections; its broker must support orders (`paper` for now). */
  @IsUUID()
  connectionId: string;
}
