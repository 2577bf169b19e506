import { z } from 'zod';
import { CALLBACKS } from '../ids.js';
import type { FormCodec } from './codec.js';

/** What the author asked to delete, as buildDeleteConfirm wrote it. */
export const deleteMetadataSchema = z.object({
  thing: z.enum(['before', 'after', 'perspective']),
  id: z.uuid(),
});
export type DeleteMetadata = z.infer<typeof deleteMetadataSchema>;

/** The confirmation has no inputs: it carries its question in its metadata and closes whatever happens. */
export const deleteConfirmationForm: FormCodec<DeleteMetadata, undefined, never> = {
  callbackId: CALLBACKS.confirmDelete,
  metadata: deleteMetadataSchema,
  read: () => undefined,
  blockOf: (field) => field,
  firstField: () => undefined,
  words: { unreadable: '', notSaved: '' },
};
