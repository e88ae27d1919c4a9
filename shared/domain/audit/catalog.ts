import type { SourceKind } from './schema.ts';

/**
 * The audit catalog: every action and object type the log accepts, each with a human label, and
 * the verb phrase the entry's one-line summary uses. It covers the events of the products we
 * replace (Learn Amp's audit log, LMS365's audit trail, OpenLearning's action log, CRM audit
 * reports). LMS365 and OpenLearning name events as one word or phrase; `PRODUCT_EVENTS` maps each
 * such name to an action + object type, so every one is representable and labelled.
 */
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
  // CRM
  Contact: 'Contact',
  Group: 'Group',
} as const satisfies Record<string, string>;

export type AuditObjectType = keyof typeof OBJECT_TYPES;
export const OBJECT_TYPE_NAMES = Object.keys(OBJECT_TYPES) as [AuditObjectType, ...AuditObjectType[]];

export interface ProductEvent {
  action: AuditAction;
  objectType: AuditObjectType;
  /** The product's own wording of the event. */
  label: string;
}

const ev = (action: AuditAction, objectType: AuditObjectType, label: string): ProductEvent => ({
  action,
  objectType,
  label,
});

/** LMS365 audit trail event names (where LMS365 names one) and OpenLearning action names. */
export const PRODUCT_EVENTS: Readonly<Record<string, ProductEvent>> = {
  // LMS365: catalog
  CatalogCreated: ev('Created', 'Catalog', 'Course catalog was created'),
  CatalogDeleted: ev('Deleted', 'Catalog', 'Course catalog was deleted'),
  CatalogUpdated: ev('Updated', 'Catalog', 'Course catalog was updated'),
  CatalogSharePointStorageCreated: ev(
    'StorageCreated',
    'Catalog',
    'Course catalog SharePoint storage was created',
  ),
  // LMS365: course and training plan
  CourseCompleted: ev('Completed', 'Course', 'Learner completed course'),
  TrainingPlanCompleted: ev('Completed', 'TrainingPlan', 'Learner completed training plan'),
  CourseCreated: ev('Created', 'Course', 'Course was created'),
  TrainingPlanCreated: ev('Created', 'TrainingPlan', 'Training plan was created'),
  CourseDeleted: ev('Deleted', 'Course', 'Course was deleted'),
  TrainingPlanDeleted: ev('Deleted', 'TrainingPlan', 'Training plan was deleted'),
  CourseForceCompleted: ev('ForceCompleted', 'Course', 'Admin set course as completed'),
  CoursePublished: ev('Published', 'Course', 'Course was published'),
  TrainingPlanPublished: ev('Published', 'TrainingPlan', 'Training plan was published'),
  CoursePurged: ev('Purged', 'Course', 'Course was purged'),
  TrainingPlanPurged: ev('Purged', 'TrainingPlan', 'Training plan was purged'),
  CourseStatusReset: ev('StatusReset', 'Course', 'Admin reset course status'),
  TrainingPlanStatusReset: ev('StatusReset', 'TrainingPlan', 'Admin reset training plan status'),
  CourseStarted: ev('Started', 'Course', 'Learner started course'),
  TrainingPlanStarted: ev('Started', 'TrainingPlan', 'Learner started training plan'),
  CourseUnpublished: ev('Unpublished', 'Course', 'Course was unpublished'),
  TrainingPlanUnpublished: ev('Unpublished', 'TrainingPlan', 'Training plan was unpublished'),
  CourseUpdated: ev('Updated', 'Course', 'Course properties were updated'),
  TrainingPlanUpdated: ev('Updated', 'TrainingPlan', 'Training plan properties were updated'),
  CourseAddedToTrainingPlan: ev('AddedToTrainingPlan', 'Course', 'Course was added to training plan'),
  CourseRemovedFromTrainingPlan: ev(
    'RemovedFromTrainingPlan',
    'Course',
    'Course was removed from training plan',
  ),
  TrainingPlanPrerequisitesUpdated: ev(
    'PrerequisitesUpdated',
    'TrainingPlan',
    'Training plan prerequisites were updated',
  ),
  CourseOrderChanged: ev('OrderChanged', 'TrainingPlan', 'Course order was changed'),
  // LMS365: sessions
  CourseSessionAddedToGroup: ev('AddedToGroup', 'Session', 'Session was added to group'),
  CourseSessionCreated: ev('Created', 'Session', 'Session was created'),
  CourseSessionDeleted: ev('Deleted', 'Session', 'Session was deleted'),
  CourseSessionUpdated: ev('Updated', 'Session', 'Session was updated'),
  CourseSessionRemovedFromGroup: ev('RemovedFromGroup', 'Session', 'Session was removed from group'),
  GroupOfSessionsCreated: ev('Created', 'SessionGroup', 'Session group was created'),
  GroupOfSessionsDeleted: ev('Deleted', 'SessionGroup', 'Session group was deleted'),
  GroupOfSessionsUpdated: ev('Updated', 'SessionGroup', 'Session group was updated'),
  // LMS365: completion sets
  CourseCompletionSetCreated: ev('Created', 'CompletionSet', 'Course completion set was created'),
  CourseCompletionSetDeleted: ev('Deleted', 'CompletionSet', 'Course completion set was deleted'),
  CourseCompletionSetUpdated: ev('Updated', 'CompletionSet', 'Course completion set was updated'),
  // LMS365: admin and management roles
  CatalogAdminAssigned: ev('Assigned', 'CatalogAdmin', 'Catalog admin was assigned'),
  CatalogAdminUnassigned: ev('Unassigned', 'CatalogAdmin', 'Catalog admin was unassigned'),
  CourseAdminAssigned: ev('Assigned', 'CourseAdmin', 'Course admin was assigned'),
  CourseAdminUnassigned: ev('Unassigned', 'CourseAdmin', 'Course admin was unassigned'),
  LMSAdminAssigned: ev('Assigned', 'LmsAdmin', 'LMS admin was assigned'),
  LMSAdminUnassigned: ev('Unassigned', 'LmsAdmin', 'LMS admin was unassigned'),
  AssessmentSupervisorAssigned: ev('Assigned', 'AssessmentSupervisor', 'Assessment supervisor was assigned'),
  AssessmentSupervisorUnassigned: ev(
    'Unassigned',
    'AssessmentSupervisor',
    'Assessment supervisor was unassigned',
  ),
  CourseSessionInstructorAssigned: ev('Assigned', 'SessionInstructor', 'Instructor was added to session'),
  CourseSessionInstructorUnassigned: ev(
    'Unassigned',
    'SessionInstructor',
    'Instructor was removed from session',
  ),
  // LMS365: skills
  EnrollmentImported: ev('Imported', 'Enrollment', 'External training record was imported'),
  UserSkillGranted: ev('Granted', 'UserSkill', 'Skill was granted to learner'),
  UserSkillRevoked: ev('Revoked', 'UserSkill', 'Skill was revoked from learner'),
  UserSkillLevelIncreased: ev('LevelIncreased', 'UserSkill', 'Skill level was increased when granted'),
  UserSkillLevelDecreased: ev('LevelDecreased', 'UserSkill', 'Skill level was decreased when revoked'),
  // LMS365: user status
  AttendanceDeleted: ev('Deleted', 'Attendance', 'Attendance for a session was deleted'),
  AttendanceRegistered: ev('Registered', 'Attendance', 'Attendance for a session was registered'),
  CatalogVisitorAssigned: ev('Assigned', 'CatalogVisitor', 'User was added to catalog'),
  CatalogVisitorUnassigned: ev('Unassigned', 'CatalogVisitor', 'User was removed from catalog'),
  EnrollmentRequestApproved: ev('Approved', 'EnrollmentRequest', 'Enrollment request was approved'),
  EnrollmentRequestCanceled: ev('Canceled', 'EnrollmentRequest', 'Enrollment request was revoked'),
  EnrollmentRequestCreated: ev('Created', 'EnrollmentRequest', 'Enrollment request was created'),
  EnrollmentRequestRejected: ev('Rejected', 'EnrollmentRequest', 'Enrollment request was rejected'),
  UserEnrolledInCourse: ev('Enrolled', 'Course', 'Learner was enrolled in course'),
  UserEnrolledInTrainingPlan: ev('Enrolled', 'TrainingPlan', 'Learner was enrolled in training plan'),
  CourseRetakeForced: ev('RetakeForced', 'Course', 'Admin forced course retake for learner'),
  TrainingPlanRetakeForced: ev(
    'RetakeForced',
    'TrainingPlan',
    'Admin forced training plan retake for learner',
  ),
  UserPurged: ev('Purged', 'LearnerRecord', 'Learner records were purged'),
  UserPurgedFromCatalog: ev('Purged', 'CatalogVisitor', 'Learner records were purged from catalog'),
  UserRegisteredForSession: ev('Registered', 'SessionRegistration', 'Learner was registered for session'),
  CourseRetaken: ev('Retaken', 'Course', 'Learner retook course'),
  TrainingPlanRetaken: ev('Retaken', 'TrainingPlan', 'Learner retook training plan'),
  UserUnenrolledFromCourse: ev('Unenrolled', 'Course', 'Learner was unenrolled from course'),
  UserUnenrolledFromTrainingPlan: ev(
    'Unenrolled',
    'TrainingPlan',
    'Learner was unenrolled from training plan',
  ),
  UserUnRegisteredFromSession: ev(
    'Unregistered',
    'SessionRegistration',
    'Learner registration for session was canceled',
  ),
  // LMS365: certificates
  CertificateDownloaded: ev('Downloaded', 'Certificate', 'Certificate was downloaded'),
  CertificateExpired: ev('Expired', 'Certificate', 'Certificate expired'),
  CertificateIssued: ev('Issued', 'Certificate', 'Certificate was issued'),
  CertificateReissued: ev('Reissued', 'Certificate', 'Certificate was reissued'),
  // LMS365: course content
  AssessmentCreated: ev('Created', 'Assessment', 'Assessment was created'),
  AssessmentDeleted: ev('Deleted', 'Assessment', 'Assessment was deleted'),
  AssessmentUpdated: ev('Updated', 'Assessment', 'Assessment was updated'),
  ContentPackageAddedToCourse: ev('AddedToCourse', 'ContentPackage', 'Content package was added to course'),
  ContentPackageCreated: ev('Created', 'ContentPackage', 'Content package was uploaded'),
  ContentPackageDeleted: ev('Deleted', 'ContentPackage', 'Content package was deleted'),
  ContentPackageRemovedFromCourse: ev(
    'RemovedFromCourse',
    'ContentPackage',
    'Content package was removed from course',
  ),
  ContentPackageUpdated: ev('Updated', 'ContentPackage', 'Content package properties were updated'),
  ContentPackageUploaded: ev('Uploaded', 'ContentPackage', 'New version of content package was uploaded'),
  ExternalAppCreated: ev('Created', 'ExternalApp', 'External app was created'),
  ExternalAppDeleted: ev('Deleted', 'ExternalApp', 'External app was deleted'),
  ExternalAppUpdated: ev('Updated', 'ExternalApp', 'External app was updated'),
  LearningModuleCreated: ev('Created', 'LearningModule', 'Learning module was created'),
  LearningModuleDeleted: ev('Deleted', 'LearningModule', 'Learning module was deleted'),
  LearningModuleUpdated: ev('Updated', 'LearningModule', 'Learning module was updated'),
  QuizAddedToCourse: ev('AddedToCourse', 'Quiz', 'Quiz was added to course'),
  QuizCreated: ev('Created', 'Quiz', 'Quiz was created'),
  QuizDeleted: ev('Deleted', 'Quiz', 'Quiz was deleted'),
  QuizRemovedFromCourse: ev('RemovedFromCourse', 'Quiz', 'Quiz was removed from course'),
  QuizUpdated: ev('Updated', 'Quiz', 'Quiz was updated'),
  // LMS365: user progress
  AssessmentAttemptCompleted: ev('Completed', 'AssessmentAttempt', 'Assessment attempt was marked completed'),
  AssessmentAttemptDeleted: ev('Deleted', 'AssessmentAttempt', 'Assessment attempt was deleted'),
  ContentPackageAttemptCompleted: ev(
    'Completed',
    'ContentPackageAttempt',
    'Learner concluded content package attempt',
  ),
  ContentPackageAttemptCreated: ev(
    'Created',
    'ContentPackageAttempt',
    'Learner started new content package attempt',
  ),
  ContentPackageAttemptDeleted: ev(
    'Deleted',
    'ContentPackageAttempt',
    'Admin deleted content package attempt',
  ),
  ExternalAppAttemptCompleted: ev(
    'Completed',
    'ExternalAppAttempt',
    'Learner concluded external app attempt',
  ),
  ExternalAppAttemptCreated: ev('Created', 'ExternalAppAttempt', 'Learner started new external app attempt'),
  ExternalAppAttemptDeleted: ev('Deleted', 'ExternalAppAttempt', 'External app attempt was deleted'),
  LearningModuleAttemptCompleted: ev(
    'Completed',
    'LearningModuleAttempt',
    'Learner concluded learning module attempt',
  ),
  LearningModuleAttemptCreated: ev(
    'Created',
    'LearningModuleAttempt',
    'Learner started new learning module attempt',
  ),
  LearningModuleAttemptDeleted: ev(
    'Deleted',
    'LearningModuleAttempt',
    'Admin deleted learning module attempt',
  ),
  QuizAttemptCompleted: ev('Completed', 'QuizAttempt', 'Learner concluded quiz attempt'),
  QuizAttemptCreated: ev('Created', 'QuizAttempt', 'Learner started new quiz attempt'),
  QuizAttemptDeleted: ev('Deleted', 'QuizAttempt', 'Admin deleted quiz attempt'),
  // LMS365: API keys
  ApiKeyRevoked: ev('Revoked', 'ApiKey', 'API key was revoked'),
  ApiKeyGenerated: ev('Generated', 'ApiKey', 'API key was generated'),
  ApiKeyUpdated: ev('Updated', 'ApiKey', 'API key was updated'),
  // OpenLearning action log
  'Add team members': ev('Added', 'TeamMember', 'Add team members'),
  'Assign team member to courses': ev('AddedToCourse', 'TeamMember', 'Assign team member to courses'),
  'Remove team member from courses': ev('RemovedFromCourse', 'TeamMember', 'Remove team member from courses'),
  'Changing roles': ev('RoleChanged', 'User', 'Changing roles'),
  'Add to institution groups': ev('AddedToGroup', 'User', 'Add to institution groups'),
  'Remove from institution groups': ev('RemovedFromGroup', 'User', 'Remove from institution groups'),
  'Remove from institution': ev('RemovedFromInstitution', 'User', 'Remove from institution'),
  'Add learner': ev('Added', 'Learner', 'Add learner'),
  'Remove learner': ev('Removed', 'Learner', 'Remove learner'),
  'Assigning to courses (learner enrolment)': ev(
    'Enrolled',
    'Course',
    'Assigning to courses (learner enrolment)',
  ),
  'Remove from courses (learner unenrolment)': ev(
    'Unenrolled',
    'Course',
    'Remove from courses (learner unenrolment)',
  ),
  'Add a new course': ev('Created', 'Course', 'Add a new course'),
  'Copy a course': ev('Copied', 'Course', 'Copy a course'),
  'Add existing course': ev('Added', 'Course', 'Add existing course'),
  'Change course categories': ev('CategoriesChanged', 'Course', 'Change course categories'),
  'Add qualification': ev('Created', 'Qualification', 'Add qualification'),
  'Change qualification': ev('Updated', 'Qualification', 'Change qualification'),
  'Delete qualification': ev('Deleted', 'Qualification', 'Delete qualification'),
  'Add Administrator to Course': ev('AddedToCourse', 'CourseAdministrator', 'Administrator added to course'),
  'Remove Administrator from Course': ev(
    'RemovedFromCourse',
    'CourseAdministrator',
    'Administrator removed from course',
  ),
  // The action log's filter names the same actions in the past tense.
  'Administrator added to course': ev(
    'AddedToCourse',
    'CourseAdministrator',
    'Administrator added to course',
  ),
  'Administrator removed from course': ev(
    'RemovedFromCourse',
    'CourseAdministrator',
    'Administrator removed from course',
  ),
  'Add Staff to Course': ev('AddedToCourse', 'CourseStaff', 'Add Staff to Course'),
  'Remove Staff from Course': ev('RemovedFromCourse', 'CourseStaff', 'Remove Staff from Course'),
  'Change staff role': ev('RoleChanged', 'CourseStaff', 'Change staff role'),
  'Create report': ev('Created', 'Report', 'Create report'),
  'Remove report': ev('Deleted', 'Report', 'Remove report'),
  'Modify report': ev('Updated', 'Report', 'Modify report'),
  'Release report for class': ev('Released', 'Report', 'Release report for class'),
  'Add report to class': ev('Added', 'Report', 'Add report to class'),
  'Remove report from class': ev('Removed', 'Report', 'Remove report from class'),
  'Create export': ev('Created', 'Export', 'Create export'),
  'Delete export': ev('Deleted', 'Export', 'Delete export'),
  'Re-run export': ev('Rerun', 'Export', 'Re-run export'),
  'Create class': ev('Created', 'Class', 'Create class'),
  'Delete class': ev('Deleted', 'Class', 'Delete class'),
  // CRM audit log report
  ContactCreated: ev('Created', 'Contact', 'Contact was created manually'),
  ContactUpdated: ev('Updated', 'Contact', 'Contact profile was edited'),
  ContactDeleted: ev('Deleted', 'Contact', 'Contact profile was deleted'),
  ContactsExported: ev('Exported', 'Contact', 'Contact information was exported'),
  GroupUpdated: ev('Updated', 'Group', 'Group was updated'),
  GroupDeleted: ev('Deleted', 'Group', 'Group was deleted'),
  UserProfileUpdated: ev('Updated', 'User', 'User profile was updated'),
  UserProfileDeleted: ev('Deleted', 'User', 'User profile was deleted'),
};

export function isAction(value: string): value is AuditAction {
  return Object.hasOwn(ACTIONS, value);
}

export function isObjectType(value: string): value is AuditObjectType {
  return Object.hasOwn(OBJECT_TYPES, value);
}

export function actionLabel(action: AuditAction): string {
  return ACTIONS[action].label;
}

export function objectTypeLabel(type: AuditObjectType): string {
  return OBJECT_TYPES[type];
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
