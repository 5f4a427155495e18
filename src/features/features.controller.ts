import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { Authenticated } from '../auth/auth.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { FeaturesResponseDto } from './dto/features-response.dto';
import { FeaturesService } from './features.service';

@ApiTags('features')
@Controller('features')
@Authenticated()
export class FeaturesController {
  constructor(private readonly features: FeaturesService) {}

  /** The caller's feature flags, for a gradual rollout: each flag is on for a configured share of users. */
  @Get()
  @ApiOkResponse({ type: FeaturesResponseDto })
  getFeatures(@CurrentUser() user: AuthUser): FeaturesResponseDto {
    return this.features.flagsFor(user.id);
  }
}
