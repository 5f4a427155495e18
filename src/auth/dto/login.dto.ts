import { IsEmailAddress, IsPasswordInput } from '../../common/validation';

export class LoginDto {
  /** @example "priya@example.com" */
  @IsEmailAddress()
  email: string;

  /** @example "correct horse battery staple" */
  @IsPasswordInput()
  password: string;
}
