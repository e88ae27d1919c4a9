import { activityAdapters } from '../../shared/composition/activity.ts';
import type { ActivityAction } from '../../shared/domain/activity/event.ts';
import { ingestActivityEvents } from '../../shared/use-cases/activity/ingest.ts';
import { seededRandom } from '../random.ts';
import { DEMO_TENANT } from './demo.ts';
import { DEMO_CONTENT, type DemoContent, demoPeople } from './directory.ts';
import type { SeedContext } from './index.ts';

/**
 * A few thousand activity entries for the demo tenant over the last ~6 months, written through
 * ingestActivityEvents: logins and logouts, content started and finished with the right verb
 * (Watched, Read, ListenedTo, Completed), quiz and e-learning attempts with results (pass/fail,
 * score, time, time limits), events enrolled for, attended or left, certificates with expiry,
 * recurring compliance completions with expiresAt (some already past), CPD labels, sources and
 * one bulk import batch recorded by the admin.
 */
const DAY = 86_400_000;
const SOURCES = ['Internal', 'Go1', 'LinkedIn Learning', 'Internal'];

type Event = Record<string, unknown>;

function finishVerb(c: DemoContent): ActivityAction {
  switch (c.contentType) {
    case 'Video':
      return 'Watched';
    case 'Audio':
      return 'ListenedTo';
    case 'Article':
    case 'Document':
    case 'Book':
      return 'Read';
    default:
      return 'Completed';
  }
}

export function demoActivity(now: Date, target = 2500): Event[] {
  const rand = seededRandom(20261122);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const people = demoPeople();
  const events: Event[] = [];
  let seq = 0;
  const add = (userId: string, at: number, action: ActivityAction, extra: Event = {}) => {
    if (at > now.getTime() - 60_000) return;
    seq++;
    events.push({
      id: `seed-${String(seq).padStart(5, '0')}`,
      tenantId: DEMO_TENANT,
      occurredAt: new Date(at).toISOString(),
      userId,
      action,
      device: rand() < 0.7 ? 'web' : rand() < 0.9 ? 'mobile' : 'api',
      ...extra,
    });
  };
  const content = (c: DemoContent) => ({
    type: c.type,
    id: c.id,
    title: c.title,
    ...(c.contentType ? { contentType: c.contentType } : {}),
    tags: c.tags,
  });

  while (events.length < target) {
    const person = pick(people);
    const day = now.getTime() - Math.floor(rand() * 182) * DAY;
    let t = day - Math.floor(rand() * 10 * 3_600_000);
    add(person.id, t, 'LoggedIn');
    const steps = 1 + Math.floor(rand() * 3);
    for (let s = 0; s < steps; s++) {
      const c = pick(DEMO_CONTENT);
      const common = { content: content(c), source: pick(SOURCES) };
      t += (2 + Math.floor(rand() * 20)) * 60_000;
      if (c.type === 'Quiz' || c.contentType === 'ELearning') {
        const limit = c.type === 'Quiz' && rand() < 0.5 ? 600 : undefined;
        add(person.id, t, 'Started', common);
        const duration = 90 + Math.floor(rand() * 900);
        const score = Math.floor(rand() * 101);
        const passed = score >= 70 && (!limit || duration <= limit);
        t += duration * 1000;
        const compliance = c.tags.includes('Compliance');
        add(person.id, t, passed ? 'Completed' : 'Failed', {
          ...common,
          completed: passed,
          result: {
            outcome: passed ? 'passed' : 'failed',
            scorePercent: score,
            durationSeconds: duration,
            ...(limit ? { timeLimitSeconds: limit } : {}),
          },
          ...(passed && compliance
            ? { expiresAt: new Date(t + (rand() < 0.3 ? 60 : 365) * DAY).toISOString() }
            : {}),
          ...(passed && rand() < 0.4 ? { cpdLabels: ['Compliance CPD'] } : {}),
        });
        if (passed && compliance) {
          t += 1000;
          add(person.id, t, 'ReceivedCertificateFor', {
            ...common,
            certificateExpiresAt: new Date(t + (rand() < 0.25 ? 90 : 365) * DAY).toISOString(),
          });
        }
      } else if (c.type === 'Event') {
        add(person.id, t - 14 * DAY, 'EnrolledFor', common);
        const r = rand();
        if (r < 0.15) add(person.id, t - 3 * DAY, 'Unenrolled', common);
        else if (r < 0.9) add(person.id, t, 'Attended', { ...common, cpdLabels: ['Workshop hours'] });
      } else if (c.type === 'Learnlist') {
        add(person.id, t, rand() < 0.5 ? 'Added' : 'Viewed', common);
      } else if (c.type === 'Channel') {
        add(person.id, t, rand() < 0.3 ? 'Clicked' : 'Viewed', common);
      } else if (c.type === 'Survey') {
        add(person.id, t, rand() < 0.7 ? 'Completed' : 'Started', common);
      } else {
        add(person.id, t, rand() < 0.3 ? 'Viewed' : 'Started', common);
        if (rand() < 0.7) {
          t += (3 + Math.floor(rand() * 30)) * 60_000;
          add(person.id, t, finishVerb(c), {
            ...common,
            ...(c.tags.includes('Skills') ? { cpdLabels: ['Professional development'] } : {}),
          });
        }
      }
    }
    if (rand() < 0.6) add(person.id, t + (5 + Math.floor(rand() * 60)) * 60_000, 'LoggedOut');
  }

  // One bulk import: offline first-aid training recorded by the admin for a dozen people.
  const firstAid = DEMO_CONTENT.find((c) => c.id === 'c-event-first-aid')!;
  const importedAt = now.getTime() - 45 * DAY;
  for (const person of people.slice(10, 22)) {
    add(person.id, importedAt, 'Completed', {
      content: content(firstAid),
      completed: true,
      source: 'Offline',
      bulkImportId: 'bulk-first-aid-2026',
      recordedBy: { id: 'u-adam', name: 'Adam Admin' },
      expiresAt: new Date(importedAt + 3 * 365 * DAY).toISOString(),
      device: 'api',
    });
  }
  // Leo's own history is always there for the learner demo.
  const leoQuiz = DEMO_CONTENT.find((c) => c.id === 'c-fire-quiz')!;
  add('u-leo', now.getTime() - 2 * DAY, 'Failed', {
    content: content(leoQuiz),
    result: { outcome: 'failed', scorePercent: 45, durationSeconds: 300, timeLimitSeconds: 600 },
  });
  add('u-leo', now.getTime() - 1 * DAY, 'Completed', {
    content: content(leoQuiz),
    result: { outcome: 'passed', scorePercent: 90, durationSeconds: 125, timeLimitSeconds: 600 },
    expiresAt: new Date(now.getTime() - 1 * DAY + 365 * DAY).toISOString(),
  });
  return events;
}

export async function seedActivity(ctx: SeedContext): Promise<void> {
  const config = ctx.config;
  const deps = {
    store: activityAdapters(config).activityStore,
    clock: { now: () => ctx.now },
    retentionMonths: config.ACTIVITY_RETENTION_MONTHS,
    concurrency: 24,
  };
  const events = demoActivity(ctx.now);
  let created = 0;
  for (let i = 0; i < events.length; i += 100) {
    const out = await ingestActivityEvents(deps, events.slice(i, i + 100));
    created += out.results.filter((r) => r.status === 'created').length;
  }
  ctx.log(`activity: ${created} entries over the last 6 months`);
}
