import type { z } from 'zod';
import type { StateValues } from '../views/state.js';

/**
 * One modal's round trip: the callback it comes back under, what it carries in private_metadata, how
 * its inputs read as a typed draft, and the block where a problem with each draft field is shown.
 */
export interface FormCodec<Metadata, Draft, Field extends string> {
  callbackId: string;
  metadata: z.ZodType<Metadata>;
  /** Tolerant of missing or malformed blocks, so that validation, not a crash, explains what is wrong. */
  read(values: StateValues, metadata: Metadata): Draft;
  blockOf(field: Field): string;
  /**
   * Where a problem with the whole form is shown; the metadata is absent when it could not be read. A form
   * without inputs has nowhere to show one, and simply closes.
   */
  firstField(metadata: Metadata | undefined): Field | undefined;
  words: {
    /** The form came back without the metadata or workspace it was opened with. */
    unreadable: string;
    /** Saving failed: the form stays open with everything the person wrote. */
    notSaved: string;
  };
}

/** Field errors placed under the blocks that show them. */
export function errorsUnder<Field extends string>(
  blockOf: (field: Field) => string,
  errors: Partial<Record<Field, string>>,
): Record<string, string> {
  const byBlock: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as Array<[Field, string | undefined]>) {
    if (message) byBlock[blockOf(field)] = message;
  }
  return byBlock;
}
