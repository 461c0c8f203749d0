import { defineRule } from '../../core/define-rule.js'
import type { Node } from '../../core/types.js'
import { infoOf, isText } from './util-style.js'

/** An `x-sla` value that says something: a link or text, or an object with at least one field. */
function stated(node: Node<unknown> | undefined): boolean {
  const v = node?.value
  if (isText(v)) return true
  return v !== null && typeof v === 'object' && Object.keys(v).length > 0
}

export default defineRule({
  meta: {
    id: 'sla-stated',
    title: 'A service level is stated',
    failureTitle: 'No service level is stated',
    description:
      'A municipality that moves a service to the cloud needs to know what availability and support it can rely on, both to plan its own services and to hold the vendor to account. ' +
      'Link the terms of service or SLA from the description (info.termsOfService or an x-sla extension), or declare the SLA’s availability or URL in the manifest.',
    fix: 'Add info.termsOfService (or x-sla) with the URL of the SLA, or declare declarations.sla.availability and declarations.sla.url in interop.yaml.',
    sources: [
      {
        title: 'OpenAPI Specification 3.1.0: Info Object (termsOfService)',
        url: 'https://spec.openapis.org/oas/v3.1.0#info-object',
      },
      {
        title: 'EU Cloud Service Level Agreement Standardisation Guidelines',
        url: 'https://digital-strategy.ec.europa.eu/en/news/cloud-service-level-agreement-standardisation-guidelines',
      },
    ],
    requires: ['openapi'],
    optional: ['declarations'],
    messages: {
      missing:
        'Neither the description (info.termsOfService, x-sla) nor the manifest (declarations.sla with availability or url) states a service level.',
    },
  },
  create(ctx) {
    const api = ctx.artifacts.openapi!
    return {
      Document(root) {
        const { info, at } = infoOf(api, root)
        // Terms of service are where vendors publish availability and support commitments; the
        // description cannot say more than that they are linked.
        if (info && isText(info.value.termsOfService)) return
        if (stated(api.child(root, 'x-sla')) || (info && stated(api.child(info, 'x-sla')))) return
        const sla = ctx.artifacts.declarations?.value.sla
        if (sla && (typeof sla.availability === 'number' || isText(sla.url))) {
          // Only the vendor's manifest states it.
          ctx.establishedBy('declared')
          return
        }
        ctx.report({ messageId: 'missing', node: at, key: at !== root })
      },
    }
  },
})
