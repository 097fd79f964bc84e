// Test-wide environment: tokenizer snapshots go to a temporary folder, not the user's cache, and a
// scan of a temporary folder never finds a stray .promptcost.yaml in the machine's temp folder or above.
import * as os from 'os';
import { tempDir } from './tempDir';

process.env.PROMPT_COST_CACHE_DIR ??= tempDir('prompt-cost-test-cache-');
process.env.PROMPT_COST_CEILING_DIRS ??= os.tmpdir();
