#!/usr/bin/env node
// As interop's bin/run.js: @oclif/core's execute, nothing else.
import { execute } from '@oclif/core'

await execute({ dir: import.meta.url })
