import {
  applyDecorators,
  type ArgumentMetadata,
  Param,
  ParseUUIDPipe,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { ApiParam, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsISO8601,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import type { FieldError } from '../../domain/field-error';
import { normalizeSymbol, SYMBOL_MAX_LENGTH, SYMBOL_PATTERN } from '../../domain/market';
import { UUID_LENGTH } from '../docs/schema-bounds';
import { badRequest } from './problem';
import { unacceptableInput } from './request-input';
import { Trim } from './strings';

/** Flattens class-validator's nested errors into `{field: "items.3.symbol", message}` pairs. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

const INVALID_REQUEST = 'The request is not valid.';

/**
 * Nest's ValidationPipe, which first holds every body, query and path parameter a handler
 * receives (whatever its type, a DTO or a plain string) to the one rule of `unacceptableInput`:
 * no control characters or unpaired surrogates in any text, no `prototype`/`__proto__`/
 * `constructor` keys. Values of custom decorators (the caller) are not the client's input.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const errors = unacceptableInput(value, metadata.data ?? '');
      if (errors.length > 0) throw badRequest(INVALID_REQUEST, errors);
    }
    return super.transform(value, metadata);
  }
}

/**
 * The global pipe: unknown fields are rejected, payloads become DTO instances, and every
 * failure is a 400 problem document listing each offending field.
 */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => badRequest(INVALID_REQUEST, flattenValidationErrors(errors)),
  });
}

/**
 * An enumerated field: validated against the list and documented as a named enum, so the
 * generated client gets a union type (`Universe`, `Exchange`, …) instead of `string`.
 */
export function IsEnumValue(values: readonly string[], enumName: string): PropertyDecorator;
/** A list of enumeration values, at most `maxItems` of them (validated and documented). */
export function IsEnumValue(
  values: readonly string[],
  enumName: string,
  options: { isArray: true; maxItems: number },
): PropertyDecorator;
export function IsEnumValue(
  values: readonly string[],
  enumName: string,
  options?: { isArray: true; maxItems: number },
) {
  if (!options) return applyDecorators(IsIn(values as string[]), ApiProperty({ enum: values as string[], enumName }));
  return applyDecorators(
    IsArray(),
    ArrayMaxSize(options.maxItems),
    IsIn(values as string[], { each: true }),
    ApiProperty({ enum: values as string[], enumName, isArray: true, maxItems: options.maxItems }),
  );
}

/** The field must be sent, though it may be null (`primaryMode` in a full replace). */
export function IsPresent() {
  return ValidateBy({
    name: 'isPresent',
    validator: {
      validate: (value: unknown) => value !== undefined,
      defaultMessage: (args) => `${args?.property} must be present (null is allowed)`,
    },
  });
}

/**
 * The field may be left out (a partial update keeps it), but when sent it must be valid, null
 * included. `@IsOptional()` would skip validation for null as well and let it through to a
 * column that cannot hold it.
 */
export const IsOptionalNonNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** The longest email address that can be delivered (RFC 5321's limit on a forward path). */
export const EMAIL_MAX_LENGTH = 254;

/** An email address body field: trimmed, then checked; documented as `format: email`. */
export function IsEmailAddress() {
  return applyDecorators(
    Trim(),
    IsEmail(),
    MaxChars(EMAIL_MAX_LENGTH),
    ApiProperty({ type: String, format: 'email', maxLength: EMAIL_MAX_LENGTH }),
  );
}

/**
 * The most a password body field may hold: anything longer is a malformed request (400). The
 * password policy's own, shorter limit is a rule, checked by the service (422).
 */
export const PASSWORD_INPUT_MAX_LENGTH = 1024;

/** A password body field, never trimmed; `description` where it is computed (a doc comment cannot be). */
export function IsPasswordInput(description?: string) {
  return applyDecorators(
    IsString(),
    MaxLength(PASSWORD_INPUT_MAX_LENGTH),
    ApiProperty({ type: String, maxLength: PASSWORD_INPUT_MAX_LENGTH, description }),
  );
}

/**
 * A market symbol (body field or path parameter): trimmed and upper-cased first, so ` m&m `
 * becomes `M&M`, then checked against `SYMBOL_PATTERN`. The pattern is not put in the OpenAPI
 * schema on purpose: clients may send lower-case or padded symbols.
 */
export function IsSymbol() {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeSymbol(value) : value)),
    IsString(),
    Matches(SYMBOL_PATTERN, {
      message: '$property must be 1 to 32 of A-Z 0-9 & - . _ (after trimming and upper-casing)',
    }),
    ApiProperty({
      type: String,
      maxLength: SYMBOL_MAX_LENGTH,
      example: 'M&M',
      description: 'Trimmed and upper-cased, then 1 to 32 of `A-Z 0-9 & - . _` (`M&M`, `BAJAJ-AUTO`).',
    }),
  );
}

