import { describe, expect, it } from 'vitest';
import { previousQuarter, quarterContaining, quarterOf, readQuarter } from '../../src/domain/quarters.js';

describe('quarters in a channel’s calendar', () => {
  it('spans a quarter from its first midnight in the zone to the midnight after its last day', () => {
    const quarter = quarterOf(2026, 4, 'Europe/London');
    expect(quarter).toEqual({
      key: '2026-Q4',
      label: 'October – December 2026',
      firstDay: '2026-10-01',
      lastDay: '2026-12-31',
      // London is on summer time on 1 October.
      start: new Date('2026-09-30T23:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
    });
  });

  it('finds the quarter of an instant in the channel’s zone, not in UTC', () => {
    const lastEveningOfJune = new Date('2026-06-30T20:00:00Z');
    expect(quarterContaining(lastEveningOfJune, 'America/Los_Angeles').key).toBe('2026-Q2');
    expect(quarterContaining(lastEveningOfJune, 'Asia/Tokyo').key).toBe('2026-Q3');
  });

  it('steps back over a year’s end', () => {
    expect(previousQuarter(quarterOf(2027, 1, 'UTC'), 'UTC').key).toBe('2026-Q4');
    expect(previousQuarter(quarterOf(2026, 3, 'UTC'), 'UTC')).toMatchObject({
      key: '2026-Q2',
      firstDay: '2026-04-01',
      lastDay: '2026-06-30',
    });
  });

  it('reads the ways a person writes a quarter, and nothing else', () => {
    for (const text of ['2026-Q3', '2026 q3', 'Q3 2026', 'q3-2026', ' 2026Q3 ']) {
      expect(readQuarter(text, 'UTC')?.key, text).toBe('2026-Q3');
    }
    for (const text of ['2026-Q5', 'Q0 2026', 'third quarter', '26-Q3', '']) {
      expect(readQuarter(text, 'UTC'), text).toBeUndefined();
    }
  });
});
