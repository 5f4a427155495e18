import { IsEmail, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/strings';
import { LengthInChars, MaxChars } from '../../common/validation';

export class RegisterDto {
  /** Unique, case-insensitively. @example "priya@example.com" */
  @Trim()
  @IsEmail()
  @MaxChars(254)
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
  @LengthInChars(1, 100)
  name: string;
}
