import { OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { IsOptionalNonNull } from '../../common/validation';
import { ReplacePreferencesDto } from './replace-preferences.dto';
import { PartialTradingModesDto } from './trading-modes.dto';

/**
 * `PATCH /preferences`: only the fields sent change; `tradingModes` may name some modes only.
 * `skipNullProperties: false`: a field left out is skipped, but a null one is still validated
 * (so `universe: null` is 400), while `primaryMode: null` stays allowed as in a replace.
 */
export class UpdatePreferencesDto extends PartialType(OmitType(ReplacePreferencesDto, ['tradingModes'] as const), {
  skipNullProperties: false,
}) {
  @IsOptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => PartialTradingModesDto)
  tradingModes?: PartialTradingModesDto;
}
