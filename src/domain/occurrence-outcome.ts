/**
 * Why an occurrence was withdrawn (status `cancelled`) instead of posted. Kept apart from `error`,
 * which holds only the code Slack answered with, so a withdrawal never reads as a failure.
 */
export const WITHDRAWN_REASONS = [
  // Its review (or after-action review) is gone.
  'review_deleted',
  // Its review's loop is closed: no check-in is wanted any more.
  'review_closed',
  // The team no longer asks for a pre-action check-in on the review.
  'check_in_turned_off',
  // A pre-action check-in that could only come with or after the look-back check-in.
  'look_back_comes_first',
  // The app's own post in a channel it has been removed from: posting there would undo the removal.
  'app_removed_from_channel',
  // The week held nothing to gather, so no digest was posted.
  'quiet_week',
  // The week's digest was already posted on request.
  'digest_already_posted',
  // A perspective's message is not wanted: the perspective was deleted first.
  'perspective_deleted',
  // The message an update or removal was for is no longer in Slack.
  'message_gone',
  // A summary to rewrite was never posted (Slack refused it), so there is nothing to change.
  'summary_not_posted',
  // A digest's thread follow-up, when the digest itself never went out.
  'digest_not_posted',
  // The channel's learning history canvas was turned off (or deleted) before it was written.
  'history_turned_off',
  // The workspace removed the app or revoked its token.
  'app_uninstalled',
  'tokens_revoked',
] as const;
export type WithdrawnReason = (typeof WITHDRAWN_REASONS)[number];
