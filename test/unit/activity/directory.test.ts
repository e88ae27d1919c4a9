import { describe, expect, it } from 'vitest';
import { activityFiltersSchema } from '../../../shared/domain/activity/filters.ts';
import { putUsersSchema, type TeamRecord } from '../../../shared/domain/directory/schemas.ts';
import { DirectorySnapshot } from '../../../shared/domain/directory/snapshot.ts';
import { ValidationError } from '../../../shared/domain/errors.ts';
import { parseInput } from '../../../shared/domain/issues.ts';
import type { DirectoryStore } from '../../../shared/use-cases/directory/ports.ts';
import { upsertTeams } from '../../../shared/use-cases/directory/upsert.ts';

/** A directory store that keeps teams in memory. */
function fakeDirectory(teams: TeamRecord[]) {
  const written: unknown[][] = [];
  const store: Pick<DirectoryStore, 'load' | 'upsert'> = {
    load: async () => new DirectorySnapshot({ users: [], teams, groups: [], content: [] }),
    upsert: (async (_t: string, _k: string, records: unknown[]) => {
      written.push(records);
      return records.length;
    }) as DirectoryStore['upsert'],
  };
  return { store, written };
}

describe('upsertTeams', () => {
  const stored = [
    { id: 'root', name: 'Company' },
    { id: 'a', name: 'A', parentId: 'root' },
  ];

  it('writes a batch that keeps the hierarchy a tree', async () => {
    const { store, written } = fakeDirectory(stored);
    const out = await upsertTeams(
      { directory: store },
      { tenantId: 't', teams: [{ id: 'b', name: 'B', parentId: 'a' }] },
    );
    expect(out).toEqual({ upserted: 1 });
    expect(written).toHaveLength(1);
  });

  it('rejects a batch that would loop, naming the parentId, and writes nothing', async () => {
    const { store, written } = fakeDirectory(stored);
    const err = await upsertTeams(
      { directory: store },
      {
        tenantId: 't',
        teams: [
          { id: 'c', name: 'C' },
          { id: 'root', name: 'Company', parentId: 'a' },
        ],
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors).toEqual([
      { path: 'teams[1].parentId', message: 'would make the team hierarchy loop' },
    ]);
    expect(written).toHaveLength(0);
  });
});

describe('directory and filter schemas', () => {
  it('names every bad path of a users batch', () => {
    const err = (() => {
      try {
        parseInput(putUsersSchema, {
          tenantId: 'bad tenant',
          users: [{ id: 'u1', firstName: '', lastName: 'X', email: 'x', role: 'Learner', status: 'active' }],
        });
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(err?.errors.map((e) => e.path)).toEqual(['tenantId', 'users[0].firstName', 'users[0].email']);
  });

  it('reads comma lists, arrays and booleans, and normalises timestamps to UTC', () => {
    const f = activityFiltersSchema.parse({
      action: 'Completed, Failed',
      userId: ['u1', 'u2'],
      includeDeactivated: 'true',
      completed: false,
      from: '2026-01-01T01:00:00+01:00',
    });
    expect(f).toMatchObject({
      action: ['Completed', 'Failed'],
      userId: ['u1', 'u2'],
      includeDeactivated: true,
      completed: false,
      from: '2026-01-01T00:00:00.000Z',
    });
  });

  it('rejects unknown actions and content types, and non-boolean flags', () => {
    const out = activityFiltersSchema.safeParse({ action: 'Jumped', contentType: 'Podcast', expired: 'yes' });
    expect(out.success).toBe(false);
    expect(out.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'action.0',
      'contentType.0',
      'expired',
    ]);
  });
});
