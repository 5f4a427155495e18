import { IsString, Length } from 'class-validator';
import { Trim } from '../../common/strings';

export class UpdateProfileDto {
  /** Display name, 1 to 100 characters after trimming. @example "Priya Raman" */
  @Trim()
  @IsString()
  @Length(1, 100)
  name: string;
}
