import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../common/problem';

export class FieldErrorResponse {
  /** Dotted path of the offending field. @example "tradingModes.Swing" */
  @ApiProperty({ example: 'tradingModes.Swing' })
  field: string;
  @ApiProperty({ example: 'Swing must be a boolean value' })
  message: string;
}

/** The RFC 9457 problem document every error of this API is answered with. */
export class ProblemResponse {
  @ApiProperty({ example: 'urn:fyntrix:problem:validation-failed', description: '`about:blank` or a `urn:fyntrix:problem:*` type' })
  type: string;
  @ApiProperty({ example: 'Bad Request' })
  title: string;
  @ApiProperty({ example: 400 })
  status: number;
  @ApiProperty({ example: 'The request is not valid.' })
  detail: string;
  @ApiProperty({ example: '/api/v1/preferences' })
  instance: string;
  @ApiProperty({ example: '6f1c1a8e-0d6b-4f57-9a57-0f9f2d1f8b51' })
  requestId: string;
  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'One entry per offending field (400 and 422).' })
  errors?: FieldErrorResponse[];
}

/**
 * Documents one error response of a route as `application/problem+json`. Every route lists
 * the errors it can answer with, so the generated client and QA know them.
 */
export function ApiProblem(status: number, description: string) {
  return applyDecorators(
    ApiExtraModels(ProblemResponse),
    ApiResponse({
      status,
      description,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemResponse) } } },
    }),
  );
}

/** 400 for a body, query or path that does not match the documented shape. */
export const ApiInvalidRequest = () =>
  ApiProblem(400, 'Malformed JSON, an unknown field, or a field of the wrong type or format (see `errors`).');

/** 429 with `Retry-After`, on every route: limits are per user when signed in, else per IP. */
export const ApiRateLimited = () => ApiProblem(429, 'Too many requests; retry after `Retry-After` seconds.');
