import { and, eq } from 'drizzle-orm';
import type { Database } from '../client.js';
import { beforeActionReviews, type Occurrence, occurrences } from '../schema.js';
import { inWorkspace, type WorkspaceScope, workspaceOf } from './scope.js';

/** One message per workflow run: Slack may send the same run's event again, and it must not post twice. */
export function workflowStepKey(executionId: string): string {
  return `workflow:${executionId}`;
}

/**
 * Writes the reflection question a workflow asked as a prompt due at once, its words stored with it as a
 * rhythm's prompt is. Returns its id, or undefined when the same run already wrote it.
 */
export async function recordWorkflowPrompt(
  db: Database,
  scope: WorkspaceScope,
  prompt: { channelId: string; executionId: string; question: string; now: Date },
): Promise<string | undefined> {
  const [inserted] = await db
    .insert(occurrences)
    .values({
      ...workspaceOf(scope),
      channelId: prompt.channelId,
      kind: 'workflow_prompt',
      effectKey: workflowStepKey(prompt.executionId),
      promptKey: 'workflow',
      promptText: prompt.question,
      dueAt: prompt.now,
      status: 'pending',
      createdAt: prompt.now,
      updatedAt: prompt.now,
    })
    .onConflictDoNothing({ target: [occurrences.teamId, occurrences.effectKey] })
    .returning({ id: occurrences.id });
  return inserted?.id;
}

/** What a workflow run wrote, whatever became of it. */
export async function findWorkflowStepEffect(
  db: Database,
  scope: WorkspaceScope,
  executionId: string,
): Promise<Occurrence | undefined> {
  const [row] = await db
    .select()
    .from(occurrences)
    .where(and(inWorkspace(occurrences, scope), eq(occurrences.effectKey, workflowStepKey(executionId))));
  return row;
}

/** The before-action review whose summary is the message at `ts` in a channel, if any. */
export async function findReviewBySummary(
  db: Database,
  scope: WorkspaceScope,
  summary: { channelId: string; ts: string },
): Promise<{ id: string; status: string } | undefined> {
  const [row] = await db
    .select({ id: beforeActionReviews.id, status: beforeActionReviews.status })
    .from(beforeActionReviews)
    .where(
      and(
        inWorkspace(beforeActionReviews, scope),
        eq(beforeActionReviews.channelId, summary.channelId),
        eq(beforeActionReviews.summaryTs, summary.ts),
      ),
    );
  return row;
}
