/** Calendar-month arithmetic in UTC; the day is clamped (31 Mar − 1 month = 28/29 Feb). */
export function addMonthsUtc(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  target.setUTCHours(
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
  return target;
}

/** When an entry that occurred at `occurredAt` leaves retention, in epoch seconds (the TTL). */
export function retentionEndEpoch(occurredAt: string, retentionMonths: number): number {
  return Math.floor(addMonthsUtc(new Date(occurredAt), retentionMonths).getTime() / 1000);
}
