import type { SourceKind } from './schema.ts';

// The audit catalog: every action and object type the log accepts, each with a human label, and
// the verb phrase the entry's one-line summary uses. It covers the events of the products we
// replace (Learn Amp's audit log, LMS365's audit trail, OpenLearning's action log, CRM audit
// reports). LMS365 and OpenLearning name events as one word or phrase; `PRODUCT_EVENTS` in the
// seed data (local/seed/product-events.ts) maps each such name to an action + object type, and its
// test shows every one is representable and labelled.

export interface ActionDef {
  /** Shown as the "Event" of an entry (filters, CSV). */
  label: string;
  /** Summary phrase; `{object}` is replaced by `Type "name"`. */
  verb: string;
}

export const ACTIONS = {
  // Learn Amp
  Created: { label: 'Created', verb: 'created {object}' },
  Updated: { label: 'Updated', verb: 'updated {object}' },
  Deleted: { label: 'Deleted', verb: 'deleted {object}' },
  PasswordChanged: { label: 'Password changed', verb: 'changed the password of {object}' },
  LoginAs: { label: 'Login as', verb: 'logged in as {object}' },
  ForceLoggedOut: { label: 'Force logged out', verb: 'force logged out {object}' },
  Deactivated: { label: 'Deactivated', verb: 'deactivated {object}' },
  Reactivated: { label: 'Reactivated', verb: 'reactivated {object}' },
  MarkedAsCompleted: { label: 'Marked as completed', verb: 'marked {object} as completed' },
  Archived: { label: 'Archived', verb: 'archived {object}' },
  Unarchived: { label: 'Unarchived', verb: 'unarchived {object}' },
  Unfinalized: { label: 'Unfinalized', verb: 'unfinalized {object}' },
  Restored: { label: 'Restored', verb: 'restored {object}' },
  Invited: { label: 'Invited', verb: 'invited {object}' },
  Assigned: { label: 'Assigned', verb: 'assigned {object}' },
  Unassigned: { label: 'Unassigned', verb: 'unassigned {object}' },
  // LMS365 and OpenLearning
  Published: { label: 'Published', verb: 'published {object}' },
  Unpublished: { label: 'Unpublished', verb: 'unpublished {object}' },
  Purged: { label: 'Purged', verb: 'purged {object}' },
  Completed: { label: 'Completed', verb: 'completed {object}' },
  ForceCompleted: { label: 'Force completed', verb: 'set {object} as completed' },
  Started: { label: 'Started', verb: 'started {object}' },
  StatusReset: { label: 'Status reset', verb: 'reset the status of {object}' },
  Enrolled: { label: 'Enrolled', verb: 'enrolled a learner in {object}' },
  Unenrolled: { label: 'Unenrolled', verb: 'unenrolled a learner from {object}' },
  Retaken: { label: 'Retaken', verb: 'retook {object}' },
  RetakeForced: { label: 'Retake forced', verb: 'forced a retake of {object}' },
  Added: { label: 'Added', verb: 'added {object}' },
  Removed: { label: 'Removed', verb: 'removed {object}' },
  AddedToCourse: { label: 'Added to course', verb: 'added {object} to a course' },
  RemovedFromCourse: { label: 'Removed from course', verb: 'removed {object} from a course' },
  AddedToTrainingPlan: { label: 'Added to training plan', verb: 'added {object} to a training plan' },
  RemovedFromTrainingPlan: {
    label: 'Removed from training plan',
    verb: 'removed {object} from a training plan',
  },
  AddedToGroup: { label: 'Added to group', verb: 'added {object} to a group' },
  RemovedFromGroup: { label: 'Removed from group', verb: 'removed {object} from a group' },
  AddedToInstitution: { label: 'Added to institution', verb: 'added {object} to the institution' },
  RemovedFromInstitution: {
    label: 'Removed from institution',
    verb: 'removed {object} from the institution',
  },
  PrerequisitesUpdated: { label: 'Prerequisites updated', verb: 'updated the prerequisites of {object}' },
  OrderChanged: { label: 'Order changed', verb: 'changed the order of {object}' },
  StorageCreated: { label: 'Storage created', verb: 'created SharePoint storage for {object}' },
  Granted: { label: 'Granted', verb: 'granted {object}' },
  Revoked: { label: 'Revoked', verb: 'revoked {object}' },
  LevelIncreased: { label: 'Level increased', verb: 'increased the level of {object}' },
  LevelDecreased: { label: 'Level decreased', verb: 'decreased the level of {object}' },
  Imported: { label: 'Imported', verb: 'imported {object}' },
  Registered: { label: 'Registered', verb: 'registered {object}' },
  Unregistered: { label: 'Unregistered', verb: 'cancelled the registration of {object}' },
  Approved: { label: 'Approved', verb: 'approved {object}' },
  Canceled: { label: 'Canceled', verb: 'cancelled {object}' },
  Rejected: { label: 'Rejected', verb: 'rejected {object}' },
  Issued: { label: 'Issued', verb: 'issued {object}' },
  Reissued: { label: 'Reissued', verb: 'reissued {object}' },
  Downloaded: { label: 'Downloaded', verb: 'downloaded {object}' },
  Expired: { label: 'Expired', verb: 'expired {object}' },
  Uploaded: { label: 'Uploaded', verb: 'uploaded a new version of {object}' },
  Generated: { label: 'Generated', verb: 'generated {object}' },
  Copied: { label: 'Copied', verb: 'copied {object}' },
  CategoriesChanged: { label: 'Categories changed', verb: 'changed the categories of {object}' },
  RoleChanged: { label: 'Role changed', verb: 'changed the role of {object}' },
  Released: { label: 'Released', verb: 'released {object}' },
  Rerun: { label: 'Re-run', verb: 're-ran {object}' },
  Erased: { label: 'Erased', verb: 'erased {object}' },
  // CRM
  Exported: { label: 'Exported', verb: 'exported {object}' },
  Merged: { label: 'Merged', verb: 'merged {object}' },
} as const satisfies Record<string, ActionDef>;

