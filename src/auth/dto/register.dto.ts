import { IsString, Length, MaxLength } from 'class-validator';
import { Trim } from '../../common/strings';
import { IsEmailAddress } from '../../common/validation';

export class RegisterDto {
  /** Unique, case-insensitively. @example "priya@example.com" */
  @IsEmailAddress()
  email: string;

  /**
   * 10 to 128 characters, not the email, not a well-known common password (422 otherwise).
   * @example "correct horse battery staple"
   */
  @IsString()
  @MaxLength(1024)
  password: string;

  /** Display name, 1 to 100 characters. @example "Priya Raman" */
  @Trim()
  @IsString()
  @Length(1, 100)
  name: string;
}
