// The derived text of an entry, computed once at write time: a one-line summary
// ("Adam Admin deleted Task "Onboarding checklist"") and the attribution of its source.

import { ACTIONS, OBJECT_TYPES, SOURCE_LABELS } from './catalog.ts';
import type { AuditEventInput } from './schema.ts';

type Describable = Pick<
  AuditEventInput,
  'actor' | 'impersonator' | 'action' | 'object' | 'subject' | 'source'
>;

export function summarise(e: Describable): string {
  const typeLabel = OBJECT_TYPES[e.object.type];
  const name = e.object.name?.trim();
  const object = name ? `${typeLabel} "${name}"` : `${typeLabel} ${e.object.id}`;
  const who = e.impersonator ? `${e.impersonator.name} while logged in as ${e.actor.name}` : e.actor.name;
  const what = ACTIONS[e.action].verb.replace('{object}', object);
  const forWhom = e.subject && !(e.action === 'LoginAs') ? ` on behalf of ${e.subject.name}` : '';
  return `${who} ${what}${forWhom}`;
}

type Attributable = Pick<AuditEventInput, 'source' | 'actor'>;

/** `Webhook (name)`: the source's name, else the actor's. (A function, not a closure per call: ingest runs this per event.) */
function named(prefix: string, e: Attributable): string {
  return `${prefix} (${e.source.name ?? e.actor.name})`;
}

export function attribution(e: Attributable): string {
  const kind = e.source.kind;
  if (kind === 'webhook' || kind === 'api' || kind === 'integration') return named(SOURCE_LABELS[kind], e);
  return SOURCE_LABELS[kind];
}
