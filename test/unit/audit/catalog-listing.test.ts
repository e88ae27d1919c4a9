import { describe, expect, it } from 'vitest';
import { ACTION_LABELS } from '../../../shared/domain/activity/description.ts';
import { ACTIVITY_ACTIONS } from '../../../shared/domain/activity/event.ts';
import { ACTION_NAMES, OBJECT_TYPE_NAMES } from '../../../shared/domain/audit/catalog.ts';
import { attribution } from '../../../shared/domain/audit/describe.ts';
import { SOURCE_KINDS } from '../../../shared/domain/audit/schema.ts';
import { CATALOG } from '../../../shared/domain/catalog.ts';
import { CONTENT_TYPES } from '../../../shared/domain/directory/schemas.ts';

describe('the filter catalog (GET /v1/catalog)', () => {
  it('lists every value each enum filter accepts, in the catalogs’ order', () => {
    expect(CATALOG.actions.map((e) => e.value)).toEqual(ACTION_NAMES);
    expect(CATALOG.objectTypes.map((e) => e.value)).toEqual(OBJECT_TYPE_NAMES);
    expect(CATALOG.sources.map((e) => e.value)).toEqual([...SOURCE_KINDS]);
    expect(CATALOG.activityActions.map((e) => e.value)).toEqual([...ACTIVITY_ACTIONS]);
    expect(CATALOG.contentTypes.map((e) => e.value)).toEqual([...CONTENT_TYPES]);
  });

  it('labels them as entries and CSVs show them', () => {
    expect(CATALOG.actions.find((e) => e.value === 'PasswordChanged')?.label).toBe('Password changed');
    expect(CATALOG.objectTypes.find((e) => e.value === 'OneToOne')?.label).toBe('One-to-one');
    expect(CATALOG.activityActions.find((e) => e.value === 'EnrolledFor')?.label).toBe(
      ACTION_LABELS.EnrolledFor,
    );
    for (const { value, label } of CATALOG.sources) {
      const shown = attribution({
        source: { kind: value as (typeof SOURCE_KINDS)[number] },
        actor: { type: 'user', name: 'N' },
      });
      expect(shown.startsWith(label), value).toBe(true);
    }
  });
});
