import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, appConfig } from '../config/app-config';
import { FEATURE_FLAGS, type FeatureFlag, isEnabled } from './feature-flags';

/** The caller's feature flags, rolled out by percentage per stage (FEATURE_*_PERCENT). */
@Injectable()
export class FeaturesService {
  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {}

  isEnabled(flag: FeatureFlag, userId: string): boolean {
    return isEnabled(flag, userId, this.config.features[flag]);
  }

  flagsFor(userId: string): Record<FeatureFlag, boolean> {
    return Object.fromEntries(FEATURE_FLAGS.map((flag) => [flag, this.isEnabled(flag, userId)])) as Record<
      FeatureFlag,
      boolean
    >;
  }
}
