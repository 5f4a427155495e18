import { Transform } from 'class-transformer';

/** Trims surrounding whitespace of a string body field before it is validated. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
