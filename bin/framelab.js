#!/usr/bin/env node
// Runs the TypeScript CLI straight from src/ through tsx, so `npx framelab` works right after
// `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli/index.ts');
