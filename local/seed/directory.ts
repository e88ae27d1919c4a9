import { activityAdapters } from '../../shared/composition/activity.ts';
import type { ContentRecord, TeamRecord, UserRecord } from '../../shared/domain/directory/schemas.ts';
import {
  upsertContent,
  upsertGroups,
  upsertTeams,
  upsertUsers,
} from '../../shared/use-cases/directory/upsert.ts';
import { DEMO_TENANT } from './demo.ts';
import type { SeedContext } from './index.ts';

/**
 * The demo tenant's directory: a team tree four levels deep, a reporting line four levels deep
 * (Olivia → Maria → Sam → Tina → learners), ~50 people (a few deactivated, custom fields),
 * groups and ~40 content items (one archived). Written through the directory use cases.
 */
export const DEMO_TEAMS: TeamRecord[] = [
  { id: 't-company', name: 'Company' },
  { id: 't-sales', name: 'Sales', parentId: 't-company' },
  { id: 't-eng', name: 'Engineering', parentId: 't-company' },
  { id: 't-people', name: 'People', parentId: 't-company' },
  { id: 't-sales-uk', name: 'Sales UK', parentId: 't-sales' },
  { id: 't-sales-us', name: 'Sales US', parentId: 't-sales' },
  { id: 't-sales-uk-london', name: 'London squad', parentId: 't-sales-uk' },
  { id: 't-sales-uk-manchester', name: 'Manchester squad', parentId: 't-sales-uk' },
  { id: 't-eng-platform', name: 'Platform', parentId: 't-eng' },
  { id: 't-eng-product', name: 'Product engineering', parentId: 't-eng' },
  { id: 't-eng-platform-infra', name: 'Infrastructure squad', parentId: 't-eng-platform' },
  { id: 't-people-hr', name: 'HR', parentId: 't-people' },
  { id: 't-people-ld', name: 'Learning & Development', parentId: 't-people' },
];

export const DEMO_GROUPS = [
  { id: 'g-first-aiders', name: 'First aiders' },
  { id: 'g-mentors', name: 'Mentors' },
  { id: 'g-graduates-2026', name: 'Graduates 2026' },
  { id: 'g-fire-wardens', name: 'Fire wardens' },
];

interface Person {
  id: string;
  first: string;
  last: string;
  role: string;
  job: string;
  team: string;
  manager?: string;
  secondary?: string[];
  groups?: string[];
  deactivated?: boolean;
}

const CORE: Person[] = [
  {
    id: 'u-olivia',
    first: 'Olivia',
    last: 'Owner',
    role: 'Owner',
    job: 'Chief Executive',
    team: 't-company',
  },
  {
    id: 'u-adam',
    first: 'Adam',
    last: 'Admin',
    role: 'Admin',
    job: 'L&D Administrator',
    team: 't-people-ld',
    manager: 'u-olivia',
  },
  {
    id: 'u-maria',
    first: 'Maria',
    last: 'Manager',
    role: 'Manager',
    job: 'Head of Sales UK',
    team: 't-sales-uk',
    manager: 'u-olivia',
    groups: ['g-mentors'],
  },
  {
    id: 'u-leo',
    first: 'Leo',
    last: 'Learner',
    role: 'Learner',
    job: 'Account Executive',
    team: 't-sales-uk',
    manager: 'u-maria',
    groups: ['g-graduates-2026'],
  },
  {
    id: 'u-sam',
    first: 'Sam',
    last: 'Patel',
    role: 'Manager',
    job: 'Sales Lead, London',
    team: 't-sales-uk-london',
    manager: 'u-maria',
    secondary: ['t-sales-uk'],
    groups: ['g-mentors'],
  },
  {
    id: 'u-tina',
    first: 'Tina',
    last: 'Okafor',
    role: 'Manager',
    job: 'Squad Lead',
    team: 't-sales-uk-london',
    manager: 'u-sam',
    groups: ['g-fire-wardens'],
  },
  {
    id: 'u-raj',
    first: 'Raj',
    last: 'Singh',
    role: 'Manager',
    job: 'Sales Lead, Manchester',
    team: 't-sales-uk-manchester',
    manager: 'u-maria',
  },
  {
    id: 'u-erin',
    first: 'Erin',
    last: 'Walsh',
    role: 'Manager',
    job: 'VP Engineering',
    team: 't-eng',
    manager: 'u-olivia',
  },
  {
    id: 'u-kofi',
    first: 'Kofi',
    last: 'Mensah',
    role: 'Manager',
    job: 'Platform Lead',
    team: 't-eng-platform',
    manager: 'u-erin',
  },
  {
    id: 'u-hana',
    first: 'Hana',
    last: 'Kim',
    role: 'Manager',
    job: 'Head of People',
    team: 't-people',
    manager: 'u-olivia',
  },
  {
    id: 'u-greg',
    first: 'Greg',
    last: 'Lund',
    role: 'Manager',
    job: 'Head of Sales US',
    team: 't-sales-us',
    manager: 'u-olivia',
  },
];

