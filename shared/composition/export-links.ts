import type { Config } from '../config.ts';
import { signingKey } from '../signing.ts';
import type { LinkSettings } from '../use-cases/exports/ports.ts';

/** Where export download links point and how long they last (every export composition). */
export function exportLinks(config: Config): LinkSettings {
  return {
    publicBaseUrl: config.PUBLIC_BASE_URL,
    linkDays: config.EXPORT_LINK_DAYS,
    signingKey: () => signingKey(config),
  };
}
