/** The demo tenant `npm start` seeds, and the people whose tokens it prints. */
export const DEMO_TENANT = 'demo';

export const DEMO_PEOPLE = {
  owner: { sub: 'u-olivia', role: 'owner', name: 'Olivia Owner' },
  admin: { sub: 'u-adam', role: 'admin', name: 'Adam Admin' },
  manager: { sub: 'u-maria', role: 'manager', name: 'Maria Manager' },
  learner: { sub: 'u-leo', role: 'learner', name: 'Leo Learner' },
  service: { sub: 'svc-platform', role: 'service', name: 'Platform service' },
} as const;

export type DemoPerson = keyof typeof DEMO_PEOPLE;
