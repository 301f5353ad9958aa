/**
 * Writes docs/cli.md from the CLI's own help text (src/main/cli/docs.ts renders it from the
 * command definitions). test/cliDocs.test.ts fails while the committed file differs.
 * Usage: npm run docs:cli   (node --import tsx scripts/gen-cli-docs.mts)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_DOCS_FILE, renderCliDocs } from '../src/main/cli/docs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, CLI_DOCS_FILE);
const text = renderCliDocs();
const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
if (before === text) {
  console.log(`${CLI_DOCS_FILE} is up to date.`);
} else {
  fs.writeFileSync(file, text);
  console.log(`wrote ${CLI_DOCS_FILE}`);
}
