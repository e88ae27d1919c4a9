/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII name for old clients (anything
 * else, and quotes and backslashes, become `_`) and the exact UTF-8 name for the rest.
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
