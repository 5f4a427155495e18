import { IsString } from 'class-validator';
import { Trim } from '../../common/strings';
import { LengthInChars } from '../../common/validation';

export class UpdateProfileDto {
  /** Display name, 1 to 100 characters after trimming. @example "Priya Raman" */
  @Trim()
  @IsString()
  @LengthInChars(1, 100)
  name: string;
}
