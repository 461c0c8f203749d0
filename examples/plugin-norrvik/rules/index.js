// The plugin's rules. A rule is an object with `meta` and `check` or `create`, the shape
// `defineRule` from 'interop-checker' checks; written plainly here so that the module loads
// wherever the package is installed.

/** @type {import('interop-checker').Rule<{ maxTags: number }>} */
export const operationTags = {
  meta: {
    id: 'norrvik-operation-tags',
    title: 'Operations are tagged for the catalogue',
    failureTitle: 'Some operations are not tagged for the catalogue',
    description:
      "Norrvik's API catalogue groups operations by their tags, so an untagged operation cannot be found and one with many tags is listed everywhere. " +
      'Give every operation one or two tags.',
    fix: 'Give the operation one or two `tags`.',
    sources: [{ title: 'Norrvik integration policy', url: 'https://norrvik.example/policy/integration' }],
    requires: ['openapi'],
    messages: {
      untagged: '{{method}} {{path}} has no tags.',
      'too-many': '{{method}} {{path}} has {{count}} tags; at most {{max}}.',
    },
    options: {
      type: 'object',
      properties: { maxTags: { type: 'integer', minimum: 1, default: 2 } },
      additionalProperties: false,
    },
  },
  create(ctx) {
    return {
      Operation(op) {
        const tags = op.node.value.tags
        const data = { method: op.method.toUpperCase(), path: op.path }
        if (!Array.isArray(tags) || tags.length === 0)
          ctx.report({ messageId: 'untagged', node: op.node, data })
        else if (tags.length > ctx.options.maxTags)
          ctx.report({
            messageId: 'too-many',
            node: op.node,
            data: { ...data, count: tags.length, max: ctx.options.maxTags },
          })
      },
    }
  },
}

export const rules = [operationTags]
