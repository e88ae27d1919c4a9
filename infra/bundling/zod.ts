// What `zod` and `zod/v4` resolve to in the function bundles: zod's entry point over
// ./zod-external.ts (zod without its translated error messages).
import * as z from './zod-external.ts';

export * from './zod-external.ts';
export { z, z as default };
