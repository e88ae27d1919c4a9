import { z } from 'zod';

/**
 * Building blocks of the logs' filters, shared by the audit and activity filter schemas: how a
 * list parameter is documented, how an enum value is refused, and the window bounds `from`/`to`.
 */

/** Above this many allowed values an error points to `GET /v1/catalog` instead of listing them. */
const LISTED_VALUES = 12;

/**
 * An enum item of a filter list. The error names the bad value and either lists the allowed
 * values or, for the long catalogs, names the `GET /v1/catalog` field that lists them.
 */
export function enumValue<const T extends readonly [string, ...string[]]>(values: T, catalogField?: string) {
  return z.enum(values, {
    error: (issue) => {
      const got = typeof issue.input === 'string' ? `"${issue.input}" ` : '';
      if (catalogField && values.length > LISTED_VALUES)
        return `${got}is not one of the ${values.length} allowed values; GET /v1/catalog lists them (\`${catalogField}\`)`;
      return `${got}is not one of: ${values.join(', ')}`;
    },
  });
}

type JsonSchema = Record<string, unknown>;

/**
 * OpenAPI rendering of a list filter: an array of its items (query style `form`, `explode`:
 * `action=Created&action=Deleted`, which the gateway joins into `Created,Deleted`). A
 * comma-separated string is still accepted, and documented in the description. `render` goes on
 * the transforming schema itself, `param` on the optional property around it.
 */
export function listDoc(items: JsonSchema, description: string) {
  return {
    render: {
      override: ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
        for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
        jsonSchema.type = 'array';
        jsonSchema.items = items;
        jsonSchema.minItems = 1;
      },
    },
    param: {
      description: `${description} Several values: repeat the parameter or separate them with commas; any of them matches.`,
      param: { style: 'form' as const, explode: true },
    },
  };
}

/** The most values one list filter takes. */
const MAX_LIST_VALUES = 100;

/**
 * A list filter of the activity log: a comma-separated string, or in JSON an array of strings;
 * items trimmed, blanks dropped, each checked by `item`; 1 to 100 of them, kept as given;
 * documented by `listDoc` (`items`: the documented item schema, default non-empty strings).
 */
export function listFilter<T extends z.ZodType<unknown, string>>(
  item: T,
  description: string,
  items?: JsonSchema,
) {
  return listOf(item, description, items, false);
}

/**
 * The audit log's list filter: as `listFilter`, but canonical: commas split the items of a JSON
 * array too, an empty list has its own message, and the values come out de-duplicated and
 * sorted (so equal filters bind cursors equally).
 */
export function canonicalListFilter<T extends z.ZodType<unknown, string>>(
  item: T,
  description: string,
  items?: JsonSchema,
) {
  return listOf(item, description, items, true);
}

function listOf<T extends z.ZodType<unknown, string>>(
  item: T,
  description: string,
  items: JsonSchema = { type: 'string', minLength: 1 },
  canonical: boolean,
) {
  const doc = listDoc(items, description);
  const split = (raw: string | string[]) =>
    Array.isArray(raw) ? (canonical ? raw.flatMap((v) => v.split(',')) : raw) : raw.split(',');
  return z
    .union([z.string(), z.array(z.string())])
    .transform((raw) =>
      split(raw)
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(item)
        .min(1, canonical ? 'must name at least one value' : undefined)
        .max(MAX_LIST_VALUES),
    )
    .transform((values) => {
      const out = values as z.output<T>[];
      return canonical ? [...new Set(out)].sort() : out;
    })
    .meta(doc.render)
    .optional()
    .meta(doc.param);
}

/** The JSON schema of an enum's items, for `listDoc`. */
export function enumItems(values: readonly string[]): JsonSchema {
  return { type: 'string', enum: [...values] };
}

export const FROM_DOC =
  'Inclusive. An ISO 8601 timestamp (an offset such as `+01:00` is normalised to UTC; URL-encode its `+` as ' +
  '`%2B`) or a date alone (`2026-11-01`), meaning midnight UTC. Default: 3 calendar months before `to`.';
export const TO_DOC = 'Exclusive. A timestamp or a date alone (midnight UTC), as for `from`. Default: now.';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** An offset whose `+` arrived as a space: the query string was not URL-encoded. */
const SPACE_FOR_PLUS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)? \d{2}(:?\d{2})?$/;
const isoDateTime = z.iso.datetime({ offset: true, local: false });
const isoDate = z.iso.date();

/**
 * `from`/`to`: an ISO 8601 timestamp (an offset is normalised to UTC) or a date alone, meaning
 * midnight UTC of that day; out as UTC with milliseconds. One error per bad value.
 */
export const windowBoundSchema = z
  .string()
  .transform((raw, ctx) => {
    const v = raw.trim();
    if (DATE_ONLY.test(v) && isoDate.safeParse(v).success) return `${v}T00:00:00.000Z`;
    if (isoDateTime.safeParse(v).success) return new Date(v).toISOString();
    ctx.addIssue({
      code: 'custom',
      input: raw,
      message: SPACE_FOR_PLUS.test(v)
        ? 'must be an ISO 8601 timestamp; its offset lost its `+`, which a query string must URL-encode as %2B'
        : 'must be an ISO 8601 timestamp (2026-11-22T10:15:30Z, an offset such as +01:00 allowed) or a date (2026-11-22, midnight UTC)',
    });
    return z.NEVER;
  })
  .meta({
    override: ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
      delete jsonSchema.type;
      jsonSchema.anyOf = [
        { type: 'string', format: 'date-time' },
        { type: 'string', format: 'date' },
      ];
    },
  });

/** A `true`/`false` filter: a boolean in JSON, the text `true`/`false` in a query string. */
export function booleanFlag(description: string) {
  return z
    .union([
      z.boolean({ error: 'must be true or false' }),
      z.enum(['true', 'false'], { error: 'must be true or false' }),
    ])
    .transform((v) => v === true || v === 'true')
    .meta({
      override: ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
        delete jsonSchema.anyOf;
        jsonSchema.type = 'boolean';
      },
    })
    .optional()
    .meta({ description });
}

/**
 * OpenAPI rendering of a `filters` object in a JSON body (exports, reports): one of the named
 * component schemas (the logs' filters, registered by the OpenAPI document), instead of a record.
 */
export function filtersDoc(description: string, components: readonly string[], also: JsonSchema[] = []) {
  return {
    description,
    override: ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
      for (const key of Object.keys(jsonSchema))
        if (key !== 'description' && key !== 'default') delete jsonSchema[key];
      jsonSchema.anyOf = [...components.map((id) => ({ $ref: `#/components/schemas/${id}` })), ...also];
    },
  };
}

/**
 * Filters from a JSON body in the list query's shape: `{action: ['Created','Deleted'], system:
 * true}` → `{action: 'Created,Deleted', system: 'true'}`; absent (null/undefined) values dropped.
 */
export function toQueryForm(raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) out[name] = value.map(String).join(',');
    else if (typeof value === 'boolean' || typeof value === 'number') out[name] = String(value);
    else out[name] = value;
  }
  return out;
}
