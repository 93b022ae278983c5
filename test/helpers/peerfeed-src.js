#!/usr/bin/env node
// Tests run the CLI from the TypeScript sources (never a stale lib/): `node test/helpers/peerfeed-src.js ARGS`.
import { register } from 'tsx/esm/api'

register()
await import('../../src/cli/main.ts')
