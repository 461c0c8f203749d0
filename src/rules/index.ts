import type { Rule } from '../core/define-rule.js'

type RuleModule = { default: Rule }

/**
 * Every shipped rule, by id, loaded only when a ruleset uses it. The id equals the file name;
 * a meta test keeps this map, the files and the rulesets in step.
 */
export const shippedRules: Record<string, () => Promise<RuleModule>> = {
  'openapi-version': () => import('./openapi/openapi-version.js'),
  'openapi-valid': () => import('./openapi/openapi-valid.js'),
  'examples-valid': () => import('./openapi/examples-valid.js'),
  semver: () => import('./openapi/semver.js'),
  'version-in-url': () => import('./openapi/version-in-url.js'),
  'problem-details': () => import('./openapi/problem-details.js'),
  'problem-schema': () => import('./openapi/problem-schema.js'),
  'bad-request-response': () => import('./openapi/bad-request-response.js'),
  'date-time-format': () => import('./openapi/date-time-format.js'),
  'iso-codes': () => import('./openapi/iso-codes.js'),
  'http-methods': () => import('./openapi/http-methods.js'),
  'status-codes': () => import('./openapi/status-codes.js'),
  'open-media-types': () => import('./openapi/open-media-types.js'),
  'path-style': () => import('./openapi/path-style.js'),
  'casing-convention': () => import('./openapi/casing-convention.js'),
  'no-x-headers': () => import('./openapi/no-x-headers.js'),
  pagination: () => import('./openapi/pagination.js'),
  'trace-context': () => import('./openapi/trace-context.js'),
  'contact-info': () => import('./openapi/contact-info.js'),
  'license-info': () => import('./openapi/license-info.js'),
  // cloud-delivery
  'https-only': () => import('./openapi/https-only.js'),
  'public-hostnames': () => import('./openapi/public-hostnames.js'),
  'sandbox-environment': () => import('./openapi/sandbox-environment.js'),
  'sla-stated': () => import('./openapi/sla-stated.js'),
  'rate-limiting': () => import('./openapi/rate-limiting.js'),
  'deprecation-headers': () => import('./openapi/deprecation-headers.js'),
  changelog: () => import('./openapi/changelog.js'),
  'no-sensitive-data-in-url': () => import('./openapi/no-sensitive-data-in-url.js'),
  'health-endpoint': () => import('./openapi/health-endpoint.js'),
  'data-location': () => import('./declaration/data-location.js'),
  'tls-configuration': () => import('./http/tls-configuration.js'),
  'security-headers': () => import('./http/security-headers.js'),
  'health-live': () => import('./http/health-live.js'),
  'problem-details-live': () => import('./http/problem-details-live.js'),
  'response-drift-live': () => import('./http/response-drift-live.js'),
  'api-version-live': () => import('./http/api-version-live.js'),
  'openapi-published-live': () => import('./http/openapi-published-live.js'),
  'cors-live': () => import('./http/cors-live.js'),
  'auth-discovery-live': () => import('./http/auth-discovery-live.js'),
  'rate-limit-live': () => import('./http/rate-limit-live.js'),
  // no-closed-systems
  'complete-description': () => import('./openapi/complete-description.js'),
  'standard-auth': () => import('./openapi/standard-auth.js'),
  'operation-security': () => import('./openapi/operation-security.js'),
  'bulk-export': () => import('./openapi/bulk-export.js'),
  'read-back': () => import('./openapi/read-back.js'),
  'list-operations': () => import('./openapi/list-operations.js'),
  'open-response-formats': () => import('./openapi/open-response-formats.js'),
  'no-vendor-headers': () => import('./openapi/no-vendor-headers.js'),
  cloudevents: () => import('./openapi/cloudevents.js'),
  'open-license': () => import('./openapi/open-license.js'),
  'exit-declarations': () => import('./declaration/exit-declarations.js'),
  'data-samples-valid': () => import('./schema/data-samples-valid.js'),
}
