import { IsBoolean, IsOptional } from 'class-validator';

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
  @IsOptional()
  @IsBoolean()
  Intraday?: boolean;
  @IsOptional()
  @IsBoolean()
  Swing?: boolean;
  @IsOptional()
  @IsBoolean()
  Options?: boolean;
  @IsOptional()
  @IsBoolean()
  Futures?: boolean;
}
