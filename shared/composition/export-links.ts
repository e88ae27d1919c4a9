import type { Config } from '../config.ts';
import { signingKeyLoader } from '../signing.ts';
import type { LinkSettings } from '../use-cases/exports/ports.ts';

/**
 * Where export download links point and how long they last (every export composition). The
 * settings are read now, while the function builds its adapters, so a missing one fails the
 * cold start; the key itself is loaded on first use.
 */
export function exportLinks(config: Config): LinkSettings {
  return {
    publicBaseUrl: config.PUBLIC_BASE_URL,
    linkDays: config.EXPORT_LINK_DAYS,
    signingKey: signingKeyLoader(config),
  };
}
