import { IsBoolean } from 'class-validator';
import { IsOptionalNonNull } from '../../common/validation';

/** Every trading mode, on or off. */
export class TradingModesDto {
  @IsBoolean()
  Intraday: boolean;
  @IsBoolean()
  Swing: boolean;
  @IsBoolean()
  Options: boolean;
  @IsBoolean()
  Futures: boolean;
}

/** Only the modes to switch; the others keep their state. */
export class PartialTradingModesDto {
  @IsOptionalNonNull()
  @IsBoolean()
  Intraday?: boolean;
  @IsOptionalNonNull()
  @IsBoolean()
  Swing?: boolean;
  @IsOptionalNonNull()
  @IsBoolean()
  Options?: boolean;
  @IsOptionalNonNull()
  @IsBoolean()
  Futures?: boolean;
}
