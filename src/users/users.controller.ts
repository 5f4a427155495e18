import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import type { AuthUser } from '../auth/auth-user';
import { Authenticated } from '../auth/auth.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { notFound } from '../common/problem';
import { ApiInvalidRequest, ApiProblem } from '../docs/problem-response';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { UuidParam } from '../common/validation';
import { AdminUserResponseDto, toAdminUserResponse, toUserResponse, UserResponseDto } from './dto/user-response.dto';
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

@ApiTags('admin')
@Controller('admin/users')
@Authenticated('admin')
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  /** One account, erased ones too (shown as `erased`, without anything that identifies the person). */
  @Get(':id')
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiInvalidRequest()
  @ApiProblem(404, 'No account has this id.')
  async getUser(@UuidParam() id: string): Promise<AdminUserResponseDto> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('No such user.');
    return toAdminUserResponse(user);
  }
}
