// Writes package.json's contributes.configuration from src/core/settings.ts (the one definition).
// `npm run settings:generate`; test/unit/settings.test.ts fails when package.json is stale.
import * as fs from 'fs';
import * as path from 'path';
import { contributedConfiguration } from '../src/core/settings';

const file = path.join(__dirname, '..', 'package.json');
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
pkg.contributes = { ...(pkg.contributes ?? {}), configuration: contributedConfiguration() };
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log(`package.json: ${Object.keys(contributedConfiguration().properties).length} settings written`);
