import { MAX_JSON_DEPTH } from '../../domain/json-depth';

/** The error of a request body nested deeper than MAX_JSON_DEPTH; the problem filter answers it as a 400. */
export const JSON_TOO_DEEP = {
  statusCode: 400,
  code: 'JSON_TOO_DEEP',
  message: `The request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep.`,
} as const;
