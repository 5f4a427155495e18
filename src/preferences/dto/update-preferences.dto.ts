import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, ValidateIf, ValidateNested } from 'class-validator';
import { TRADING_MODES, type TradingMode } from '../../common/market';
import { IsEnumValue, IsOptionalNonNull } from '../../common/validation';
import {
  MARKET_REGIONS,
  type MarketRegion,
  RISK_PROFILES,
  type RiskProfile,
  UNIVERSES,
  type Universe,
} from '../preferences.enums';
import { ReadOnlyPreferenceFields } from './replace-preferences.dto';
import { PartialTradingModesDto } from './trading-modes.dto';

/** `PATCH /preferences`: only the fields sent change; `tradingModes` may name some modes only. */
export class UpdatePreferencesDto extends ReadOnlyPreferenceFields {
  @IsOptionalNonNull()
  @IsBoolean()
  disclosureAccepted?: boolean;

  @IsOptionalNonNull()
  @IsEnumValue(UNIVERSES, 'Universe')
  universe?: Universe;

  @IsOptionalNonNull()
  @IsEnumValue(MARKET_REGIONS, 'MarketRegion')
  marketRegion?: MarketRegion;

  @IsOptionalNonNull()
  @IsEnumValue(RISK_PROFILES, 'RiskProfile')
  riskProfile?: RiskProfile;

  @IsOptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => PartialTradingModesDto)
  tradingModes?: PartialTradingModesDto;

  /** An enabled mode, or null for none. */
  @ValidateIf((dto: UpdatePreferencesDto) => dto.primaryMode !== undefined && dto.primaryMode !== null)
  @ApiProperty({ enum: TRADING_MODES, enumName: 'TradingMode', nullable: true, required: false })
  @IsIn(TRADING_MODES)
  primaryMode?: TradingMode | null;

  @IsOptionalNonNull()
  @IsEnumValue(TRADING_MODES, 'TradingMode', { isArray: true, maxItems: TRADING_MODES.length })
  auxiliaryModes?: TradingMode[];
}
