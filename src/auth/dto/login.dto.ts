import { IsEmail, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/strings';

export class LoginDto {
  /** @example "priya@example.com" */
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** @example "correct horse battery staple" */
  @IsString()
  @MaxLength(1024)
  password: string;
}
