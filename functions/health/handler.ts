import { apiHandler } from '../../shared/http/handler.ts';
import { json } from '../../shared/http/responses.ts';

export const handler = apiHandler({ auth: 'none' }, async () => json(200, { status: 'ok' }));
