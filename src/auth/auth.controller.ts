import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiInvalidRequest, ApiProblem, ApiRateLimited } from '../docs/problem-response';
import { AuthRateLimit } from '../rate-limit/rate-limit.decorators';
import { Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { RegisterDto } from './dto/register.dto';
import { SessionResponseDto } from './dto/session-response.dto';
import { PASSWORD_POLICY } from './password-policy';

@ApiTags('auth')
@Controller('auth')
@Public()
@AuthRateLimit()
@ApiInvalidRequest()
@ApiRateLimited()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Creates an account and signs it in. */
  @Post('register')
  @ApiCreatedResponse({ type: SessionResponseDto })
  @ApiProblem(409, 'An account with this email already exists.')
  @ApiProblem(422, `The password breaks the policy: ${PASSWORD_POLICY}.`)
  register(@Body() dto: RegisterDto): Promise<SessionResponseDto> {
    return this.auth.register(dto);
  }

  /** Signs in with email and password. */
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiProblem(401, 'The email or password is incorrect (one answer for both).')
  login(@Body() dto: LoginDto): Promise<SessionResponseDto> {
    return this.auth.login(dto);
  }

  /** Exchanges a refresh token for a new pair; the presented token stops working. */
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SessionResponseDto })
  @ApiProblem(401, 'The refresh token is invalid, expired, revoked or was already used (which revokes its session).')
  refresh(@Body() dto: RefreshTokenDto): Promise<SessionResponseDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  /** Signs the session out: its refresh tokens stop working. Needs no access token. */
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Signed out (also when the token was unknown or already revoked).' })
  logout(@Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(dto.refreshToken);
  }
}
