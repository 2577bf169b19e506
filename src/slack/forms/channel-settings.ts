import { z } from 'zod';
import { isTeamChannel } from '../../domain/ids.js';

/** Every channel settings form (rhythm, prompts, questions, stewards) carries the channel it was opened in. */
export const channelSettingsMetadataSchema = z.object({ channelId: z.string().refine(isTeamChannel) });
export type ChannelSettingsMetadata = z.infer<typeof channelSettingsMetadataSchema>;
