import { z } from 'zod';

/**
 * An ISO 8601 timestamp that z.iso.datetime accepted, as UTC with milliseconds
 * (`2026-11-22T10:15:30.123Z`). Most events already send that form, which is returned as it is:
 * it is exactly what `new Date(s).toISOString()` would give back (the validator allows only real
 * dates, hours 00–23 and seconds 00–59), and parsing a date costs more than the rest of the check.
 */
export function utcIso(s: string): string {
  if (s.length === 24 && s.charCodeAt(23) === 90 /* Z */ && s.charCodeAt(19) === 46 /* . */) return s;
  return new Date(s).toISOString();
}

/** A UTC timestamp the service wrote (stored and returned as is), documented as `date-time`. */
export const utcTimestampOut = () => z.string().meta({ format: 'date-time' });
