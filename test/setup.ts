// Test-wide environment: tokenizer snapshots go to a temporary folder, not the user's cache.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

process.env.PROMPT_COST_CACHE_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-cost-test-cache-'));
