import { IsString, MaxLength } from 'class-validator';
import { IsEmailAddress } from '../../common/validation';

export class LoginDto {
  /** @example "priya@example.com" */
  @IsEmailAddress()
  email: string;

  /** @example "correct horse battery staple" */
  @IsString()
  @MaxLength(1024)
  password: string;
}
