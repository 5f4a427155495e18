import { ApiProperty } from '@nestjs/swagger';
import { TRADING_MODES, type TradingMode } from '../../../domain/market';
import {
  MARKET_REGIONS,
  type MarketRegion,
  RISK_PROFILES,
  type RiskProfile,
  UNIVERSES,
  type Universe,
} from '../../../domain/preferences.enums';
import { ApiTimestamp } from '../../docs/schema-bounds';
import { TradingModesDto } from './trading-modes.dto';

/** A user's preferences: the saved row, or the documented defaults (version 0). */
export class PreferencesResponseDto {
  disclosureAccepted: boolean;
  /** Set by the server when the disclosure became accepted; null while it is not. */
  @ApiTimestamp()
  disclosureAcceptedAt: Date | null;
  @ApiProperty({ enum: UNIVERSES, enumName: 'Universe' })
  universe: Universe;
  @ApiProperty({ enum: MARKET_REGIONS, enumName: 'MarketRegion' })
  marketRegion: MarketRegion;
  @ApiProperty({ enum: RISK_PROFILES, enumName: 'RiskProfile' })
  riskProfile: RiskProfile;
  tradingModes: TradingModesDto;
  @ApiProperty({ enum: TRADING_MODES, enumName: 'TradingMode', nullable: true })
  primaryMode: TradingMode | null;
  @ApiProperty({ enum: TRADING_MODES, enumName: 'TradingMode', isArray: true, maxItems: TRADING_MODES.length })
  auxiliaryModes: TradingMode[];
  /** Increases with every change; also the `ETag`. 0 until the first save. */
  version: number;
  /** Null until the first save. */
  @ApiTimestamp()
  updatedAt: Date | null;
}
