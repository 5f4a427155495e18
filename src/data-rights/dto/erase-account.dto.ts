import { IsOptional } from 'class-validator';
import { IsPasswordInput } from '../../common/validation';

/** What erasing the account asks for again. */
export class EraseAccountDto {
  /**
   * The account's current password (password accounts). Accounts of an identity provider send
   * none, but a token from a sign-in at most 5 minutes old.
   * @example "correct horse battery staple"
   */
  @IsOptional()
  @IsPasswordInput()
  password?: string;
}