export type AuditAction = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as [AuditAction, ...AuditAction[]];

export const OBJECT_TYPES = {
  // Learn Amp: people, content, development, tasks, system
  User: 'User',
  Team: 'Team',
  TeamMembership: 'Team membership',
  Item: 'Item',
  Learnlist: 'Learnlist',
  Channel: 'Channel',
  Event: 'Event',
  Quiz: 'Quiz',
  Survey: 'Survey',
  Objective: 'Objective',
  OneToOne: 'One-to-one',
  Skill: 'Skill',
  Task: 'Task',
  Integration: 'Integration',
  CsvExport: 'CSV export',
  ApiApplication: 'API application',
  Webhook: 'Webhook',
  Setting: 'Setting',
  Session: 'Session',
  // LMS365
  Course: 'Course',
  TrainingPlan: 'Training plan',
  Catalog: 'Catalog',
  SessionGroup: 'Session group',
  CompletionSet: 'Completion set',
  CatalogAdmin: 'Catalog admin',
  CourseAdmin: 'Course admin',
  LmsAdmin: 'LMS admin',
  AssessmentSupervisor: 'Assessment supervisor',
  SessionInstructor: 'Session instructor',
  Enrollment: 'Enrollment',
  EnrollmentRequest: 'Enrollment request',
  UserSkill: 'User skill',
  Attendance: 'Attendance',
  CatalogVisitor: 'Catalog visitor',
  SessionRegistration: 'Session registration',
  LearnerRecord: 'Learner record',
  Certificate: 'Certificate',
  Assessment: 'Assessment',
  ContentPackage: 'Content package',
  ExternalApp: 'External app',
  LearningModule: 'Learning module',
  AssessmentAttempt: 'Assessment attempt',
  ContentPackageAttempt: 'Content package attempt',
  ExternalAppAttempt: 'External app attempt',
  LearningModuleAttempt: 'Learning module attempt',
  QuizAttempt: 'Quiz attempt',
  ApiKey: 'API key',
  // OpenLearning
  TeamMember: 'Team member',
  InstitutionGroup: 'Institution group',
  Learner: 'Learner',
  Qualification: 'Qualification',
  CourseAdministrator: 'Course administrator',
  CourseStaff: 'Course staff',
  Report: 'Report',
  Export: 'Export',
  Class: 'Class',
  // Logbook's own
  Schedule: 'Schedule',
  ReportSchedule: 'Report schedule',
  LegalHold: 'Legal hold',
  Person: 'Person',
  // CRM
  Contact: 'Contact',
  Group: 'Group',
} as const satisfies Record<string, string>;

export type AuditObjectType = keyof typeof OBJECT_TYPES;
export const OBJECT_TYPE_NAMES = Object.keys(OBJECT_TYPES) as [AuditObjectType, ...AuditObjectType[]];

export function isAction(value: string): value is AuditAction {
  return Object.hasOwn(ACTIONS, value);
}

export function isObjectType(value: string): value is AuditObjectType {
  return Object.hasOwn(OBJECT_TYPES, value);
}

export function actionLabel(action: AuditAction): string {
  return ACTIONS[action].label;
}
/** The label of each source kind (an entry's attribution adds the name of a webhook, API app or integration). */
export const SOURCE_LABELS: Readonly<Record<SourceKind, string>> = {
  web: 'Web',
  bulk_invite: 'Bulk Invite',
  csv_import: 'CSV Import',
  webhook: 'Webhook',
  api: 'API',
  integration: 'Integration',
  scheduled_job: 'Scheduled job',
  system: 'System',
};
