import type { z } from 'zod';

/**
 * Reads a view's private_metadata. It comes back from the client, so anything that is not the JSON
 * this app wrote is treated as unreadable rather than trusted.
 */
export function readMetadata<T extends z.ZodType>(schema: T, raw: string): z.infer<T> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Closes a modal. Past Slack's three seconds Bolt has already answered, and a late ack throws; what was
 * saved must still be shared, so that failure is swallowed rather than cutting the listener short.
 */
export async function closeModal(ack: () => Promise<void>): Promise<void> {
  try {
    await ack();
  } catch {
    // Already answered: the follow-up below still runs.
  }
}
