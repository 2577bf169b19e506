import { ErrorCode } from '@slack/web-api';

/** The `error` string of a Web API `ok: false` answer, such as `not_in_channel`; undefined for any other failure. */
export function platformErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { code?: unknown; data?: { error?: unknown } };
  return candidate.code === ErrorCode.PlatformError && typeof candidate.data?.error === 'string'
    ? candidate.data.error
    : undefined;
}

/** Slack's answer as one code: its `error` string, or what kept it from answering (rate limit, HTTP, network). */
export function slackErrorCode(error: unknown): string | undefined {
  const platform = platformErrorCode(error);
  if (platform) return platform;
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (code === ErrorCode.RateLimitedError) return 'ratelimited';
  if (code === ErrorCode.HTTPError) return 'http_error';
  if (code === ErrorCode.RequestError) return 'request_error';
  return undefined;
}

/** How long a 429 asked to wait, in milliseconds; undefined for any other failure. */
export function retryAfterMs(error: unknown): number | undefined {
  const seconds = (error as { retryAfter?: unknown } | null | undefined)?.retryAfter;
  return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : undefined;
}
