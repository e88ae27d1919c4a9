// How the products we replace name their audit events: LMS365's audit trail event names (where
// LMS365 names one), OpenLearning's action names and CRM audit reports, each as the action and
// object type of our catalog (shared/domain/audit/catalog.ts) that represents it. Seed data: the
// demo tenant's LMS365-style course events use it, and test/unit/audit/catalog.test.ts shows
// every name is representable and labelled.

import type { AuditAction, AuditObjectType } from '../../shared/domain/audit/catalog.ts';

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

/** Product event name → action and object type. */
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
