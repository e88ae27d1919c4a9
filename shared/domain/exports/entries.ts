// The parts of the API's entry shapes (API.md AuditEntry, ActivityEntry) and of a directory user
// that the export columns read. Structural, so the logs' own entry types are assignable to them.

export interface ActivityEntryLike {
  id: string;
  occurredAt: string;
  user: { id: string; name: string };
  action: string;
  content?: {
    type: string;
    id: string;
    title: string;
    contentType?: string;
    tags?: string[];
    archived?: boolean;
  };
  completed?: boolean;
  expiresAt?: string;
  result?: {
    outcome: string;
    scorePercent?: number;
    durationSeconds?: number;
    timeLimitSeconds?: number;
  };
  certificateExpiresAt?: string;
}

export interface AuditEntryLike {
  id: string;
  occurredAt: string;
  actor: { type: string; id?: string; name: string; email?: string };
  action: string;
  object: { type: string; id: string; name?: string };
  subject?: { id: string; name: string };
  source: { kind: string; name?: string };
  attribution: string;
  ip?: string;
  summary: string;
  changes?: Array<{ field: string; before?: unknown; after?: unknown }>;
}

/** A directory user as the export needs it, with names already resolved. */
export interface ExportUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  role: string;
  jobTitle?: string;
  language?: string;
  location?: string;
  joinedAt?: string;
  managerName?: string;
  primaryTeamName?: string;
  secondaryTeamNames?: string[];
  status: 'active' | 'deactivated';
  deactivatedAt?: string;
  customFields?: Record<string, string>;
}
