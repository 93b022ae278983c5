#!/usr/bin/env node
// Entry point: loads the TypeScript sources through tsx, so the CLI runs right after `npm install`.
import { register } from 'tsx/esm/api'
register()
await import('../src/cli/main.ts')
