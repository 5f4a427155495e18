import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsBoolean, IsIn, IsObject, ValidateIf, ValidateNested } from 'class-validator';
import { TRADING_MODES, type TradingMode } from '../../../domain/market';
import {
  MARKET_REGIONS,
  type MarketRegion,
  RISK_PROFILES,
  type RiskProfile,
  UNIVERSES,
  type Universe,
} from '../../../domain/preferences.enums';
import { IsEnumValue, IsPresent } from '../../common/validation';
import { ApiTimestamp } from '../../docs/schema-bounds';
import { TradingModesDto } from './trading-modes.dto';

/**
 * Fields a client may send back from a GET but that only the server sets: accepted and
 * ignored, so GET-modify-PUT works.
 */
export class ReadOnlyPreferenceFields {
  @ApiProperty({ readOnly: true, required: false, type: Number })
  @Allow()
  version?: unknown;

  @ApiTimestamp({ readOnly: true, required: false, nullable: true })
  @Allow()
  updatedAt?: unknown;

  @ApiTimestamp({ readOnly: true, required: false, nullable: true })
  @Allow()
  disclosureAcceptedAt?: unknown;
}

/** `PUT /preferences`: every writable field is required. */
export class ReplacePreferencesDto extends ReadOnlyPreferenceFields {
  @IsBoolean()
  disclosureAccepted: boolean;

  @IsEnumValue(UNIVERSES, 'Universe')
  universe: Universe;

  @IsEnumValue(MARKET_REGIONS, 'MarketRegion')
  marketRegion: MarketRegion;

  @IsEnumValue(RISK_PROFILES, 'RiskProfile')
  riskProfile: RiskProfile;

  @IsObject()
  @ValidateNested()
  @Type(() => TradingModesDto)
  tradingModes: TradingModesDto;

  /** An enabled mode, or null for none. */
  @IsPresent()
  @ValidateIf((dto: ReplacePreferencesDto) => dto.primaryMode !== null)
  @ApiProperty({ enum: TRADING_MODES, enumName: 'TradingMode', nullable: true })
  @IsIn(TRADING_MODES)
  primaryMode: TradingMode | null;

  /** Enabled modes other than the primary one, each once. */
  @IsEnumValue(TRADING_MODES, 'TradingMode', { isArray: true, maxItems: TRADING_MODES.length })
  auxiliaryModes: TradingMode[];
}