const FIRST = [
  'Jane',
  'Tom',
  'Aisha',
  'Ben',
  'Chloe',
  'Dev',
  'Ella',
  'Finn',
  'Grace',
  'Hugo',
  'Isla',
  'Jack',
  'Kira',
  'Liam',
  'Mia',
  'Noah',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
];
const LAST = [
  'Doe',
  'Brown',
  'Khan',
  'Evans',
  'Murphy',
  'Shah',
  'Novak',
  'Reid',
  'Costa',
  'Silva',
  'Ito',
  'Berg',
  'Ward',
  'Moss',
  'Diaz',
  'Lee',
  'Hall',
  'Nair',
  'Fox',
  'Gray',
];
/** Where the generated people sit: [team, manager, job]. */
const SEATS: [string, string, string][] = [
  ['t-sales-uk-london', 'u-tina', 'Account Executive'],
  ['t-sales-uk-london', 'u-tina', 'Sales Development Rep'],
  ['t-sales-uk-london', 'u-sam', 'Account Manager'],
  ['t-sales-uk-manchester', 'u-raj', 'Account Executive'],
  ['t-sales-uk', 'u-maria', 'Sales Operations Analyst'],
  ['t-sales-us', 'u-greg', 'Account Executive'],
  ['t-eng-platform-infra', 'u-kofi', 'Site Reliability Engineer'],
  ['t-eng-platform', 'u-kofi', 'Software Engineer'],
  ['t-eng-product', 'u-erin', 'Software Engineer'],
  ['t-people-hr', 'u-hana', 'HR Business Partner'],
  ['t-people-ld', 'u-hana', 'Learning Designer'],
];

export function demoPeople(): Person[] {
  const people = [...CORE];
  for (let i = 0; i < 40; i++) {
    const [team, manager, job] = SEATS[i % SEATS.length]!;
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7 + Math.floor(i / FIRST.length) * 3) % LAST.length]!;
    people.push({
      id: `u-${first.toLowerCase()}-${last.toLowerCase()}`,
      first,
      last,
      role: 'Learner',
      job,
      team,
      manager,
      secondary: i % 9 === 0 ? ['t-eng-product'] : i % 13 === 0 ? ['t-sales-uk-manchester'] : undefined,
      groups: [
        ...(i % 5 === 0 ? ['g-first-aiders'] : []),
        ...(i % 7 === 0 ? ['g-graduates-2026'] : []),
        ...(i % 11 === 0 ? ['g-fire-wardens'] : []),
      ],
      deactivated: i % 12 === 5,
    });
  }
  return people;
}

const LOCATIONS = ['London', 'Manchester', 'New York', 'Remote'];

export function demoUsers(now: Date): UserRecord[] {
  return demoPeople().map((p, i) => {
    const joined = new Date(now.getTime() - (400 + i * 23) * 86_400_000).toISOString();
    const user: UserRecord = {
      id: p.id,
      firstName: p.first,
      lastName: p.last,
      email: `${p.first}.${p.last}@demo.example`.toLowerCase(),
      role: p.role,
      jobTitle: p.job,
      language: i % 6 === 0 ? 'fr' : 'en',
      location: LOCATIONS[i % LOCATIONS.length],
      joinedAt: joined,
      managerId: p.manager,
      primaryTeamId: p.team,
      secondaryTeamIds: p.secondary,
      groupIds: p.groups?.length ? p.groups : undefined,
      status: p.deactivated ? 'deactivated' : 'active',
      deactivatedAt: p.deactivated ? new Date(now.getTime() - 20 * 86_400_000).toISOString() : undefined,
      customFields: {
        Department: p.team.startsWith('t-sales')
          ? 'Sales'
          : p.team.startsWith('t-eng')
            ? 'Engineering'
            : 'People',
        'Cost centre': `CC-${100 + (i % 7)}`,
        'Employee ID': `E${String(1000 + i)}`,
      },
    };
    return user;
  });
}

export interface DemoContent extends ContentRecord {
  contentType?: string;
  tags: string[];
}

const C = (
  id: string,
  type: ContentRecord['type'],
  title: string,
  contentType: string | undefined,
  tags: string[],
  archived = false,
): DemoContent => ({ id, type, title, contentType, tags, ...(archived ? { archived } : {}) });

