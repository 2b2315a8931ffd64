/**
 * A record that carries its own JSON text. The snapshot writer and the journal write that text as
 * is instead of serialising the record again; JSON.stringify (through the record's toJSON) must
 * give the same text, so either way the file holds the same bytes.
 */
export const jsonText = Symbol('jsonText');

export interface WithJsonText {
  readonly [jsonText]: string;
}

/** The record's own JSON text if it has one, else JSON.stringify's. */
export function toJsonText(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && jsonText in value) return (value as WithJsonText)[jsonText];
  return JSON.stringify(value);
}
