import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import type { AuthUser } from '../auth/auth-user';
import { Authenticated } from '../auth/auth.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiInvalidRequest, ApiProblem } from '../docs/problem-response';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { toUserResponse, UserResponseDto } from './dto/user-response.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users/me')
@Authenticated()
@ApiProblem(404, 'The account was deleted after the access token was issued.')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** The caller's account (replaces `arise_account_profile_v1`). */
  @Get()
  @ApiOkResponse({ type: UserResponseDto })
  async getMe(@CurrentUser() user: AuthUser): Promise<UserResponseDto> {
    return toUserResponse(await this.users.getById(user.id));
  }

  /** Changes the caller's display name. */
  @Patch()
  @Audited('profile')
  @ApiOkResponse({ type: UserResponseDto })
  @ApiInvalidRequest()
  async updateMe(@CurrentUser() user: AuthUser, @Body() dto: UpdateProfileDto): Promise<UserResponseDto> {
    return toUserResponse(await this.users.updateName(user.id, dto.name));
  }
}
