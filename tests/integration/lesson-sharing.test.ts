import { describe, expect, it } from 'vitest';
import {
  channelsSharingLessons,
  findLessonSharing,
  keepLessonsPrivate,
  shareLessons,
} from '../../src/db/queries/lessons.js';
import { countChannelData, deleteChannelData, forgetPerson } from '../../src/db/queries/ownership.js';
import type { WorkspaceScope } from '../../src/db/queries/scope.js';
import { purgeWorkspaceData } from '../../src/db/queries/workspace-data.js';
import { afterActionReviews } from '../../src/db/schema.js';
import { DRIVERS } from '../support/databases.js';
import { useMigratedDatabase } from '../support/lifecycle.js';

const HERE: WorkspaceScope = { teamId: 'T0HERE', enterpriseId: null };
const THERE: WorkspaceScope = { teamId: 'T0THERE', enterpriseId: 'E0GRID' };
const at = new Date('2026-12-01T09:00:00Z');

describe.each(DRIVERS)('a channel’s lessons shared with the workspace (%s)', (driver) => {
  const handle = useMigratedDatabase(driver);

  async function afterActionIn(scope: WorkspaceScope, channelId: string) {
    await handle.db.insert(afterActionReviews).values({
      teamId: scope.teamId,
      enterpriseId: scope.enterpriseId ?? '',
      channelId,
      authorId: 'U0AUTHOR',
      whatHappened: 'It went well.',
      whyDifferent: '',
      sustain: '',
      change: 'Start sooner',
      sourceViewId: `V0${scope.teamId}${channelId}`,
      createdAt: at,
      updatedAt: at,
    });
  }

  it('keeps who shared first, and lists only its own workspace’s sharing channels', async () => {
    expect(await shareLessons(handle.db, HERE, { channelId: 'C0A', userId: 'U0STEWARD', now: at })).toBe(
      true,
    );
    expect(await shareLessons(handle.db, HERE, { channelId: 'C0A', userId: 'U0OTHER', now: at })).toBe(false);
    expect((await findLessonSharing(handle.db, HERE, 'C0A'))?.sharedBy).toBe('U0STEWARD');
    await shareLessons(handle.db, THERE, { channelId: 'C0A', userId: 'U0STEWARD', now: at });
    await shareLessons(handle.db, HERE, { channelId: 'C0EMPTY', userId: 'U0STEWARD', now: at });
    await afterActionIn(HERE, 'C0A');
    await afterActionIn(THERE, 'C0THEIRS');
    await afterActionIn(HERE, 'C0UNSHARED');
    // A channel sharing nothing yet, another's, and one that has not shared are not listed.
    expect(await channelsSharingLessons(handle.db, HERE, { except: 'C0B', limit: 10 })).toEqual(['C0A']);
    expect(await channelsSharingLessons(handle.db, HERE, { except: 'C0A', limit: 10 })).toEqual([]);
  });

  it('takes a forgotten person’s name off it, and keeps the channel sharing', async () => {
    await forgetPerson(handle.db, HERE, { userId: 'U0STEWARD', now: at });
    const row = await findLessonSharing(handle.db, HERE, 'C0A');
    expect(row?.sharedBy).toBe('');
    // Another workspace's row of the same person is its own to forget.
    expect((await findLessonSharing(handle.db, THERE, 'C0A'))?.sharedBy).toBe('U0STEWARD');
  });

  it('goes with the channel’s data and with the workspace’s', async () => {
    expect((await countChannelData(handle.db, HERE, 'C0A')).lessonSharing).toBe(1);
    expect((await deleteChannelData(handle.db, HERE, 'C0A')).lessonSharing).toBe(1);
    expect(await findLessonSharing(handle.db, HERE, 'C0A')).toBeUndefined();
    expect(await keepLessonsPrivate(handle.db, HERE, 'C0EMPTY')).toBe(true);
    const purged = await purgeWorkspaceData(handle.db, {
      teamId: THERE.teamId,
      enterpriseId: 'E0GRID',
      isEnterpriseInstall: false,
    });
    expect(purged.lesson_sharing).toBe(1);
  });
});
