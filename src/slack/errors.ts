import { ErrorCode } from '@slack/web-api';

/** The `error` string of a Web API `ok: false` answer, such as `not_in_channel`; undefined for other failures. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { code?: unknown; data?: { error?: unknown } };
  if (candidate.code === ErrorCode.PlatformError && typeof candidate.data?.error === 'string') {
    return candidate.data.error;
  }
  if (candidate.code === ErrorCode.RateLimitedError) return 'ratelimited';
  if (candidate.code === ErrorCode.HTTPError) return 'http_error';
  if (candidate.code === ErrorCode.RequestError) return 'request_error';
  return undefined;
}