export const DEMO_CONTENT: DemoContent[] = [
  C('c-fire-quiz', 'Quiz', 'Fire Safety Quiz', undefined, ['Compliance', 'Safety']),
  C('c-gdpr-quiz', 'Quiz', 'GDPR Essentials Quiz', undefined, ['Compliance', 'Data']),
  C('c-product-quiz', 'Quiz', 'Product Knowledge Check', undefined, ['Sales']),
  C('c-security-quiz', 'Quiz', 'Security Awareness Assessment', undefined, ['Compliance', 'Security']),
  C('c-fire-elearn', 'Item', 'Fire Safety (SCORM)', 'ELearning', ['Compliance', 'Safety']),
  C('c-gdpr-elearn', 'Item', 'GDPR for Everyone', 'ELearning', ['Compliance', 'Data']),
  C('c-anti-bribery', 'Item', 'Anti-Bribery and Corruption', 'ELearning', ['Compliance']),
  C('c-dei-elearn', 'Item', 'Inclusion at Work', 'ELearning', ['Culture']),
  C('c-intro-video', 'Item', 'Welcome to the Company', 'Video', ['Onboarding']),
  C('c-negotiation-video', 'Item', 'Negotiation Masterclass', 'Video', ['Sales', 'Skills']),
  C('c-feedback-video', 'Item', 'Giving Great Feedback', 'Video', ['Leadership']),
  C('c-k8s-video', 'Item', 'Kubernetes in 20 Minutes', 'Video', ['Engineering']),
  C('c-demo-video', 'Item', 'Running a Product Demo', 'Video', ['Sales']),
  C('c-handbook', 'Item', 'Employee Handbook', 'Document', ['Onboarding', 'Policy']),
  C('c-expenses-policy', 'Item', 'Expenses Policy', 'Document', ['Policy']),
  C('c-security-policy', 'Item', 'Information Security Policy', 'Document', ['Policy', 'Security']),
  C('c-old-policy', 'Item', 'Travel Policy 2023', 'Document', ['Policy'], true),
  C('c-okr-article', 'Item', 'How We Set OKRs', 'Article', ['Leadership']),
  C('c-remote-article', 'Item', 'Working Well Remotely', 'Article', ['Wellbeing']),
  C('c-pricing-article', 'Item', 'Pricing Explained', 'Article', ['Sales']),
  C('c-incident-article', 'Item', 'Incident Response 101', 'Article', ['Engineering', 'Security']),
  C('c-coaching-article', 'Item', 'Coaching Conversations', 'Article', ['Leadership', 'Skills']),
  C('c-podcast-sales', 'Item', 'The Sales Podcast: Discovery Calls', 'Audio', ['Sales']),
  C('c-podcast-wellbeing', 'Item', 'Mindful Minutes', 'Audio', ['Wellbeing']),
  C('c-podcast-leadership', 'Item', 'Leading Through Change', 'Audio', ['Leadership']),
  C('c-book-habits', 'Item', 'Atomic Habits', 'Book', ['Skills']),
  C('c-book-challenger', 'Item', 'The Challenger Sale', 'Book', ['Sales']),
  C('c-book-accelerate', 'Item', 'Accelerate', 'Book', ['Engineering']),
  C('c-event-first-aid', 'Event', 'First Aid at Work (2 days)', undefined, ['Compliance', 'Safety']),
  C('c-event-kickoff', 'Event', 'Sales Kick-off 2026', undefined, ['Sales']),
  C('c-event-leadership', 'Event', 'New Manager Workshop', undefined, ['Leadership']),
  C('c-event-hackday', 'Event', 'Engineering Hack Day', undefined, ['Engineering']),
  C('c-ll-onboarding', 'Learnlist', 'Onboarding Journey', undefined, ['Onboarding']),
  C('c-ll-sales', 'Learnlist', 'Sales Foundations', undefined, ['Sales']),
  C('c-ll-manager', 'Learnlist', 'Manager Essentials', undefined, ['Leadership']),
  C('c-ll-compliance', 'Learnlist', 'Annual Compliance', undefined, ['Compliance']),
  C('c-channel-eng', 'Channel', 'Engineering Channel', undefined, ['Engineering']),
  C('c-channel-wellbeing', 'Channel', 'Wellbeing Hub', undefined, ['Wellbeing']),
  C('c-survey-engagement', 'Survey', 'Engagement Survey Q3', undefined, ['Culture']),
  C('c-survey-onboarding', 'Survey', 'Onboarding Feedback', undefined, ['Onboarding']),
];

export async function seedDirectory(ctx: SeedContext): Promise<void> {
  const deps = { directory: activityAdapters(ctx.config).directory };
  await upsertTeams(deps, { tenantId: DEMO_TENANT, teams: DEMO_TEAMS });
  await upsertGroups(deps, { tenantId: DEMO_TENANT, groups: DEMO_GROUPS });
  const users = demoUsers(ctx.now);
  await upsertUsers(deps, { tenantId: DEMO_TENANT, users });
  await upsertContent(deps, {
    tenantId: DEMO_TENANT,
    content: DEMO_CONTENT.map(({ id, type, title, archived }) => ({ id, type, title, archived })),
  });
  ctx.log(
    `directory: ${DEMO_TEAMS.length} teams, ${DEMO_GROUPS.length} groups, ${users.length} users, ${DEMO_CONTENT.length} content items`,
  );
}
