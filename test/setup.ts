// Test-wide environment: tokenizer snapshots go to a temporary folder, not the user's cache.
import { tempDir } from './tempDir';

process.env.PROMPT_COST_CACHE_DIR ??= tempDir('prompt-cost-test-cache-');
