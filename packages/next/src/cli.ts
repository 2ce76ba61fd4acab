#!/usr/bin/env node
// The `baton-next` bin: `npx @baton/next init`, `npx @baton/next secret`.
import { main } from './cli/main.js'

process.exitCode = main({ argv: process.argv.slice(2), cwd: process.cwd() })
