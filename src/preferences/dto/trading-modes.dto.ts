import { PartialType } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

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

/** Only the modes to switch; the others keep their state (null is 400, not "keep"). */
export class PartialTradingModesDto extends PartialType(TradingModesDto, { skipNullProperties: false }) {}
