import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError, type Logger } from '../logger.js';

/** Why an installation did not complete, as the installer's browser is told. */
interface InstallProblem {
  status: number;
  title: string;
  advice: string;
}

const CANCELLED: InstallProblem = {
  status: 400,
  title: 'Installation cancelled',
  advice:
    'Learning Thread was not installed. To install it after all, open the install link again and choose Allow.',
};
const EXPIRED: InstallProblem = {
  status: 400,
  title: 'This installation link has expired',
  advice:
    'The link was opened in another browser or too long ago. Open the install link again in this browser and approve it within ten minutes.',
};
const REFUSED: InstallProblem = {
  status: 400,
  title: 'Slack did not confirm the installation',
  advice:
    'Slack refused the approval code (it may have been used already). Open the install link again to start over.',
};
const NOT_SAVED: InstallProblem = {
  status: 503,
  title: 'The installation could not be saved',
  advice: 'Nothing was installed. Please open the install link again in a few minutes.',
};

/** Slack's own codes for an approval code it will not exchange for tokens. */
const REFUSED_CODES: ReadonlySet<string> = new Set([
  'invalid_code',
  'code_already_used',
  'code_expired',
  'bad_redirect_uri',
  'invalid_grant_type',
  'oauth_authorization_url_mismatch',
]);

function problemOf(error: unknown, req: IncomingMessage): InstallProblem {
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  if (query.get('error') === 'access_denied') return CANCELLED;
  const { code } = describeError(error);
  if (code === 'slack_oauth_installer_authorization_error') return CANCELLED;
  if (code === 'slack_oauth_missing_state' || code === 'slack_oauth_invalid_state') return EXPIRED;
  if (code === 'slack_oauth_missing_code' || (code && REFUSED_CODES.has(code))) return REFUSED;
  if (query.has('error')) return REFUSED;
  return NOT_SAVED;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function page(problem: InstallProblem): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(problem.title)}</title></head>
<body><h1>${escapeHtml(problem.title)}</h1><p>${escapeHtml(problem.advice)}</p>
<p><a href="/slack/install">Install Learning Thread</a></p></body></html>
`;
}

/**
 * The OAuth callback's answer when an installation does not complete: a short page saying what happened
 * and how to try again, with a 4xx status for what the installer or Slack decided (cancelled, expired,
 * refused) and 503 when it could not be saved here. Bolt's default is a 500 with a generic page.
 */
export function installCallbackOptions(log: Logger) {
  return {
    failure: (error: Error, _options: unknown, req: IncomingMessage, res: ServerResponse) => {
      const problem = problemOf(error, req);
      log.warn({ err: describeError(error), status: problem.status }, 'installation not completed');
      res.writeHead(problem.status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(page(problem));
    },
  };
}
