const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from button values and metadata; anything that is not a uuid simply matches nothing. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Channels (C…) and private channels (G…) can hold reviews and rhythms; direct messages cannot. */
export function isTeamChannel(channelId: string | undefined): channelId is string {
  return Boolean(channelId && /^[CG][A-Z0-9]+$/.test(channelId));
}
