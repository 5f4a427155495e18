import { IsString } from 'class-validator';
import { Trim } from '../../common/strings';
import { IsEmailAddress, IsPasswordInput, LengthInChars } from '../../common/validation';
import { PASSWORD_POLICY } from '../password-policy';

export class RegisterDto {
  /** Unique, case-insensitively. @example "priya@example.com" */
  @IsEmailAddress()
  email: string;

  /** @example "correct horse battery staple" */
  @IsPasswordInput(`${PASSWORD_POLICY} (422 otherwise).`)
  password: string;

  /** Display name, 1 to 100 characters. @example "Priya Raman" */
  @Trim()
  @IsString()
  @LengthInChars(1, 100)
  name: string;
}
