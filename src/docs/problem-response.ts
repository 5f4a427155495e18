import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  type ApiResponseOptions,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_BOUNDS, PROBLEM_CONTENT_TYPE } from '../common/problem';
import { REQUEST_ID_MAX_LENGTH } from '../common/request-id';

type ResponseHeaders = ApiResponseOptions['headers'];

export class FieldErrorResponse {
  /** Dotted path of the offending field. @example "tradingModes.Swing" */
  @ApiProperty({ example: 'tradingModes.Swing', maxLength: PROBLEM_BOUNDS.field })
  field: string;
  @ApiProperty({ example: 'Swing must be a boolean value', maxLength: PROBLEM_BOUNDS.message })
  message: string;
}

/** The RFC 9457 problem document every error of this API is answered with. */
export class ProblemResponse {
  @ApiProperty({
    example: 'urn:fyntrix:problem:validation-failed',
    description: '`about:blank` or a `urn:fyntrix:problem:*` type',
    maxLength: PROBLEM_BOUNDS.type,
  })
  type: string;
  @ApiProperty({ example: 'Bad Request', maxLength: PROBLEM_BOUNDS.title })
  title: string;
  @ApiProperty({ example: 400, type: 'integer', format: 'int32', minimum: 400, maximum: 599 })
  status: number;
  @ApiProperty({ example: 'The request is not valid.', maxLength: PROBLEM_BOUNDS.detail })
  detail: string;
  @ApiProperty({
    example: '/api/v1/preferences',
    description: `The request path (cut to ${PROBLEM_BOUNDS.instance} characters).`,
    maxLength: PROBLEM_BOUNDS.instance,
  })
  instance: string;
  @ApiProperty({ example: '6f1c1a8e-0d6b-4f57-9a57-0f9f2d1f8b51', maxLength: REQUEST_ID_MAX_LENGTH })
  requestId: string;
  @ApiPropertyOptional({
    type: [FieldErrorResponse],
    maxItems: PROBLEM_BOUNDS.errors,
    description: `One entry per offending field (400 and 422), the first ${PROBLEM_BOUNDS.errors}.`,
  })
  errors?: FieldErrorResponse[];
}

/** An error response as `application/problem+json`, for `@ApiProblem()` and the document's post-pass. */
export function problemResponse(description: string, headers?: ResponseHeaders) {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemResponse) } } },
  };
}

/**
 * Documents one error response of a route as `application/problem+json`. Every route lists
 * the errors it can answer with, so the generated client and QA know them.
 */
export function ApiProblem(status: number, description: string, headers?: ResponseHeaders) {
  return applyDecorators(
    ApiExtraModels(ProblemResponse),
    ApiResponse({ status, ...problemResponse(description, headers) }),
  );
}

/** 400 for a body, query or path that does not match the documented shape. */
export const ApiInvalidRequest = () =>
  ApiProblem(400, 'Malformed JSON, an unknown field, or a field of the wrong type or format (see `errors`).');

/** 429 with `Retry-After`, on every route: limits are per user when signed in, else per IP. */
export const ApiRateLimited = () => ApiProblem(429, 'Too many requests; retry after `Retry-After` seconds.');
