import { z } from 'zod';

/** view.state.values as Slack sends it back: block id → action id → the element's value. */
export type StateValues = Record<string, Record<string, unknown> | undefined>;

/** The shapes of the element values the app's forms read; anything else is treated as empty. */
export const STATE = {
  text: z.object({ value: z.string().nullish() }).partial(),
  option: z.object({ selected_option: z.object({ value: z.string() }).nullish() }).partial(),
  options: z.object({ selected_options: z.array(z.object({ value: z.string() })).nullish() }).partial(),
  users: z.object({ selected_users: z.array(z.string()).nullish() }).partial(),
  conversation: z.object({ selected_conversation: z.string().nullish() }).partial(),
  date: z.object({ selected_date: z.string().nullish() }).partial(),
  time: z.object({ selected_time: z.string().nullish() }).partial(),
} as const;

/**
 * One input's value, or undefined when the block is missing or malformed: forms are read tolerantly so
 * that validation, not a crash, explains what is wrong.
 */
export function readState<T extends z.ZodType>(
  values: StateValues,
  ids: { block: string; action: string },
  shape: T,
): z.infer<T> | undefined {
  const raw = values[ids.block]?.[ids.action];
  if (raw === undefined) return undefined;
  const parsed = shape.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
