import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRODUCT_EVENTS } from '../../../local/seed/product-events.ts';
import { ACTIONS, isAction, isObjectType, OBJECT_TYPES } from '../../../shared/domain/audit/catalog.ts';

const seed = (name: string) =>
  readFileSync(new URL(`../../../../../shared/seeds/${name}`, import.meta.url), 'utf8');

function seedText(name: string): string | undefined {
  try {
    return seed(name);
  } catch {
    return undefined;
  }
}

/** LMS365's event names as the seed page lists them: a PascalCase word at the start of a line. */
const LMS365_NAMES = [
  'CatalogCreated',
  'CatalogDeleted',
  'CatalogUpdated',
  'CatalogSharePointStorageCreated',
  'CourseForceCompleted',
  'CourseSessionAddedToGroup',
  'CourseSessionCreated',
  'CourseSessionDeleted',
  'CourseSessionUpdated',
  'CourseSessionRemovedFromGroup',
  'GroupOfSessionsCreated',
  'GroupOfSessionsDeleted',
  'GroupOfSessionsUpdated',
  'CourseCompletionSetCreated',
  'CourseCompletionSetDeleted',
  'CourseCompletionSetUpdated',
  'CatalogAdminAssigned',
  'CatalogAdminUnassigned',
  'CourseAdminAssigned',
  'CourseAdminUnassigned',
  'LMSAdminAssigned',
  'LMSAdminUnassigned',
  'AssessmentSupervisorAssigned',
  'AssessmentSupervisorUnassigned',
  'CourseSessionInstructorAssigned',
  'CourseSessionInstructorUnassigned',
  'EnrollmentImported',
  'UserSkillGranted',
  'UserSkillRevoked',
  'AttendanceDeleted',
  'AttendanceRegistered',
  'CatalogVisitorAssigned',
  'CatalogVisitorUnassigned',
  'EnrollmentRequestApproved',
  'EnrollmentRequestCanceled',
  'EnrollmentRequestCreated',
  'EnrollmentRequestRejected',
  'UserPurged',
  'UserPurgedFromCatalog',
  'UserRegisteredForSession',
  'UserUnRegisteredFromSession',
  'CertificateDownloaded',
  'CertificateExpired',
  'CertificateIssued',
  'CertificateReissued',
  'AssessmentCreated',
  'AssessmentDeleted',
  'AssessmentUpdated',
  'ContentPackageAddedToCourse',
  'ContentPackageCreated',
  'ContentPackageDeleted',
  'ContentPackageRemovedFromCourse',
  'ContentPackageUpdated',
  'ContentPackageUploaded',
  'ExternalAppCreated',
  'ExternalAppDeleted',
  'ExternalAppUpdated',
  'LearningModuleCreated',
  'LearningModuleDeleted',
  'LearningModuleUpdated',
  'QuizAddedToCourse',
  'QuizCreated',
  'QuizDeleted',
  'QuizRemovedFromCourse',
  'QuizUpdated',
  'AssessmentAttemptCompleted',
  'AssessmentAttemptDeleted',
  'ContentPackageAttemptCompleted',
  'ContentPackageAttemptCreated',
  'ContentPackageAttemptDeleted',
  'ExternalAppAttemptCompleted',
  'ExternalAppAttemptCreated',
  'ExternalAppAttemptDeleted',
  'LearningModuleAttemptCompleted',
  'LearningModuleAttemptDeleted',
  'QuizAttemptCompleted',
  'QuizAttemptCreated',
  'QuizAttemptDeleted',
  'ApiKeyRevoked',
  'ApiKeyGenerated',
  'ApiKeyUpdated',
];

const OPENLEARNING_ACTIONS = [
  'Add team members',
  'Assign team member to courses',
  'Remove team member from courses',
  'Changing roles',
  'Add to institution groups',
  'Remove from institution groups',
  'Remove from institution',
  'Add learner',
  'Assigning to courses (learner enrolment)',
  'Remove from courses (learner unenrolment)',
  'Add a new course',
  'Copy a course',
  'Add existing course',
  'Change course categories',
  'Add qualification',
  'Change qualification',
  'Delete qualification',
  'Add Administrator to Course',
  'Remove Administrator from Course',
  'Add Staff to Course',
  'Remove Staff from Course',
  'Change staff role',
  'Remove learner',
  'Create report',
  'Remove report',
  'Modify report',
  'Release report for class',
  'Add report to class',
  'Remove report from class',
  'Create export',
  'Delete export',
  'Re-run export',
  'Create class',
  'Delete class',
  'Administrator removed from course',
];

describe('the audit catalog', () => {
  it('has Learn Amp’s event types and object types', () => {
    for (const a of [
      'Created',
      'Updated',
      'Deleted',
      'PasswordChanged',
      'LoginAs',
      'ForceLoggedOut',
      'Deactivated',
      'Reactivated',
      'MarkedAsCompleted',
      'Archived',
      'Unfinalized',
    ])
      expect(isAction(a), a).toBe(true);
    for (const t of [
      'User',
      'Team',
      'TeamMembership',
      'Item',
      'Learnlist',
      'Channel',
      'Event',
      'Quiz',
      'Survey',
      'Objective',
      'OneToOne',
      'Skill',
      'Task',
      'Integration',
      'CsvExport',
      'ApiApplication',
      'Course',
      'TrainingPlan',
      'Catalog',
      'Session',
    ])
      expect(isObjectType(t), t).toBe(true);
  });

  it.each([...LMS365_NAMES, ...OPENLEARNING_ACTIONS])(
    'represents "%s" as a labelled action on an object type',
    (name) => {
      const event = PRODUCT_EVENTS[name];
      expect(event, name).toBeDefined();
      expect(isAction(event!.action)).toBe(true);
      expect(isObjectType(event!.objectType)).toBe(true);
      expect(event!.label.length).toBeGreaterThan(0);
    },
  );

  it('covers every PascalCase event name on the LMS365 seed page', () => {
    const text = seedText('lms365-audit-trail-events.txt');
    if (!text) return; // the handbook is outside the repository in some checkouts
    const names = [...text.matchAll(/^([A-Z][a-z]+(?:[A-Z][A-Za-z]*)+) [A-Z]/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(60);
    for (const n of names) expect(PRODUCT_EVENTS[n], n).toBeDefined();
  });

  it('gives every action a label and a verb with a place for the object, and every type a label', () => {
    for (const [name, def] of Object.entries(ACTIONS)) {
      expect(def.label, name).not.toBe('');
      expect(def.verb, name).toContain('{object}');
    }
    for (const label of Object.values(OBJECT_TYPES)) expect(label).not.toBe('');
    expect(isAction('toString')).toBe(false);
  });
});
