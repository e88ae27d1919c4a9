/**
 * Local defaults that must be in place before any handler module is imported (ES imports are
 * hoisted, so entry points import this file first): no CloudWatch metric lines on the console,
 * Powertools' readable dev output, and no AWS SDK Node-version notice.
 */
process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
