import { buildConsole, CONSOLE_DIST } from './console.ts';

/** `npm run console:build`: the admin console into console/dist (`npm start` does it when needed). */
await buildConsole();
console.log(`Built the admin console into ${CONSOLE_DIST}`);
