/**
 * A deep copy of a record as the store holds it: plain objects, arrays, strings, numbers,
 * booleans, null and undefined (what zod parsed from JSON). Several times cheaper than
 * structuredClone for the store's small records, which every read copies; like it, only own
 * enumerable properties are copied (an outbox message's hidden toJSON stays behind).
 *
 * @param value - The record, or any part of one.
 * @returns A copy sharing nothing with `value`.
 */
export function plainCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plainCopy) as T;
  const copied: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copied[key] = plainCopy((value as Record<string, unknown>)[key]);
  return copied as T;
}
