import { describe, expect, it } from 'vitest';
import { planActivityQuery, USER_STREAM_LIMIT } from '../../../shared/adapters/dynamodb/activity-plan.ts';

const base = { expiredAsOf: '2026-11-22T00:00:00.000Z' };
const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);

describe('the activity query planner', () => {
  it('opens one byUser stream per person for a small user set', () => {
    const plan = planActivityQuery({ ...base, userIds: ['a', 'b', 'c', 'd', 'e'] }, 't1', 4);
    expect(plan.index).toBe('byUser');
    expect(plan.streams.map((s) => s.partitionKeyValue)).toEqual(['t1#a', 't1#b', 't1#c', 't1#d', 't1#e']);
    expect(plan.streams.every((s) => s.indexName === 'byUser' && s.partitionKeyName === 'up')).toBe(true);
  });

  it('reads nothing for an empty user set', () => {
    expect(planActivityQuery({ ...base, userIds: [] }, 't1', 1)).toMatchObject({
      index: 'none',
      streams: [],
    });
  });

  it('falls back to the sharded time index past the user threshold', () => {
    const plan = planActivityQuery({ ...base, userIds: ids(USER_STREAM_LIMIT + 1) }, 't1', 3);
    expect(plan.index).toBe('byTime');
    expect(plan.streams.map((s) => s.partitionKeyValue)).toEqual(['t1#0', 't1#1', 't1#2']);
    expect(plan.usersInMemory).toBe(false);
    expect(planActivityQuery({ ...base, userIds: ids(150) }, 't1', 1).usersInMemory).toBe(true);
  });

  it('prefers content, then bulk import, then action, then content type', () => {
    expect(planActivityQuery({ ...base, contentIds: ['c1', 'c2'] }, 't', 1).index).toBe('byContent');
    expect(planActivityQuery({ ...base, bulkImportIds: ['b'], actions: ['Read'] }, 't', 1).index).toBe(
      'byBulkImport',
    );
    const byAction = planActivityQuery(
      { ...base, actions: ['Read', 'Failed'], contentTypes: ['Quiz'] },
      't',
      2,
    );
    expect(byAction.index).toBe('byAction');
    expect(byAction.streams.map((s) => s.partitionKeyValue)).toEqual([
      't#0#Read',
      't#0#Failed',
      't#1#Read',
      't#1#Failed',
    ]);
    expect(planActivityQuery({ ...base, contentTypes: ['Quiz'] }, 't', 1).streams[0]).toMatchObject({
      indexName: 'byContentType',
      partitionKeyValue: 't#0#Quiz',
    });
    expect(planActivityQuery({ ...base }, 't', 1).index).toBe('byTime');
  });

  it('takes whichever of a user set and a content set opens fewer streams', () => {
    expect(planActivityQuery({ ...base, userIds: ids(5), contentIds: ['c1'] }, 't', 1).index).toBe(
      'byContent',
    );
    expect(
      planActivityQuery({ ...base, userIds: ids(2), contentIds: ['c1', 'c2', 'c3'] }, 't', 1).index,
    ).toBe('byUser');
  });
});

describe('the planner with actions', () => {
  it('reads the person × action or content × action partitions: exactly the matches', () => {
    const team = planActivityQuery({ ...base, userIds: ['a', 'b'], actions: ['Failed', 'Started'] }, 't1', 4);
    expect(team.index).toBe('byUserAction');
    expect(team.streams.map((s) => s.partitionKeyValue)).toEqual([
      't1#a#Failed',
      't1#a#Started',
      't1#b#Failed',
      't1#b#Started',
    ]);
    expect(team.streams.every((s) => s.partitionKeyName === 'uap')).toBe(true);
    const course = planActivityQuery({ ...base, contentIds: ['c1'], actions: ['Completed'] }, 't1', 1);
    expect(course.index).toBe('byContentAction');
    expect(course.streams).toEqual([
      { indexName: 'byContentAction', partitionKeyName: 'cap', partitionKeyValue: 't1#c1#Completed' },
    ]);
  });

  it('keeps one stream per person when person × action would open too many', () => {
    const plan = planActivityQuery(
      { ...base, userIds: ids(20), actions: ['Failed', 'Started', 'Completed'] },
      't',
      1,
    );
    expect(plan.index).toBe('byUser');
    expect(plan.streams).toHaveLength(20);
  });
});

describe('the planner with the directory’s head count', () => {
  it('reads the time window once when the user set is most of the tenant', () => {
    expect(planActivityQuery({ ...base, userIds: ids(40) }, 't', 1, 45).index).toBe('byTime');
    expect(planActivityQuery({ ...base, userIds: ids(40) }, 't', 1, 400).index).toBe('byUser');
    expect(planActivityQuery({ ...base, userIds: ids(5) }, 't', 1, 6).index).toBe('byUser');
  });
});
