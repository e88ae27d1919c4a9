// The plain-English line of an activity entry, computed at read time from the directory's name
// for the learner (a rename shows) and the archived flag of the content (an archived item reads
// "Fire Safety Quiz (Archived)"). One phrasing per action.

import type { ActivityAction, StoredActivity } from './event.ts';

const VERB: Record<ActivityAction, string> = {
  Added: 'added',
  Arranged: 'arranged',
  Attended: 'attended',
  Clicked: 'clicked',
  Completed: 'completed',
  EnrolledFor: 'enrolled for',
  Unenrolled: 'was unenrolled from',
  Failed: 'failed',
  ReceivedCertificateFor: 'received certificate for',
  Started: 'started',
  Updated: 'updated',
  Viewed: 'viewed',
  LoggedIn: 'logged in',
  LoggedOut: 'logged out',
  Read: 'read',
  Watched: 'watched',
  ListenedTo: 'listened to',
};

export const ACTION_LABELS: Record<ActivityAction, string> = {
  Added: 'Added',
  Arranged: 'Arranged',
  Attended: 'Attended',
  Clicked: 'Clicked',
  Completed: 'Completed',
  EnrolledFor: 'Enrolled for',
  Unenrolled: 'Unenrolled',
  Failed: 'Failed',
  ReceivedCertificateFor: 'Received certificate for',
  Started: 'Started',
  Updated: 'Updated',
  Viewed: 'Viewed',
  LoggedIn: 'Logged in',
  LoggedOut: 'Logged out',
  Read: 'Read',
  Watched: 'Watched',
  ListenedTo: 'Listened to',
};

export function describeActivity(
  entry: Pick<StoredActivity, 'action' | 'content' | 'result' | 'recordedBy'>,
  userName: string,
  archived: boolean,
): string {
  if (entry.action === 'LoggedIn' || entry.action === 'LoggedOut') return `${userName} ${VERB[entry.action]}`;
  const title = entry.content ? `${entry.content.title}${archived ? ' (Archived)' : ''}` : 'an activity';
  const result = entry.result;
  let verb = VERB[entry.action];
  // A scored attempt reads by its outcome: "passed …" / "failed …".
  if (result && (entry.action === 'Completed' || entry.action === 'Failed')) verb = result.outcome;
  let line = `${userName} ${verb} ${title}`;
  if (result) {
    if (result.scorePercent !== undefined) line += ` scoring ${formatPercent(result.scorePercent)}`;
    if (result.durationSeconds !== undefined) line += ` in ${formatDuration(result.durationSeconds)}`;
    if (result.timeLimitSeconds !== undefined) {
      const over = result.durationSeconds !== undefined && result.durationSeconds > result.timeLimitSeconds;
      line += over
        ? `, over the ${formatDuration(result.timeLimitSeconds)} time limit`
        : ` (time limit ${formatDuration(result.timeLimitSeconds)})`;
    }
  }
  if (entry.recordedBy) line += ` (recorded by ${entry.recordedBy.name})`;
  return line;
}

export function formatPercent(value: number): string {
  return `${Math.round(value * 10) / 10}%`;
}

/** 125 → "2 minutes 5 seconds"; 300 → "5 minutes"; 3660 → "1 hour 1 minute". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const parts: string[] = [];
  if (hours) parts.push(plural(hours, 'hour'));
  if (minutes) parts.push(plural(minutes, 'minute'));
  if (seconds || parts.length === 0) parts.push(plural(seconds, 'second'));
  return parts.join(' ');
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