/**
 * A UUID path parameter (`/{id}`): a malformed one is a 400 problem naming the parameter.
 * Documented as a uuid of 36 characters, which is what the pipe lets through.
 */
export function UuidParam(name = 'id'): ParameterDecorator {
  const param = Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        badRequest(`The ${name} is not a valid UUID.`, [{ field: name, message: `${name} must be a UUID` }]),
    }),
  );
  const doc = ApiParam({ name, schema: { type: 'string', format: 'uuid', maxLength: UUID_LENGTH } });
  return (target, method, index) => {
    param(target, method, index);
    doc(target, method!, Object.getOwnPropertyDescriptor(target, method!)!);
  };
}

/**
 * The length of a string as PostgreSQL's `varchar(n)` counts it: in code points. class-validator's
 * `@MaxLength`/`@Length` (validator.js `isLength`) do not count U+FE0E/U+FE0F, so a string they let
 * through could still overflow its column (a 500); every stored string is checked with this.
 */
export const charLength = (value: string): number => [...value].length;

/**
 * A string of `min` to `max` characters counted as the database counts them (`charLength`), with
 * class-validator's messages; documented as `minLength`/`maxLength`.
 */
export function LengthInChars(min: number, max: number) {
  return applyDecorators(
    ValidateBy({
      name: 'lengthInChars',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && charLength(value) >= min && charLength(value) <= max,
        defaultMessage: (args) => {
          const length = typeof args?.value === 'string' ? charLength(args.value) : undefined;
          if (length !== undefined && length > max)
            return `${args?.property} must be shorter than or equal to ${max} characters`;
          if (min === 0) return `${args?.property} must be shorter than or equal to ${max} characters`;
          if (length !== undefined && length < min)
            return `${args?.property} must be longer than or equal to ${min} characters`;
          return `${args?.property} must be longer than or equal to ${min} and shorter than or equal to ${max} characters`;
        },
      },
    }),
    ApiProperty({ ...(min > 0 ? { minLength: min } : {}), maxLength: max }),
  );
}

/** At most `max` characters, counted as the database counts them (see `LengthInChars`). */
export const MaxChars = (max: number) => LengthInChars(0, max);

/** A uuid body field or query parameter: 36 characters is all IsUUID lets through. */
export const IsUuid = () =>
  applyDecorators(IsUUID(), ApiProperty({ type: String, format: 'uuid', maxLength: UUID_LENGTH }));

/** ISO 8601 timestamps sent by clients: `2025-01-31T23:59:59.123456789+05:30` is 35 characters. */
export const TIMESTAMP_INPUT_MAX_LENGTH = 40;

/** A timestamp field or query parameter (ISO 8601, strict), at most TIMESTAMP_INPUT_MAX_LENGTH characters. */
export function IsTimestamp() {
  return applyDecorators(
    IsISO8601({ strict: true, strictSeparator: true }),
    MaxLength(TIMESTAMP_INPUT_MAX_LENGTH),
    ApiProperty({ type: String, format: 'date-time', maxLength: TIMESTAMP_INPUT_MAX_LENGTH }),
  );
}
