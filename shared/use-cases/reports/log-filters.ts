import type { z } from 'zod';
import { activityFiltersSchema } from '../../domain/activity/filters.ts';
import { auditFiltersSchema } from '../../domain/audit/filters.ts';
import { issuesToFieldErrors } from '../../domain/issues.ts';
import { toQueryForm } from '../../domain/query-values.ts';
import type { FilterValidator } from './ports.ts';

const FILTER_SCHEMAS: Record<'audit' | 'activity', z.ZodObject> = {
  audit: auditFiltersSchema as unknown as z.ZodObject,
  activity: activityFiltersSchema as unknown as z.ZodObject,
};

/** The log's own filter schema: unknown names and bad values, each with its path. */
export const logFilters: FilterValidator = {
  validate(log, filters) {
    const { range: _range, ...rest } = filters;
    const schema = FILTER_SCHEMAS[log];
    const known = new Set(Object.keys(schema.shape));
    const unknown = Object.keys(rest)
      .filter((k) => !known.has(k))
      .map((path) => ({ path, message: `is not a filter of the ${log} log` }));
    const parsed = schema.safeParse(toQueryForm(rest));
    return [...unknown, ...(parsed.success ? [] : issuesToFieldErrors(parsed.error.issues))];
  },
};
