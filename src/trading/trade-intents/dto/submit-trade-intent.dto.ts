import { IsUuid } from '../../../common/validation';

export class SubmitTradeIntentDto {
  /** One of the caller's live broker connections; its broker must support orders (`paper` for now). */
  @IsUuid()
  connectionId: string;
}
