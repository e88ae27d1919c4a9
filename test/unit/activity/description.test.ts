import { describe, expect, it } from 'vitest';
import { describeActivity, formatDuration } from '../../../shared/domain/activity/description.ts';
import type { ActivityAction } from '../../../shared/domain/activity/event.ts';

const quiz = { type: 'Quiz' as const, id: 'q1', title: 'Fire Safety Quiz' };
const video = { type: 'Item' as const, id: 'v1', title: 'Intro video', contentType: 'Video' };

describe('activity descriptions', () => {
  it.each<[ActivityAction, string]>([
    ['Added', 'Jane Doe added Intro video'],
    ['Arranged', 'Jane Doe arranged Intro video'],
    ['Attended', 'Jane Doe attended Intro video'],
    ['Clicked', 'Jane Doe clicked Intro video'],
    ['Completed', 'Jane Doe completed Intro video'],
    ['EnrolledFor', 'Jane Doe enrolled for Intro video'],
    ['Unenrolled', 'Jane Doe was unenrolled from Intro video'],
    ['Failed', 'Jane Doe failed Intro video'],
    ['ReceivedCertificateFor', 'Jane Doe received certificate for Intro video'],
    ['Started', 'Jane Doe started Intro video'],
    ['Updated', 'Jane Doe updated Intro video'],
    ['Viewed', 'Jane Doe viewed Intro video'],
    ['LoggedIn', 'Jane Doe logged in'],
    ['LoggedOut', 'Jane Doe logged out'],
    ['Read', 'Jane Doe read Intro video'],
    ['Watched', 'Jane Doe watched Intro video'],
    ['ListenedTo', 'Jane Doe listened to Intro video'],
  ])('describes %s in plain English', (action, expected) => {
    const content = action === 'LoggedIn' || action === 'LoggedOut' ? undefined : video;
    expect(describeActivity({ action, content }, 'Jane Doe', false)).toBe(expected);
  });

  it('reads a failed quiz with its score and time', () => {
    const line = describeActivity(
      {
        action: 'Failed',
        content: quiz,
        result: { outcome: 'failed', scorePercent: 45, durationSeconds: 300 },
      },
      'Jane Doe',
      false,
    );
    expect(line).toBe('Jane Doe failed Fire Safety Quiz scoring 45% in 5 minutes');
  });

  it('reads a completed quiz by its outcome', () => {
    const line = describeActivity(
      {
        action: 'Completed',
        content: quiz,
        result: { outcome: 'passed', scorePercent: 90, durationSeconds: 125 },
      },
      'Jane Doe',
      false,
    );
    expect(line).toBe('Jane Doe passed Fire Safety Quiz scoring 90% in 2 minutes 5 seconds');
  });

  it('says when a time limit was exceeded, and names it when it was not', () => {
    const over = describeActivity(
      {
        action: 'Failed',
        content: quiz,
        result: { outcome: 'failed', durationSeconds: 700, timeLimitSeconds: 600 },
      },
      'Jane Doe',
      false,
    );
    expect(over).toBe(
      'Jane Doe failed Fire Safety Quiz in 11 minutes 40 seconds, over the 10 minutes time limit',
    );
    const within = describeActivity(
      {
        action: 'Completed',
        content: quiz,
        result: { outcome: 'passed', durationSeconds: 60, timeLimitSeconds: 600 },
      },
      'Jane Doe',
      false,
    );
    expect(within).toBe('Jane Doe passed Fire Safety Quiz in 1 minute (time limit 10 minutes)');
  });

  it('marks archived content and names who recorded a completion', () => {
    const line = describeActivity(
      { action: 'Completed', content: quiz, recordedBy: { id: 'a', name: 'Adam Admin' } },
      'Jane Doe',
      true,
    );
    expect(line).toBe('Jane Doe completed Fire Safety Quiz (Archived) (recorded by Adam Admin)');
  });

  it.each([
    [0, '0 seconds'],
    [1, '1 second'],
    [59, '59 seconds'],
    [60, '1 minute'],
    [3600, '1 hour'],
    [3725, '1 hour 2 minutes 5 seconds'],
  ])('formats %i seconds as "%s"', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});
