import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';
import { buildDocument } from './document.ts';

let document: unknown;

export const handler = apiHandler({ auth: 'none' }, async () => {
  document ??= buildDocument();
  return json(200, document, { 'cache-control': 'public, max-age=300' });
});
