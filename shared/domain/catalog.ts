import { ACTION_LABELS } from './activity/description.ts';
import { ACTIVITY_ACTIONS } from './activity/event.ts';
import { ACTION_NAMES, ACTIONS, OBJECT_TYPE_NAMES, OBJECT_TYPES, SOURCE_LABELS } from './audit/catalog.ts';
import { SOURCE_KINDS } from './audit/schema.ts';
import { CONTENT_TYPES } from './directory/schemas.ts';

/**
 * `GET /v1/catalog`: every value a frontend offers in the logs' filters, with its label, in the
 * catalogs' own order. Built once from the domain catalogs the filters validate against.
 */
export interface CatalogEntry {
  value: string;
  label: string;
}

export interface Catalog {
  actions: CatalogEntry[];
  objectTypes: CatalogEntry[];
  sources: CatalogEntry[];
  activityActions: CatalogEntry[];
  contentTypes: CatalogEntry[];
}

export const CATALOG: Readonly<Catalog> = {
  actions: ACTION_NAMES.map((value) => ({ value, label: ACTIONS[value].label })),
  objectTypes: OBJECT_TYPE_NAMES.map((value) => ({ value, label: OBJECT_TYPES[value] })),
  sources: SOURCE_KINDS.map((value) => ({ value, label: SOURCE_LABELS[value] })),
  activityActions: ACTIVITY_ACTIONS.map((value) => ({ value, label: ACTION_LABELS[value] })),
  contentTypes: CONTENT_TYPES.map((value) => ({ value, label: value })),
};
